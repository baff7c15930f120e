from django.urls import path

from curriculum import views

app_name = "curriculum"

urlpatterns = [
    path("", views.roadmap, name="roadmap"),
    path("search/", views.search, name="search"),
    path("phases/<slug:slug>/", views.phase_detail, name="phase"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("topics/<slug:slug>/progress/", views.topic_progress, name="topic_progress"),
]
