"""Running one attempt of a job on a worker: claim it under a lock, keep a heartbeat, run the
engine (or registered procedure), and store the result so that a crash never leaves half a result marked succeeded."""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import close_old_connections, transaction
from django.utils import timezone

from workers.limits import time_limits
from workers.model_store import trained_version_publish, trained_versions_sync
from workers.models import InferenceJob, JobResultFile

if TYPE_CHECKING:
    from workers.engines.base import EngineOutput

log = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Raised inside the engine's progress callback when the owner cancelled the running job."""


def _claim(job_id: str) -> InferenceJob | None:
    """Mark the job running for this attempt; None if it must not run (finished, cancelled, too many tries)."""
    with transaction.atomic():
        job = InferenceJob.objects.select_for_update().filter(id=job_id).first()
        if job is None or job.is_finished:
            return None  # a re-delivered finished job does not run again
        now = timezone.now()
        if job.status == InferenceJob.Status.RUNNING and _heartbeat_is_fresh(job, now):
            return None  # a duplicate message: a live worker has this job
        job.attempts += 1
        if job.attempts > settings.JOB_MAX_ATTEMPTS:
            job.status, job.finished_at = InferenceJob.Status.FAILED, now
            job.error = (
                f"This job stopped its worker {job.attempts - 1} times (crash or out of memory), "
                "so it was not tried again. Try a shorter or different input."
            )
            job.save()
            return None
        job.status, job.started_at, job.heartbeat_at = InferenceJob.Status.RUNNING, now, now
        job.progress, job.progress_message = 0.0, "Starting…"
        job.save()
    _remove_stray_results(job)
    return job


def _heartbeat_is_fresh(job: InferenceJob, now) -> bool:
    stale_after = timedelta(seconds=3 * settings.JOB_HEARTBEAT_SECONDS)
    return job.heartbeat_at is not None and now - job.heartbeat_at < stale_after


@contextlib.contextmanager
def _heartbeat(job: InferenceJob) -> Iterator[None]:
    """Stamp the job every JOB_HEARTBEAT_SECONDS while it runs, from a side thread: an engine may
    compute for minutes without reporting progress, and a silent job must not look orphaned."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                InferenceJob.objects.filter(id=job.id, status="running").update(heartbeat_at=timezone.now())
        finally:
            close_old_connections()

    thread = threading.Thread(target=beat, name=f"heartbeat-{job.id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


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


def job_attempt_execute(*, job_id: str) -> None:
    """Run one attempt of a job. Idempotent: a finished job is left alone."""
    from celery.exceptions import SoftTimeLimitExceeded

    from workers.audio_io import AudioInputError
    from workers.engines.base import EngineError

    job = _claim(job_id)
    if job is None:
        return
    report = _ProgressReporter(job)
    try:
        report(0.02, "Loading the model…")
        trained_versions_sync(capability=job.capability)  # models trained on another worker
        with _heartbeat(job), _local_inputs(job) as paths:
            produced = _produce(job, paths, report)
        _save_success(job, produced)
    except JobCancelled:
        log.info("job %s cancelled while running", job_id)
    except SoftTimeLimitExceeded:
        soft, _ = time_limits(job.capability)
        _save_failure(job, f"The job took longer than its {soft} s limit and was stopped.")
    except (AudioInputError, EngineError) as exc:
        _save_failure(job, str(exc))
    except Exception:  # any other engine crash is reported, and the worker lives on
        log.exception("job %s failed", job_id)
        _save_failure(
            job, f"The engine failed unexpectedly; the details are in the server's log (job {job_id})."
        )


@dataclass
class _Produced:
    """What an attempt made, and which engine (or procedure) made it."""

    output: EngineOutput
    load_seconds: float
    compute_seconds: float
    device: str
    engine_name: str
    engine_version: str


def _produce(job: InferenceJob, paths: dict[str, Path], report: _ProgressReporter) -> _Produced:
    """The one call into models on the job path: an engine of the registry, or a registered procedure."""
    from workers.audio_io import AudioLimits
    from workers.engines.base import EngineOutput
    from workers.engines.runner import engine_infer
    from workers.procedures import engines_load, procedure_for

    procedure = procedure_for(job.capability)
    if procedure is not None:
        started = time.perf_counter()
        engines = engines_load(procedure.needs(job.backend))
        loaded = time.perf_counter()
        data = procedure.run(job.backend, job.params, report, engines)
        return _Produced(
            EngineOutput(data), loaded - started, time.perf_counter() - loaded, "cpu", procedure.label, ""
        )
    limits = AudioLimits(max_bytes=settings.JOB_UPLOAD_MAX_BYTES, max_seconds=settings.JOB_AUDIO_MAX_SECONDS)
    outcome = engine_infer(
        job.capability, backend=job.backend, audio_paths=paths, text=job.text_input,
        params=job.params, limits=limits, progress=report,
    )  # fmt: skip
    engine = outcome.engine
    return _Produced(
        outcome.output, outcome.load_seconds, outcome.compute_seconds, engine.device,
        engine.card.engine, engine.version(),
    )  # fmt: skip


def _save_success(job: InferenceJob, produced: _Produced) -> None:
    """Write result files first, then mark success in one transaction: a crash in between leaves
    the job running (to be re-delivered), never succeeded with half a result."""
    from workers.disclosure import result_wav_bytes

    output = produced.output
    if job.capability == "training" and output.data.get("checkpoint_dir"):
        trained_version_publish(checkpoint_dir=Path(output.data["checkpoint_dir"]))
    blobs = {
        f"{name}.wav": result_wav_bytes(
            audio, sr, capability=job.capability, engine_name=produced.engine_name
        )
        for name, (audio, sr) in output.audio.items()
    }
    blobs.update(output.files)
    rows = []
    for name, data in sorted(blobs.items()):
        row = JobResultFile(job=job, name=name, attempt=job.attempts, size=len(data))
        row.content_type = content_type_for(name)
        row.file.save(name, ContentFile(data), save=False)
        rows.append(row)
    with transaction.atomic():
        current = InferenceJob.objects.select_for_update().filter(id=job.id).first()
        # Cancelled meanwhile, or gone with its owner's account: keep nothing.
        if current is None or current.status != InferenceJob.Status.RUNNING:
            for row in rows:
                default_storage.delete(row.file.name)
            return
        JobResultFile.objects.bulk_create(rows)
        current.status = InferenceJob.Status.SUCCEEDED
        current.progress, current.progress_message = 1.0, "Done."
        current.result = output.data
        current.finished_at = timezone.now()
        current.compute_seconds = produced.compute_seconds
        current.load_seconds = produced.load_seconds
        current.device = produced.device
        current.engine_name, current.engine_version = produced.engine_name, produced.engine_version
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
