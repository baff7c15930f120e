"""Jobs through real Celery workers on the real broker: progress, one result, a killed worker."""

import io
import time

import pytest
from django.db import connection

from demos.samples import SPEECH_EN
from tests.processes import celery_worker_process, kill_process_group
from workers.models import InferenceJob
from workers.services import UploadedInput, job_submit

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _upload(path) -> UploadedInput:
    data = path.read_bytes()
    return UploadedInput("audio", io.BytesIO(data), path.name, len(data))


def _wait_for(job: InferenceJob, predicate, timeout: float, what: str) -> InferenceJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if predicate(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job never {what}: status={job.status} attempts={job.attempts} error={job.error!r}")


def test_job_runs_on_a_real_worker_with_progress_and_result_file(learner):
    with celery_worker_process(db_name=connection.settings_dict["NAME"], name="jobs"):
        job = job_submit(
            user=learner, capability="enhancement", backend="spectral-gating", files=[_upload(SPEECH_EN)]
        )
        job = _wait_for(job, lambda j: j.is_finished, 120, "finished")

    assert job.status == "succeeded", job.error
    assert job.progress == 1.0 and job.attempts == 1
    assert [f.name for f in job.result_files.all()] == ["enhanced.wav"]
    assert job.started_at >= job.created_at and job.finished_at >= job.started_at


def test_killed_worker_job_is_redelivered_and_finishes_once(learner, pyannote_sample):
    """SIGKILL the whole worker mid-job; a second worker gets the job once the broker's
    visibility timeout passes, and the job ends with exactly one result."""
    db_name = connection.settings_dict["NAME"]
    # Redis re-delivers after 5 s; with a 1 s heartbeat the dead attempt looks orphaned after 3 s.
    quick_redelivery = {"CELERY_VISIBILITY_TIMEOUT": "5", "JOB_HEARTBEAT_SECONDS": "1"}
    with celery_worker_process(db_name=db_name, name="victim", extra_env=quick_redelivery) as victim:
        job = job_submit(
            user=learner, capability="pitch", backend="pyin", files=[_upload(pyannote_sample[0])]
        )
        _wait_for(job, lambda j: j.status == "running", 120, "started")
        kill_process_group(victim)
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1  # the dead worker left it mid-way

    with celery_worker_process(db_name=db_name, name="rescuer", extra_env=quick_redelivery):
        job = _wait_for(job, lambda j: j.is_finished, 180, "finished after re-delivery")

    assert job.status == "succeeded", job.error
    assert job.attempts == 2
    assert 25 < len(job.result["f0_hz"]) / 100 < 35  # one pitch value per 10 ms of the 30 s clip
    assert InferenceJob.objects.filter(id=job.id).count() == 1
