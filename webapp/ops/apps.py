from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "webapp.ops"
    label = "ops"
    verbose_name = "Operations: health, readiness, metrics, workers"

    def ready(self) -> None:
        from webapp.ops.logs import connect_celery_signals

        connect_celery_signals()
