"""Job writes: submitting (with quotas and input checks), enqueueing, cancelling, and re-sending lost ones."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.files.base import File
from django.db import models, transaction
from django.utils import timezone

from workers.limits import time_limits
from workers.models import InferenceJob, JobInputFile

log = logging.getLogger(__name__)


class JobRefused(ValueError):
    """The job was not created; the message says why, for the person who asked."""


@dataclass(frozen=True)
class UploadedInput:
    name: str  # the role: "audio", "reference", "source", "target"…
    file: IO[bytes]
    original_name: str
    size: int


def _check_quota(user) -> None:
    active = InferenceJob.objects.filter(owner=user, status__in=["queued", "running"]).count()
    if active >= settings.JOB_MAX_CONCURRENT_PER_USER:
        raise JobRefused(
            f"You already have {active} jobs waiting or running (the limit is "
            f"{settings.JOB_MAX_CONCURRENT_PER_USER}). Wait for one to finish or cancel it."
        )
    today = InferenceJob.objects.filter(
        owner=user, created_at__gte=timezone.now() - timedelta(days=1)
    ).count()
    if today >= settings.JOB_MAX_PER_DAY_PER_USER:
        raise JobRefused(
            f"You have started {today} jobs in the last 24 hours, the daily limit. Try again tomorrow."
        )


def _check_inputs(text: str, files: list[UploadedInput]) -> None:
    if len(text) > settings.JOB_TEXT_MAX_CHARS:
        raise JobRefused(
            f"The text is {len(text):,} characters; the limit is {settings.JOB_TEXT_MAX_CHARS:,}."
        )
    for upload in files:
        if upload.size == 0:
            raise JobRefused(f"The file for '{upload.name}' is empty (0 bytes).")
        if upload.size > settings.JOB_UPLOAD_MAX_BYTES:
            raise JobRefused(
                f"The file for '{upload.name}' is {upload.size / 1e6:.1f} MB; "
                f"the limit is {settings.JOB_UPLOAD_MAX_BYTES / 1e6:.0f} MB."
            )


def job_submit(
    *,
    user,
    capability: str,
    backend: str | None = None,
    files: list[UploadedInput] | None = None,
    text: str = "",
    params: dict | None = None,
    origin: str = "",
) -> InferenceJob:
    """Check, store and enqueue a job; the worker picks it up after the transaction commits."""
    from workers.engines.base import EngineError
    from workers.engines.registry import engine_class

    files = files or []
    _check_quota(user)
    _check_inputs(text, files)
    try:
        cls = engine_class(capability, backend or None)
    except EngineError as exc:
        raise JobRefused(str(exc)) from exc
    queue = "gpu" if cls.uses_torch and settings.JOB_GPU_QUEUE_ENABLED else "cpu"
    with transaction.atomic():
        job = InferenceJob.objects.create(
            owner=user, capability=capability, backend=cls.backend, queue=queue, params=params or {},
            text_input=text, origin=origin, engine_name=cls.card.engine, engine_version=cls.version(),
        )  # fmt: skip
        for upload in files:
            stored = JobInputFile(
                job=job, name=upload.name, original_name=upload.original_name[:255], size=upload.size
            )
            stored.file.save(upload.original_name or upload.name, File(upload.file), save=True)
        transaction.on_commit(lambda: job_enqueue(job=job))
    return job


def job_enqueue(*, job: InferenceJob) -> None:
    from workers.tasks import job_execute

    soft, hard = time_limits(job.capability)
    result = job_execute.apply_async(
        args=[str(job.id)], queue=job.queue, soft_time_limit=soft, time_limit=hard
    )
    InferenceJob.objects.filter(id=job.id).update(celery_task_id=result.id or "")


def job_cancel(*, job: InferenceJob, user) -> bool:
    """Owner-only. A queued job never runs; a running one stops at its next progress report."""
    if job.owner_id != user.id:
        raise PermissionError("Only the job's owner can cancel it.")
    updated = InferenceJob.objects.filter(id=job.id, status__in=["queued", "running"]).update(
        status=InferenceJob.Status.CANCELLED, finished_at=timezone.now(), progress_message="Cancelled by you."
    )
    return bool(updated)


def jobs_requeue_stale(*, now=None) -> list[str]:
    """Send again the jobs whose broker message may be lost: queued ones nobody picked up within
    JOB_REQUEUE_AFTER_SECONDS (a broker restarted without persistence), and running ones whose
    worker stopped its heartbeat (killed, or its machine died). Duplicates are harmless: a worker
    claims a job under a row lock and leaves alone one that is finished or alive elsewhere."""
    now = now or timezone.now()
    wait = timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS)
    stale = timedelta(seconds=3 * settings.JOB_HEARTBEAT_SECONDS)
    lost_in_queue = InferenceJob.objects.filter(status="queued", created_at__lt=now - wait).filter(
        models.Q(requeued_at__isnull=True) | models.Q(requeued_at__lt=now - wait)
    )
    orphaned = InferenceJob.objects.filter(status="running", heartbeat_at__lt=now - stale).filter(
        models.Q(requeued_at__isnull=True) | models.Q(requeued_at__lt=now - stale)
    )
    requeued = []
    for job in [*lost_in_queue, *orphaned]:
        InferenceJob.objects.filter(id=job.id).update(requeued_at=now)
        job_enqueue(job=job)
        requeued.append(str(job.id))
    if requeued:
        log.warning("re-sent %d job(s) whose message may have been lost: %s", len(requeued), requeued)
    return requeued
