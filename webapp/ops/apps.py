from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class OpsConfig(AppConfig):
    name = "webapp.ops"
    label = "ops"
    verbose_name = "Operations: health, readiness, metrics, workers"

    def ready(self) -> None:
        from webapp.ops.logs import connect_celery_signals

        connect_celery_signals()
        # Sent per app with models (this one has none): the sessions app's, whose store is that cache.
        sessions = apps.get_app_config("sessions")
        post_migrate.connect(_cache_table_create, sender=sessions, dispatch_uid="ops-cache-table")


def _cache_table_create(sender, using: str = "default", verbosity: int = 1, **kwargs) -> None:
    """After `migrate` of the default database: the database cache's table in its own database,
    where it has one (webapp/db_router.py), so every command that migrates (make run, the
    benchmarks) creates it. `createcachetable` alone creates it only in the database it is given."""
    from django.conf import settings
    from django.core.management import call_command

    from webapp.db_router import CACHE_DATABASE

    if using == "default" and CACHE_DATABASE in settings.DATABASES:
        call_command("createcachetable", database=CACHE_DATABASE, verbosity=verbosity)
