from django.urls import path

from webapp.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/data/", views.my_data, name="my_data"),
    path("accounts/data/export/", views.export_start, name="export_start"),
    path("accounts/data/exports/<uuid:export_id>/", views.export_detail, name="export"),
    path("accounts/data/exports/<uuid:export_id>/status/", views.export_status, name="export_status"),
    path("accounts/data/exports/<uuid:export_id>/download/", views.export_download, name="export_download"),
    path("accounts/delete/", views.account_delete, name="account_delete"),
]
