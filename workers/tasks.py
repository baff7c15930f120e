"""Celery tasks: thin wrappers that take ids and call one service each."""

import os
import socket

from celery import shared_task

from workers.execution import job_attempt_execute
from workers.services import job_follow_up_send, jobs_release_after, jobs_requeue_stale


@shared_task(name="workers.health_check", acks_late=False)
def health_check(token: str) -> dict:
    """Round trip used by start-up checks and tests: proves broker, worker and database are wired
    (it counts the jobs table: workers read only their own models)."""
    from workers.models import InferenceJob

    return {
        "token": token,
        "worker_pid": os.getpid(),
        "host": socket.gethostname(),
        "jobs_in_database": InferenceJob.objects.count(),
    }


@shared_task(name="workers.job_execute", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def job_execute(job_id: str) -> None:
    """Acknowledged only when done, so a worker that dies mid-job leaves it to be re-delivered;
    `job_attempt_execute` is idempotent and counts attempts, so a poison job fails after JOB_MAX_ATTEMPTS.
    A finished job's follow-up (e.g. grading the spoken answer it transcribed) is sent from here,
    and the next job in the fair line is released to the broker before this one is acknowledged."""
    job_attempt_execute(job_id=job_id)
    job_follow_up_send(job_id=job_id)
    jobs_release_after(job_id=job_id)


@shared_task(name="workers.requeue_stale_jobs", acks_late=False, ignore_result=True)
def requeue_stale_jobs() -> list[str]:
    """Periodic (Celery beat, embedded in a worker with -B): re-send jobs whose message was lost."""
    return jobs_requeue_stale()
