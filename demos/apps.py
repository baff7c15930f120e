from django.apps import AppConfig


class DemosConfig(AppConfig):
    name = "demos"
    verbose_name = "Demos"

    def ready(self) -> None:
        # Workers run the exercises' experiments as jobs, and the roadmap links to the demos,
        # without importing demos themselves (both sit below demos in the import order).
        from curriculum.demo_links import demo_links_register
        from demos.catalog import DEMOS
        from demos.exercises import exercise_procedure_register
        from demos.registry import available_demo_slugs

        exercise_procedure_register()
        demo_links_register(DEMOS, mounted=available_demo_slugs)
