"""A job over its time limit on a real worker: it ends failed with a message, and the same worker
process (and pool child) goes on to run the next job."""

import io
import time

import pytest
from django.db import connection

from demos.samples import SPEECH_EN
from tests.processes import celery_worker_process
from workers.models import InferenceJob
from workers.services import UploadedInput, job_submit
from workers.tasks import health_check

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _upload(path) -> UploadedInput:
    data = path.read_bytes()
    return UploadedInput("audio", io.BytesIO(data), path.name, len(data))


def _finished(job: InferenceJob, timeout: float) -> InferenceJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job never finished: status={job.status} error={job.error!r}")


def _pool_pid() -> int:
    return health_check.delay("time-limit").get(timeout=30)["worker_pid"]


def test_job_over_its_time_limit_fails_and_the_worker_lives_on(learner, pyannote_sample, settings):
    # The limit travels with the message (set by the submitting process); the worker's own
    # setting words the failure message. Both say 1 s.
    settings.JOB_TIME_LIMIT_DEFAULT = 1
    settings.JOB_MAX_CONCURRENT_PER_USER = 5
    with celery_worker_process(
        db_name=connection.settings_dict["NAME"], name="time-limit", extra_env={"JOB_TIME_LIMIT_DEFAULT": "1"}
    ) as worker:
        child_before = _pool_pid()
        slow = job_submit(
            user=learner, capability="pitch", backend="pyin", files=[_upload(pyannote_sample[0])]
        )
        slow = _finished(slow, 90)
        quick = job_submit(user=learner, capability="vad", backend="webrtc", files=[_upload(SPEECH_EN)])
        quick = _finished(quick, 60)
        child_after = _pool_pid()
        worker_alive = worker.poll() is None

    assert (slow.status, slow.error) == ("failed", "The job took longer than its 1 s limit and was stopped.")
    assert slow.attempts == 1 and not slow.result_files.exists()
    assert quick.status == "succeeded", quick.error
    assert worker_alive and child_after == child_before  # soft limit: no process was killed
