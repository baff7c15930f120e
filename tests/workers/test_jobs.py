"""The job life cycle, run in-process (the task's own logic): success, failure, cancel, quotas,
idempotence and the attempt limit. The real-worker paths are in test_jobs_worker.py."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from demos.samples import SPEECH_EN
from workers.execution import job_attempt_execute
from workers.models import InferenceJob
from workers.services import JobRefused, UploadedInput, job_cancel, job_submit

pytestmark = pytest.mark.django_db


def upload(path=SPEECH_EN, name="audio") -> UploadedInput:
    data = path.read_bytes()
    return UploadedInput(name, io.BytesIO(data), path.name, len(data))


@pytest.fixture
def no_enqueue(monkeypatch):
    """Keep jobs in the queue (no broker round trip) so the test runs them itself."""
    monkeypatch.setattr("workers.services.job_enqueue", lambda job: None)


def test_vad_job_runs_and_stores_result_and_timings(learner, no_enqueue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_submit(user=learner, capability="vad", backend="silero", files=[upload()], origin="test")

    job_attempt_execute(job_id=str(job.id))

    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.progress == 1.0 and job.attempts == 1 and job.device == "cpu"
    assert job.started_at and job.finished_at and job.compute_seconds > 0
    segments = job.result["segments"]
    assert (
        segments and segments[0]["start"] < 0.5 and segments[-1]["end"] > 6.0
    )  # the clip is 6.9 s of speech
    assert job.inputs.get().original_name == "speech_en.wav"


def test_result_audio_files_are_written_and_owned(learner, no_enqueue, client):
    job = job_submit(user=learner, capability="enhancement", backend="spectral-gating", files=[upload()])

    job_attempt_execute(job_id=str(job.id))

    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    stored = job.result_files.get(name="enhanced.wav")
    assert stored.content_type == "audio/wav" and stored.size > 1000
    client.force_login(learner)
    response = client.get(f"/jobs/files/{stored.id}/")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"RIFF"


def test_undecodable_input_fails_with_a_specific_message(learner, no_enqueue):
    text = b"definitely not audio\n" * 50
    job = job_submit(
        user=learner,
        capability="vad",
        files=[UploadedInput("audio", io.BytesIO(text), "notes.wav", len(text))],
    )

    job_attempt_execute(job_id=str(job.id))

    job.refresh_from_db()
    assert job.status == "failed"
    assert "not audio we can read" in job.error


def test_engine_error_fails_the_job_with_its_message(learner, no_enqueue):
    job = job_submit(user=learner, capability="tts", text="   ")

    job_attempt_execute(job_id=str(job.id))

    job.refresh_from_db()
    assert job.status == "failed" and job.error == "There is no text to speak."


def test_finished_job_is_not_run_again(learner, no_enqueue):
    job = job_submit(user=learner, capability="vad", backend="silero", files=[upload()])
    job_attempt_execute(job_id=str(job.id))
    job.refresh_from_db()
    first_result, first_finish = job.result, job.finished_at

    job_attempt_execute(job_id=str(job.id))  # a re-delivered message

    job.refresh_from_db()
    assert job.attempts == 1 and job.result == first_result and job.finished_at == first_finish


def test_job_that_killed_its_worker_too_often_fails_with_that_reason(learner, no_enqueue, settings):
    job = job_submit(user=learner, capability="vad", files=[upload()])
    InferenceJob.objects.filter(id=job.id).update(status="running", attempts=settings.JOB_MAX_ATTEMPTS)

    job_attempt_execute(job_id=str(job.id))

    job.refresh_from_db()
    assert job.status == "failed"
    assert f"stopped its worker {settings.JOB_MAX_ATTEMPTS} times" in job.error


def test_cancelled_queued_job_never_runs(learner, no_enqueue):
    job = job_submit(user=learner, capability="vad", files=[upload()])

    assert job_cancel(job=job, user=learner) is True
    job_attempt_execute(job_id=str(job.id))

    job.refresh_from_db()
    assert job.status == "cancelled" and job.result is None and job.attempts == 0


def test_only_the_owner_can_cancel(learner, other_learner, no_enqueue):
    job = job_submit(user=learner, capability="vad", files=[upload()])

    with pytest.raises(PermissionError):
        job_cancel(job=job, user=other_learner)


def test_concurrent_job_limit_is_enforced_with_a_clear_message(learner, no_enqueue, settings):
    settings.JOB_MAX_CONCURRENT_PER_USER = 2
    job_submit(user=learner, capability="vad", files=[upload()])
    job_submit(user=learner, capability="vad", files=[upload()])

    with pytest.raises(JobRefused, match="already have 2 jobs waiting or running"):
        job_submit(user=learner, capability="vad", files=[upload()])


def test_daily_job_limit_is_enforced(learner, no_enqueue, settings):
    settings.JOB_MAX_PER_DAY_PER_USER = 1
    job = job_submit(user=learner, capability="vad", files=[upload()])
    job_cancel(job=job, user=learner)

    with pytest.raises(JobRefused, match="daily limit"):
        job_submit(user=learner, capability="vad", files=[upload()])


def test_empty_and_oversized_uploads_are_refused_before_storing(learner, no_enqueue, settings):
    settings.JOB_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(JobRefused, match="empty"):
        job_submit(
            user=learner, capability="vad", files=[UploadedInput("audio", io.BytesIO(b""), "a.wav", 0)]
        )
    with pytest.raises(JobRefused, match=r"MB; the limit is 0 MB"):
        job_submit(user=learner, capability="vad", files=[upload()])
    assert InferenceJob.objects.count() == 0


def test_unknown_backend_is_refused(learner, no_enqueue):
    with pytest.raises(JobRefused, match="No backend 'nope' for asr"):
        job_submit(user=learner, capability="asr", backend="nope", files=[upload()])


def test_path_traversal_filename_stays_in_the_job_folder(learner, no_enqueue, settings):
    data = SPEECH_EN.read_bytes()
    job = job_submit(
        user=learner,
        capability="vad",
        files=[UploadedInput("audio", io.BytesIO(data), "../../../etc/passwd.wav", len(data))],
    )

    stored = job.inputs.get()
    assert stored.file.name == f"jobs/{job.id}/inputs/audio-passwd.wav"
    assert stored.file.path.startswith(str(settings.MEDIA_ROOT))


def test_job_pages_are_owner_only(client, learner, other_learner, no_enqueue):
    job = job_submit(user=learner, capability="vad", files=[upload()])
    client.force_login(other_learner)

    assert client.get(f"/jobs/{job.id}/").status_code == 404
    assert client.get(f"/jobs/{job.id}/status/").status_code == 404
    assert client.post(f"/jobs/{job.id}/cancel/").status_code == 404
    job.refresh_from_db()
    assert job.status == "queued"


def test_job_page_and_status_show_queue_position(client, learner, no_enqueue):
    first = job_submit(user=learner, capability="vad", files=[upload()])
    second = job_submit(user=learner, capability="vad", files=[upload()])
    client.force_login(learner)

    status = client.get(f"/jobs/{second.id}/status/").json()
    page = client.get(f"/jobs/{first.id}/").content.decode()

    assert status["queue_position"] == 2 and status["status"] == "queued" and status["finished"] is False
    assert '<span data-field="queue_text">busy: 1st in line</span>' in page  # no timings yet: no estimate
    assert '<progress max="100" value="0"' in page


def test_job_form_submits_an_upload(client, learner, no_enqueue):
    client.force_login(learner)
    audio = SimpleUploadedFile("clip.wav", SPEECH_EN.read_bytes(), content_type="audio/wav")

    response = client.post("/jobs/new/vad/", {"audio": audio, "backend": "", "params": '{"threshold": 0.6}'})

    job = InferenceJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.id}/"
    assert job.params == {"threshold": 0.6} and job.backend == "silero"


def test_job_form_rejects_bad_json(client, learner):
    client.force_login(learner)

    response = client.post("/jobs/new/vad/", {"params": "{threshold"})

    assert "Not valid JSON" in response.content.decode()
    assert InferenceJob.objects.count() == 0


def test_my_jobs_lists_only_mine(client, learner, other_learner, no_enqueue):
    mine = job_submit(user=learner, capability="vad", files=[upload()])
    theirs = job_submit(user=other_learner, capability="vad", files=[upload()])
    client.force_login(learner)

    html = client.get("/jobs/").content.decode()

    assert str(mine.id) in html and str(theirs.id) not in html


@pytest.fixture
def eager_tasks():
    """Tasks sent from here run here, for real (Celery's eager mode), for the test's duration."""
    from workers.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_a_finished_jobs_follow_up_runs_once_and_the_sweeper_sends_a_lost_one(
    learner, eager_tasks, django_capture_on_commit_callbacks
):
    """A worker that died between a job's end and its follow-up leaves it to the sweeper; sent once."""
    from datetime import timedelta

    from django.utils import timezone

    from quiz.models import Attempt
    from tests.quiz.factories import AttemptFactory
    from workers.services import job_follow_up_send, jobs_requeue_stale

    ended = timezone.now() - timedelta(hours=1)
    job = InferenceJob.objects.create(
        owner=learner, capability="asr", backend="faster-whisper", status="failed", error="The audio is silent.",
        finished_at=ended, follow_up="quiz.spoken_answer_grade",
    )  # fmt: skip
    attempt = AttemptFactory(user=learner, mode="mock", status="pending", recording=job, score=None)

    with django_capture_on_commit_callbacks(execute=True):  # the grading task it sends, run here
        jobs_requeue_stale()

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.FAILED and "The audio is silent." in attempt.error
    job.refresh_from_db()
    assert job.follow_up_sent_at is not None
    assert job_follow_up_send(job_id=str(job.id)) is False  # never twice


@pytest.mark.parametrize("capability", ["voice-cloning", "voice-conversion"])
def test_voice_copying_jobs_run_only_from_their_consent_checking_demo(learner, no_enqueue, capability):
    with pytest.raises(JobRefused, match="checks the voice owner's consent first"):
        job_submit(user=learner, capability=capability, files=[upload(name="reference")], origin="form")
    assert not InferenceJob.objects.exists()


def test_the_job_page_says_synthesised_audio_is_ai_generated(client, learner):
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from workers.models import JobResultFile

    client.force_login(learner)
    pages = {}
    for capability in ("tts", "enhancement"):
        job = InferenceJob.objects.create(
            owner=learner,
            capability=capability,
            backend="b",
            status="succeeded",
            result={},
            engine_name="Piper",
        )
        result = JobResultFile(job=job, name="speech.wav", content_type="audio/wav", size=4)
        result.file.save("speech.wav", ContentFile(b"RIFF"), save=True)
        pages[capability] = client.get(reverse("workers:job", args=[job.id])).content.decode()

    assert "AI-generated audio: speech synthesised from text by Piper" in pages["tts"]
    assert "AI-generated" not in pages["enhancement"]  # a filtered recording, not synthetic
