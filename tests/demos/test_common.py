"""demos.common: the Django user behind a Gradio request, jobs run for that user, model cards."""

import gradio as gr
import pytest

from demos.common import job_submit_and_wait, model_card_markdown, request_user
from demos.samples import SPEECH_EN
from workers.models import InferenceJob

pytestmark = pytest.mark.django_db


def test_request_user_reads_the_django_session(learner_request, learner, visitor_request):
    assert request_user(learner_request) == learner
    assert request_user(visitor_request) is None


def test_visitors_cannot_run_jobs(visitor_request):
    with pytest.raises(gr.Error, match="Log in to run this demo"):
        job_submit_and_wait(visitor_request, "vad", audio={"audio": SPEECH_EN})
    assert InferenceJob.objects.count() == 0


def test_run_job_returns_the_finished_job_of_the_learner(learner_request, learner, inline_jobs):
    job = job_submit_and_wait(
        learner_request, "vad", backend="silero", audio={"audio": SPEECH_EN}, origin="vad"
    )

    assert job.owner == learner and job.status == "succeeded" and job.origin == "vad"


def test_failed_job_becomes_a_gradio_error(learner_request, inline_jobs, tmp_path):
    junk = tmp_path / "junk.wav"
    junk.write_text("not audio\n" * 100)

    with pytest.raises(gr.Error, match="not audio we can read"):
        job_submit_and_wait(learner_request, "vad", audio={"audio": junk})


def test_quota_refusal_becomes_a_gradio_error(learner_request, settings):
    settings.JOB_MAX_PER_DAY_PER_USER = 0

    with pytest.raises(gr.Error, match="daily limit"):
        job_submit_and_wait(learner_request, "vad", audio={"audio": SPEECH_EN})


def test_model_card_names_package_licence_and_limits():
    card = model_card_markdown("vad", "silero")

    assert "silero-vad" in card and "Licence" in card and "Known limits" in card
