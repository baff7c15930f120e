from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "webapp.cohorts"
    label = "cohorts"
    verbose_name = "Cohorts"

    def ready(self) -> None:
        from webapp.cohorts.dashboard_page import cohort_groups_of_user
        from webapp.fragments import user_groups_register

        # A change to a learner's data renews their cohorts' cached dashboards (webapp/fragments.py).
        user_groups_register(cohort_groups_of_user)
