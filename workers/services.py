"""Job writes: submitting (with quotas and input checks), releasing to the broker in the fair order,
cancelling, re-sending lost ones, and the workers' heartbeats."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.files.base import File
from django.db import connection, models, transaction
from django.utils import timezone

from workers.fair_line import to_release
from workers.limits import time_limits
from workers.models import InferenceJob, JobInputFile, WorkerHeartbeat
from workers.selectors import queue_line, queue_worker_slots

log = logging.getLogger(__name__)


# Copying a voice needs its owner's checked consent, which only these demos check (the one-time
# phrase and the speaker check in voice-cloning; consented or shipped targets in voice-conversion).
VOICE_COPYING_ORIGINS = {"voice-cloning": "voice-cloning", "voice-conversion": "voice-conversion"}


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
    follow_up: str = "",
) -> InferenceJob:
    """Check and store a job, and release it to the broker after the transaction commits if it is
    its turn (`jobs_release`); otherwise it waits in the database, where nothing can lose it.
    `follow_up` names a Celery task the worker sends, with the job id, once the job has finished
    (how a spoken answer gets graded as soon as its transcript exists)."""
    files = files or []
    if capability in VOICE_COPYING_ORIGINS and origin != VOICE_COPYING_ORIGINS[capability]:
        raise JobRefused(
            f"{capability} runs only from its demo, which checks the voice owner's consent first."
        )
    _check_quota(user)
    _check_inputs(text, files)
    if capability == "training":
        from workers.training_limits import training_limits_problem

        problem = training_limits_problem(user=user, backend=backend or "", params=params or {})
        if problem:
            raise JobRefused(problem)
    target = _job_target(capability, backend)
    from workers.promotion import PromotionError, trained_version_params

    try:  # a trained model: the promoted version or the user's own, never simply the newest
        params = trained_version_params(
            user=user, capability=capability, backend=target["backend"], params=params or {}
        )
    except PromotionError as exc:
        raise JobRefused(str(exc)) from exc
    # Its round in the fair order (workers.fair_line): a learner's second job waits for everyone's first.
    fair_round = InferenceJob.objects.filter(
        owner=user, queue=target["queue"], status__in=["queued", "running"]
    ).count()
    with transaction.atomic():
        job = InferenceJob.objects.create(
            owner=user, capability=capability, params=params or {}, text_input=text, origin=origin,
            follow_up=follow_up, fair_round=fair_round, **target,
        )  # fmt: skip
        for upload in files:
            stored = JobInputFile(
                job=job, name=upload.name, original_name=upload.original_name[:255], size=upload.size
            )
            stored.file.save(upload.original_name or upload.name, File(upload.file), save=True)
        transaction.on_commit(lambda: jobs_release(queue=job.queue))
    return job


def _job_target(capability: str, backend: str | None) -> dict[str, str]:
    """The backend, queue and engine fields of a new job: an engine of the registry, or a
    registered procedure (workers.procedures) named by its key."""
    from workers.engines.base import EngineError
    from workers.engines.registry import engine_class
    from workers.procedures import procedure_for

    procedure = procedure_for(capability)
    if procedure is not None:
        if backend not in procedure.names():
            raise JobRefused(f"There is no {procedure.label.lower()} called {backend!r}.")
        return {"backend": backend, "queue": "cpu", "engine_name": procedure.label, "engine_version": ""}
    try:
        cls = engine_class(capability, backend or None)
    except EngineError as exc:
        raise JobRefused(str(exc)) from exc
    queue = "gpu" if cls.uses_torch and settings.JOB_GPU_QUEUE_ENABLED else "cpu"
    return {
        "backend": cls.backend,
        "queue": queue,
        "engine_name": cls.card.engine,
        "engine_version": cls.version(),
    }


# Sent by name: services sit below the task layer (workers.tasks imports them), never the reverse.
JOB_EXECUTE_TASK = "workers.job_execute"


def task_send(name: str, *, args: list, **options):
    """Send a Celery task by its name: services sit below every app's task layer and never import it."""
    from workers.celery import app

    if app.conf.task_always_eager:  # CELERY_TASK_ALWAYS_EAGER (debugging): run it here and now
        app.loader.import_default_modules()  # every app's tasks module, as a worker imports them at start
        return app.tasks[name].apply(args=args, **options)
    return app.send_task(name, args=args, **options)


def job_enqueue(*, job: InferenceJob) -> None:
    soft, hard = time_limits(job.capability)
    result = task_send(
        JOB_EXECUTE_TASK, args=[str(job.id)], queue=job.queue, soft_time_limit=soft, time_limit=hard
    )
    InferenceJob.objects.filter(id=job.id).update(celery_task_id=result.id or "")


def jobs_release(*, queue: str) -> list[str]:
    """Hand the queue's waiting jobs to the broker in the fair order (workers.fair_line), only as
    many as its live workers can start now, so the order is decided when a worker frees up and not
    when the job was submitted. Called when a job is submitted, finishes or is cancelled, when a
    worker starts, and by the sweeper. Returns the ids sent."""
    with transaction.atomic():
        _lock_queue(queue)  # one release at a time per queue: two would both count the same free slot
        line = queue_line(queue=queue)
        chosen = [
            j.id for j in to_release(line.order, line.running_by_owner, queue_worker_slots(queue=queue))
        ]
        if not chosen:
            return []
        InferenceJob.objects.filter(id__in=chosen, status="queued", dispatched_at__isnull=True).update(
            dispatched_at=timezone.now()
        )
        jobs = InferenceJob.objects.in_bulk(chosen)
        transaction.on_commit(lambda: [job_enqueue(job=jobs[job_id]) for job_id in chosen])
    return [str(job_id) for job_id in chosen]


def jobs_release_after(*, job_id: str) -> list[str]:
    """Release the next jobs of a job's queue once it has finished (or failed, or was cancelled):
    its worker is free, and the fair order decides who goes next."""
    queue = InferenceJob.objects.filter(id=job_id).values_list("queue", flat=True).first()
    return jobs_release(queue=queue) if queue else []


def _lock_queue(queue: str) -> None:
    """A transaction-scoped PostgreSQL advisory lock named after the queue (SQLite, the embedded
    default, lets one writer at a time in anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"soundpath-jobs-{queue}"])


def job_follow_up_send(*, job_id: str) -> bool:
    """Send the job's follow-up task once it has finished (at most once per job; the sweeper
    re-sends one lost between the job's end and this call). True when one was sent."""
    now = timezone.now()
    sent = (
        InferenceJob.objects.filter(
            id=job_id, status__in=InferenceJob.FINISHED, follow_up_sent_at__isnull=True
        )
        .exclude(follow_up="")
        .update(follow_up_sent_at=now)
    )
    if sent:
        follow_up = InferenceJob.objects.values_list("follow_up", flat=True).get(id=job_id)
        task_send(follow_up, args=[str(job_id)], queue="cpu")
    return bool(sent)


def job_cancel(*, job: InferenceJob, user) -> bool:
    """Owner-only. A queued job never runs; a running one stops at its next progress report."""
    if job.owner_id != user.id:
        raise PermissionError("Only the job's owner can cancel it.")
    updated = InferenceJob.objects.filter(id=job.id, status__in=["queued", "running"]).update(
        status=InferenceJob.Status.CANCELLED, finished_at=timezone.now(), progress_message="Cancelled by you."
    )
    if updated:
        transaction.on_commit(lambda: jobs_release(queue=job.queue))  # its place goes to the next in line
    return bool(updated)


def jobs_requeue_stale(*, now=None) -> list[str]:
    """Send again the jobs whose broker message may be lost: queued ones nobody picked up within
    JOB_REQUEUE_AFTER_SECONDS of being sent (a broker restarted without persistence), running ones whose
    worker stopped its heartbeat (killed, or its machine died), and the follow-ups of finished jobs
    whose worker died before sending them. Duplicates are harmless: a worker
    claims a job under a row lock and leaves alone one that is finished or alive elsewhere."""
    now = now or timezone.now()
    wait = timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS)
    stale = timedelta(seconds=3 * settings.JOB_HEARTBEAT_SECONDS)
    lost_in_queue = InferenceJob.objects.filter(status="queued", dispatched_at__lt=now - wait).filter(
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
    unfollowed = InferenceJob.objects.filter(
        status__in=InferenceJob.FINISHED, follow_up_sent_at__isnull=True, finished_at__lt=now - wait
    ).exclude(follow_up="")
    for job_id in unfollowed.values_list("id", flat=True):
        job_follow_up_send(job_id=str(job_id))
    if requeued:
        log.warning("re-sent %d job(s) whose message may have been lost: %s", len(requeued), requeued)
    waiting_queues = InferenceJob.objects.filter(status="queued", dispatched_at__isnull=True)
    for queue in waiting_queues.values_list("queue", flat=True).distinct().order_by():
        jobs_release(queue=queue)  # a release missed when a worker died between its job and the release
    return requeued


def worker_heartbeat_record(*, name: str, queues: list[str], concurrency: int) -> None:
    """Stamp a worker as alive (its main process does, every JOB_HEARTBEAT_SECONDS), then release
    what its queues can now take: a worker that starts gets the waiting jobs without the sweeper."""
    WorkerHeartbeat.objects.update_or_create(
        name=name,
        defaults={"queues": ",".join(sorted(queues)), "concurrency": concurrency, "seen_at": timezone.now()},
    )
    for queue in queues:
        jobs_release(queue=queue)


def worker_heartbeat_forget(*, name: str) -> None:
    """A worker shutting down stops counting at once (a killed one, after three missed beats)."""
    WorkerHeartbeat.objects.filter(name=name).delete()
