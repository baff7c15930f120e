from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "webapp.privacy"
    label = "privacy"
    verbose_name = "Learners' data: export, deletion, retention"
    default_auto_field = "django.db.models.BigAutoField"
