"""Celery tasks: thin wrappers that take ids and call one service each."""

import os
import socket

from celery import shared_task


@shared_task(name="workers.health_check", acks_late=False)
def health_check(token: str) -> dict:
    """Round trip used by start-up checks and tests: proves broker, worker and database are wired."""
    from curriculum.models import Topic

    return {
        "token": token,
        "worker_pid": os.getpid(),
        "host": socket.gethostname(),
        "topics_in_database": Topic.objects.count(),
    }
