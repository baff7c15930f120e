from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "webapp.challenges"
    label = "challenges"
    verbose_name = "Hands-on challenges, scored by the field's metrics"
    default_auto_field = "django.db.models.BigAutoField"
