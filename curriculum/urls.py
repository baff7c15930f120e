from django.urls import path

from curriculum import notebook_views, views

app_name = "curriculum"

urlpatterns = [
    path("", views.roadmap, name="roadmap"),
    path("search/", views.search, name="search"),
    path("phases/<slug:slug>/", views.phase_detail, name="phase"),
    path("phases/<slug:slug>/notebook.ipynb", notebook_views.phase_notebook, name="phase_notebook"),
    path("phases/<slug:slug>/notebook/", notebook_views.phase_notebook_view, name="phase_notebook_view"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("topics/<slug:slug>/progress/", views.topic_progress, name="topic_progress"),
    path("topics/<slug:slug>/check/<int:question>/", views.topic_check_answer, name="topic_check"),
]
