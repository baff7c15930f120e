from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "webapp.cohorts"
    label = "cohorts"
    verbose_name = "Cohorts"

    def ready(self) -> None:
        from webapp.cohorts.dashboard_page import cohort_groups_of_user
        from webapp.cohorts.selectors import menu_facts
        from webapp.fragments import user_groups_register
        from webapp.site_nav import menu_facts_register

        # A change to a learner's data renews their cohorts' cached dashboards (webapp/fragments.py).
        user_groups_register(cohort_groups_of_user)
        # The menu's link to a learner's cohorts (kept per user: the services bump it on join and leave).
        menu_facts_register(menu_facts)
