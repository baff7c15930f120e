from django.urls import path

from workers import views

app_name = "workers"

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("new/<slug:capability>/", views.job_new, name="job_new"),
    path("<uuid:job_id>/", views.job_detail, name="job"),
    path("<uuid:job_id>/status/", views.job_status, name="job_status"),
    path("<uuid:job_id>/cancel/", views.job_cancel, name="job_cancel"),
    path("files/<int:file_id>/", views.result_file, name="result_file"),
]
