"""The Celery application; configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings.base")

app = Celery("soundpath")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

PURGE_EVERY_SECONDS = 3600.0  # retention is counted in hours: deletion is at most an hour late


@app.on_after_configure.connect
def _schedule_purges(sender, **kwargs):
    """Beat runs the retention purge (voice recordings, demo uploads) hourly, not only by hand."""
    sender.add_periodic_task(
        PURGE_EVERY_SECONDS,
        sender.signature("demos.purge_expired_recordings"),
        name="purge-expired-recordings",
    )
