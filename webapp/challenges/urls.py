from django.urls import path

from webapp.challenges import views

app_name = "challenges"

urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("attempts/<uuid:attempt_id>/", views.attempt_detail, name="attempt"),
    path("attempts/<uuid:attempt_id>/status/", views.attempt_status, name="attempt_status"),
    path("<slug:slug>/", views.challenge_detail, name="detail"),
    path("<slug:slug>/pack.zip", views.challenge_pack, name="pack"),
    path("<slug:slug>/submit/", views.challenge_submit, name="submit"),
]
