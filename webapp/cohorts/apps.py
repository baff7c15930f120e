from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "webapp.cohorts"
    label = "cohorts"
    verbose_name = "Cohorts"
