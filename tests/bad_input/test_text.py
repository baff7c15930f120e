"""Text inputs through the TTS job path and the generic job form: empty, 100 KB, emoji,
right-to-left scripts, HTML and script tags (kept exactly, escaped wherever they are shown)."""

import pytest
from django.utils.html import escape

from workers.execution import job_attempt_execute
from workers.models import InferenceJob
from workers.services import JobRefused, job_submit

pytestmark = pytest.mark.django_db

HUNDRED_KB = "Speech. " * 12_800  # 102,400 characters
EMOJI = "Hello 👋 world 🌍, 🎤 on!"
RIGHT_TO_LEFT = "שלום עולם — مرحبا بالعالم"
MARKUP = "<script>alert('x')</script><b>bold</b> & <img src=x onerror=alert(1)>"
SPEAKABLE = {"emoji": EMOJI, "right-to-left": RIGHT_TO_LEFT, "markup": MARKUP}


def _tts(user, text: str) -> InferenceJob:
    job = job_submit(user=user, capability="tts", backend="espeak-ng", text=text)
    job_attempt_execute(job_id=str(job.id))
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("text", ["", "   \n\t "], ids=["empty", "whitespace"])
def test_empty_text_fails_the_job_with_the_reason(learner, no_enqueue, text):
    job = _tts(learner, text)

    assert (job.status, job.error) == ("failed", "There is no text to speak.")


def test_100_kb_text_is_refused_before_a_job_exists(learner, no_enqueue):
    with pytest.raises(JobRefused) as refused:
        job_submit(user=learner, capability="tts", backend="espeak-ng", text=HUNDRED_KB)

    assert str(refused.value) == "The text is 102,400 characters; the limit is 5,000."
    assert InferenceJob.objects.count() == 0


@pytest.mark.parametrize("kind", sorted(SPEAKABLE))
def test_unusual_text_is_spoken_and_kept_exactly(learner, no_enqueue, kind):
    job = _tts(learner, SPEAKABLE[kind])

    assert job.status == "succeeded", job.error
    assert job.text_input == SPEAKABLE[kind] and job.result["text"] == SPEAKABLE[kind]
    assert job.result["duration"] > 0.5


@pytest.mark.parametrize("kind", sorted(SPEAKABLE))
def test_text_through_the_form_is_escaped_on_the_job_page(client, learner, no_enqueue, kind):
    text = SPEAKABLE[kind]
    client.force_login(learner)

    response = client.post("/jobs/new/tts/", {"backend": "espeak-ng", "text": text, "params": ""})
    job = InferenceJob.objects.get()
    job_attempt_execute(job_id=str(job.id))
    page = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert f'<blockquote class="transcript">{escape(text)}</blockquote>' in page
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page


def test_empty_text_through_the_form_shows_the_reason(client, learner, no_enqueue):
    client.force_login(learner)

    response = client.post("/jobs/new/tts/", {"backend": "espeak-ng", "text": "", "params": ""})
    job = InferenceJob.objects.get()
    job_attempt_execute(job_id=str(job.id))
    page = client.get(response["Location"]).content.decode()

    assert "There is no text to speak." in page


def test_100_kb_of_markup_through_the_form_is_refused_and_escaped_when_shown_back(client, learner):
    client.force_login(learner)
    text = MARKUP * (100_000 // len(MARKUP) + 1)

    response = client.post("/jobs/new/tts/", {"backend": "espeak-ng", "text": text, "params": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"The text is {len(text):,} characters; the limit is 5,000." in html
    assert escape(MARKUP) in html  # the textarea gives the text back, escaped
    assert "<script>alert" not in html and "<img src=x" not in html
    assert InferenceJob.objects.count() == 0
