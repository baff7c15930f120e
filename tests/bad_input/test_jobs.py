"""The bad-input corpus through the job path (job_submit, then job_attempt_execute as a worker runs it):
a refused file fails its job with the reason, legal audio succeeds, nothing is left stuck."""

import pytest

from tests.bad_input.conftest import (
    ACCEPTED,
    CORPUS,
    REFUSED,
    TRAVERSAL_NAME,
    assert_inside_media_root,
    upload,
)
from workers.execution import job_attempt_execute
from workers.models import InferenceJob
from workers.services import JobRefused, UploadedInput, job_submit

pytestmark = pytest.mark.django_db


def _run(user, path, name=None) -> InferenceJob:
    job = job_submit(user=user, capability="vad", files=[upload(path, name)])
    job_attempt_execute(job_id=str(job.id))
    job.refresh_from_db()
    assert job.is_finished and job.finished_at is not None  # never left queued or running
    return job


def test_empty_file_is_refused_before_a_job_exists(learner, no_enqueue):
    with pytest.raises(JobRefused) as refused:
        job_submit(user=learner, capability="vad", files=[upload(CORPUS / "empty.wav")])

    assert str(refused.value) == "The file for 'audio' is empty (0 bytes)."
    assert InferenceJob.objects.count() == 0


@pytest.mark.parametrize("name", sorted(set(REFUSED) - {"empty.wav"}))
def test_bad_file_fails_its_job_with_the_reason(learner, no_enqueue, name):
    job = _run(learner, CORPUS / name)

    assert (job.status, job.error, job.progress_message) == ("failed", REFUSED[name], "Failed.")
    assert job.attempts == 1 and not job.result_files.exists()


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_unusual_but_legal_audio_job_succeeds(learner, no_enqueue, name):
    job = _run(learner, CORPUS / name)

    assert job.status == "succeeded", job.error
    assert job.result["segments"] == [] if name == "silence.wav" else "segments" in job.result


def test_500_mb_file_is_refused_before_it_is_stored(learner, no_enqueue, large_files, settings):
    path = large_files["five_hundred_mb"]
    jobs_folder = settings.MEDIA_ROOT / "jobs"
    before = set(jobs_folder.iterdir()) if jobs_folder.exists() else set()

    with path.open("rb") as f, pytest.raises(JobRefused) as refused:
        job_submit(
            user=learner, capability="vad", files=[UploadedInput("audio", f, path.name, path.stat().st_size)]
        )

    assert str(refused.value) == "The file for 'audio' is 500.0 MB; the limit is 50 MB."
    assert InferenceJob.objects.count() == 0
    assert (set(jobs_folder.iterdir()) if jobs_folder.exists() else set()) == before


def test_two_hour_file_is_refused_by_size_or_fails_from_its_header(
    learner, no_enqueue, large_files, settings
):
    path = large_files["two_hours"]
    with path.open("rb") as f, pytest.raises(JobRefused, match=r"is 230\.4 MB; the limit is 50 MB\.$"):
        job_submit(
            user=learner, capability="vad", files=[UploadedInput("audio", f, path.name, path.stat().st_size)]
        )

    settings.JOB_UPLOAD_MAX_BYTES = 300_000_000  # a server that takes big files still caps the duration
    with path.open("rb") as f:
        job = job_submit(
            user=learner, capability="vad", files=[UploadedInput("audio", f, path.name, path.stat().st_size)]
        )
    try:
        job_attempt_execute(job_id=str(job.id))
        job.refresh_from_db()
        assert (job.status, job.error) == (
            "failed",
            "The recording is 120.0 minutes long; the limit is 10.0 minutes.",
        )
        assert job.compute_seconds is None  # refused from the header: the engine never ran
    finally:
        for stored in job.inputs.all():
            stored.file.delete(save=False)  # 230 MB: do not leave it in the test media folder


def test_path_traversal_name_is_stored_inside_the_media_root(learner, no_enqueue, settings):
    job = _run(learner, CORPUS / "pcm_16.wav", name=TRAVERSAL_NAME)

    stored = job.inputs.get()
    assert job.status == "succeeded", job.error
    assert stored.file.name == f"jobs/{job.id}/inputs/audio-passwd.wav"
    assert_inside_media_root(stored.file.path, settings.MEDIA_ROOT)
    for base in (settings.MEDIA_ROOT, settings.MEDIA_ROOT / "jobs" / str(job.id) / "inputs"):
        assert not (base / TRAVERSAL_NAME).resolve().exists()
