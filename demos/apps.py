from django.apps import AppConfig


class DemosConfig(AppConfig):
    name = "demos"
    verbose_name = "Demos"

    def ready(self) -> None:
        # Workers run the exercises' experiments as jobs without importing demos themselves.
        from demos.exercises import exercise_procedure_register

        exercise_procedure_register()
