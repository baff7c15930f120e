"""A spoken mock-interview answer through a real ASR job on a real Celery worker: the recording is
transcribed, the transcript graded like a typed answer, and delivery measured from word timings."""

import subprocess
import time

import pytest
from django.urls import reverse

from demos.samples import SPEECH_EN
from quiz.models import Attempt
from tests.quiz.factories import MockInterviewFactory, QuestionFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# demos/samples/speech_en.wav says: "Sound is a pressure wave. A spectrogram shows how its energy
# moves across frequency and time." Two of these three points are in it.
RUBRIC = [
    ("Sound is a pressure wave travelling through a medium such as air.", ["pressure wave"]),
    (
        "A spectrogram shows how energy is spread over frequency and time.",
        ["spectrogram", "frequency", "time"],
    ),
    ("A magnitude spectrogram throws away the phase.", ["phase", "magnitude"]),
]


@pytest.fixture
def browser_recording(tmp_path):
    """The sample clip as a browser's MediaRecorder would upload it: Opus in WebM."""
    path = tmp_path / "answer.webm"
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(SPEECH_EN),
            "-c:a",
            "libopus",
            "-b:a",
            "32k",
            str(path),
        ],
        check=True,
    )
    return path


def _wait_until_finished(client, job_id, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(reverse("workers:job_status", args=[job_id])).json()  # what the page polls
        if status["finished"]:
            return status
        time.sleep(0.5)
    raise AssertionError(f"the ASR job did not finish within {timeout} s: {status}")


def _wait_until_graded(attempt: Attempt, timeout: float = 240) -> Attempt:
    """Read the database only (a page view must not be what grades the answer)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        attempt.refresh_from_db()
        if attempt.status not in (Attempt.Status.PENDING, Attempt.Status.GRADING):
            return attempt
        time.sleep(0.5)
    raise AssertionError(f"the spoken answer was not graded within {timeout} s of its transcript")


def test_spoken_answer_is_transcribed_graded_and_gets_delivery_feedback(
    client, learner, celery_worker, browser_recording
):
    question = QuestionFactory(
        kind="free", rubric=RUBRIC, prompt="What is sound, and what does a spectrogram show?"
    )
    mock = MockInterviewFactory(user=learner, question_ids=[question.id])
    client.force_login(learner)

    with browser_recording.open("rb") as audio:
        response = client.post(
            reverse("quiz:mock_record", args=[mock.id]), {"question": question.id, "audio": audio}
        )

    assert response.status_code == 302, response.content.decode()[-2000:]
    attempt = Attempt.objects.get(mock=mock)
    assert attempt.status == "pending" and attempt.recording.capability == "asr"
    assert attempt.recording.origin == "mock-interview"
    pending_page = client.get(reverse("quiz:mock", args=[mock.id])).content.decode()
    assert reverse("workers:job_status", args=[attempt.recording_id]) in pending_page

    status = _wait_until_finished(client, attempt.recording_id)
    assert status["status"] == "succeeded", status["error"]
    # Graded by the job's follow-up task on the worker: no page of the quiz is opened from here on.
    attempt = _wait_until_graded(attempt)
    assert attempt.status == "graded", attempt.error
    assert attempt.recording.follow_up == "quiz.spoken_answer_grade" and attempt.recording.follow_up_sent_at
    # Whisper tiny.en on espeak through Opus: "spectrogram" may come out misspelt ("stackedogram"),
    # and the grader still finds the point from the rest of the sentence.
    assert (
        "pressure wave" in attempt.transcript.lower() and "frequency and time" in attempt.transcript.lower()
    )
    assert attempt.answer_text == attempt.transcript
    assert [p["point"] for p in attempt.points_hit] == [RUBRIC[0][0], RUBRIC[1][0]]
    assert [p["point"] for p in attempt.points_missed] == [RUBRIC[2][0]]
    assert 0.5 < attempt.score < 0.85
    assert attempt.rating == Attempt.Rating.GOOD and attempt.question.cards.get(user=learner)
    delivery = attempt.delivery
    assert 14 <= delivery["words"] <= 20 and 100 < delivery["words_per_minute"] < 220
    assert delivery["pauses"] == [] and delivery["filler_count"] == 0

    client.post(reverse("quiz:mock_finish", args=[mock.id]))
    report = client.get(reverse("quiz:mock_report", args=[mock.id])).content.decode()
    assert "Spoken" in report and "words per minute" in report and "No filler words." in report
