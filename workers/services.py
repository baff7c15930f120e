"""Job writes: submitting (with quotas and input checks), cancelling, and running one on a worker."""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from workers.models import InferenceJob, JobInputFile, JobResultFile

if TYPE_CHECKING:
    from workers.engines.runner import RunOutcome

log = logging.getLogger(__name__)


class JobRefused(ValueError):
    """The job was not created; the message says why, for the person who asked."""


class JobCancelled(Exception):
    pass


@dataclass(frozen=True)
class UploadedInput:
    name: str  # the role: "audio", "reference", "source", "target"…
    file: IO[bytes]
    original_name: str
    size: int


def time_limits(capability: str) -> tuple[int, int]:
    soft = settings.JOB_TIME_LIMITS.get(capability, settings.JOB_TIME_LIMIT_DEFAULT)
    return soft, soft + settings.JOB_HARD_LIMIT_GRACE


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
    from workers.tasks import run_inference_job

    soft, hard = time_limits(job.capability)
    result = run_inference_job.apply_async(
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


# ---------------------------------------------------------------------------------------------
# Running a job (called by the Celery task, in the worker process)


def _claim(job_id: str) -> InferenceJob | None:
    """Mark the job running for this attempt; None if it must not run (finished, cancelled, too many tries)."""
    with transaction.atomic():
        job = InferenceJob.objects.select_for_update().filter(id=job_id).first()
        if job is None or job.is_finished:
            return None  # a re-delivered finished job does not run again
        job.attempts += 1
        now = timezone.now()
        if job.attempts > settings.JOB_MAX_ATTEMPTS:
            job.status, job.finished_at = InferenceJob.Status.FAILED, now
            job.error = (
                f"This job stopped its worker {job.attempts - 1} times (crash or out of memory), "
                "so it was not tried again. Try a shorter or different input."
            )
            job.save()
            return None
        job.status, job.started_at = InferenceJob.Status.RUNNING, now
        job.progress, job.progress_message = 0.0, "Starting…"
        job.save()
    _remove_stray_results(job)
    return job


def _remove_stray_results(job: InferenceJob) -> None:
    """Files written by an attempt that died before committing belong to no result: delete them."""
    folder = f"jobs/{job.id}"
    if not default_storage.exists(folder):
        return
    for sub in default_storage.listdir(folder)[0]:
        if sub.startswith("results-"):
            for name in default_storage.listdir(f"{folder}/{sub}")[1]:
                default_storage.delete(f"{folder}/{sub}/{name}")


class _ProgressReporter:
    """Writes progress at most every 0.5 s, and notices cancellation while the engine works."""

    def __init__(self, job: InferenceJob):
        self.job = job
        self._last = 0.0

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - self._last < 0.5 and fraction < 1.0:
            return
        self._last = now
        updated = InferenceJob.objects.filter(id=self.job.id, status="running").update(
            progress=max(0.0, min(1.0, fraction)), progress_message=message[:200]
        )
        if not updated:
            raise JobCancelled()


@contextlib.contextmanager
def _local_inputs(job: InferenceJob) -> Iterator[dict[str, Path]]:
    """Each stored input copied to a local temporary file, so any storage backend (S3-like) works."""
    with tempfile.TemporaryDirectory(prefix=f"job-{job.id}-") as folder:
        paths = {}
        for stored in job.inputs.all():
            local = Path(folder) / f"{stored.name}{Path(stored.file.name).suffix.lower()}"
            with stored.file.open("rb") as source, local.open("wb") as target:
                shutil.copyfileobj(source, target)
            paths[stored.name] = local
        yield paths


def job_run(*, job_id: str) -> None:
    """Run one attempt of a job. Idempotent: a finished job is left alone."""
    from celery.exceptions import SoftTimeLimitExceeded

    from workers.audio_io import AudioInputError, AudioLimits
    from workers.engines.base import EngineError
    from workers.engines.runner import run_engine

    job = _claim(job_id)
    if job is None:
        return
    report = _ProgressReporter(job)
    limits = AudioLimits(max_bytes=settings.JOB_UPLOAD_MAX_BYTES, max_seconds=settings.JOB_AUDIO_MAX_SECONDS)
    try:
        report(0.02, "Loading the model…")
        with _local_inputs(job) as paths:
            outcome = run_engine(
                job.capability, backend=job.backend, audio_paths=paths, text=job.text_input,
                params=job.params, limits=limits, progress=report,
            )  # fmt: skip
        _save_success(job, outcome)
    except JobCancelled:
        log.info("job %s cancelled while running", job_id)
    except SoftTimeLimitExceeded:
        soft, _ = time_limits(job.capability)
        _save_failure(job, f"The job took longer than its {soft} s limit and was stopped.")
    except (AudioInputError, EngineError) as exc:
        _save_failure(job, str(exc))
    except Exception as exc:  # any other engine crash is reported, and the worker lives on
        log.exception("job %s failed", job_id)
        _save_failure(job, f"The engine failed: {type(exc).__name__}: {exc}")


def _save_success(job: InferenceJob, outcome: RunOutcome) -> None:
    """Write result files first, then mark success in one transaction: a crash in between leaves
    the job running (to be re-delivered), never succeeded with half a result."""
    from workers.engines.capabilities import wav_bytes

    engine, output = outcome.engine, outcome.output
    blobs = {f"{name}.wav": wav_bytes(audio, sr) for name, (audio, sr) in output.audio.items()}
    blobs.update(output.files)
    rows = []
    for name, data in sorted(blobs.items()):
        row = JobResultFile(job=job, name=name, attempt=job.attempts, size=len(data))
        row.content_type = content_type_for(name)
        row.file.save(name, ContentFile(data), save=False)
        rows.append(row)
    with transaction.atomic():
        current = InferenceJob.objects.select_for_update().get(id=job.id)
        if current.status != InferenceJob.Status.RUNNING:  # cancelled meanwhile: keep nothing
            for row in rows:
                default_storage.delete(row.file.name)
            return
        JobResultFile.objects.bulk_create(rows)
        current.status = InferenceJob.Status.SUCCEEDED
        current.progress, current.progress_message = 1.0, "Done."
        current.result = output.data
        current.finished_at = timezone.now()
        current.compute_seconds = outcome.compute_seconds
        current.load_seconds = outcome.load_seconds
        current.device = engine.device
        current.engine_name, current.engine_version = engine.card.engine, engine.version()
        current.save()


# Fixed types for what engines write: mimetypes' answers differ between machines (/etc/mime.types).
_CONTENT_TYPES = {".wav": "audio/wav", ".mid": "audio/midi", ".rttm": "text/plain", ".json": "application/json",
                  ".png": "image/png", ".txt": "text/plain"}  # fmt: skip


def content_type_for(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _save_failure(job: InferenceJob, message: str) -> None:
    InferenceJob.objects.filter(id=job.id, status="running").update(
        status=InferenceJob.Status.FAILED,
        error=message,
        finished_at=timezone.now(),
        progress_message="Failed.",
    )
