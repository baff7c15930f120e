"""The Celery application; configuration comes from Django settings (CELERY_* names)."""

import logging
import os
import threading

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings.base")

app = Celery("soundpath")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_HEARTBEAT_STOP = threading.Event()  # set when the worker shuts down
PURGE_EVERY_SECONDS = 3600.0  # retention is counted in hours: deletion is at most an hour late


@app.on_after_configure.connect
def _schedule_purges(sender, **kwargs):
    """Beat runs the retention purge (voice recordings, demo uploads) hourly, not only by hand."""
    sender.add_periodic_task(
        PURGE_EVERY_SECONDS,
        sender.signature("demos.purge_expired_recordings"),
        name="purge-expired-recordings",
    )


@signals.worker_ready.connect
def _start_heartbeat(sender, **kwargs):
    """Stamp this worker's heartbeat (queues, concurrency) from its main process every
    JOB_HEARTBEAT_SECONDS: how fair dispatch knows how many jobs may be handed to the broker."""
    from django.conf import settings
    from django.db import connection

    controller = sender.controller
    queues = sorted(sender.app.amqp.queues.consume_from or [sender.app.conf.task_default_queue])
    # The solo pool (the GPU worker) runs one task at a time whatever its --concurrency says.
    solo = type(controller.pool).__module__.endswith(".solo")
    concurrency = 1 if solo else int(controller.concurrency or 1)

    def beat() -> None:
        from workers.services import worker_heartbeat_record

        while True:
            try:
                worker_heartbeat_record(name=controller.hostname, queues=queues, concurrency=concurrency)
            except Exception:  # a database blip: try again at the next beat
                logging.getLogger(__name__).exception("worker heartbeat failed")
            finally:
                connection.close()  # held by no thread between beats: the pool forks children meanwhile
            if _HEARTBEAT_STOP.wait(settings.JOB_HEARTBEAT_SECONDS):
                return

    threading.Thread(target=beat, name="worker-heartbeat", daemon=True).start()


@signals.worker_shutdown.connect
def _forget_heartbeat(sender, **kwargs):
    _HEARTBEAT_STOP.set()
    from workers.services import worker_heartbeat_forget

    try:
        worker_heartbeat_forget(name=sender.hostname)
    except Exception:  # shutting down anyway; the row goes stale after three missed beats
        logging.getLogger(__name__).exception("could not remove the worker heartbeat")
