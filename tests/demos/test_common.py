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


def test_job_submit_and_wait_returns_the_finished_job_of_the_learner(learner_request, learner, inline_jobs):
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


def test_an_unknown_exercise_is_refused_before_it_is_queued(learner):
    from workers.services import JobRefused, job_submit

    with pytest.raises(JobRefused, match="no predict-then-run experiment called 'nope'"):
        job_submit(user=learner, capability="exercise", backend="nope")
    assert not InferenceJob.objects.exists()


def test_every_exercise_id_is_unique_and_runs_somewhere_declared():
    from demos.exercises import exercises_by_id
    from webapp.inprocess import EXERCISES_IN_PROCESS

    ids = [e.id for e in exercises_by_id().values()]
    assert len(ids) == len(set(ids)) >= 15
    in_process = {e.demo for e in exercises_by_id().values() if e.demo in EXERCISES_IN_PROCESS}
    assert in_process == {"fundamentals"}


def test_demo_handlers_reach_engines_only_through_jobs():
    """Engine calls in demos/ sit in exercises (run on a worker as "exercise" jobs) and in the offline
    scripts that made the shipped samples; no demos module looks an engine up itself: a worker hands
    an exercise the engines it names, and webapp/inprocess.py the live keyword spotter."""
    import re
    from pathlib import Path

    demos_dir = Path(__file__).resolve().parents[2] / "demos"
    sources = {str(path.relative_to(demos_dir.parent)): path.read_text() for path in demos_dir.rglob("*.py")}
    in_process = sorted(
        name for name, text in sources.items()
        if not name.endswith("/exercises.py") and not name.split("/")[-1].startswith("make_")
        and re.search(r"\b(engine_infer|get_engine)\(", text)
    )  # fmt: skip
    lookups = sorted(name for name, text in sources.items() if re.search(r"\bget_engine\b", text))

    assert in_process == []
    assert lookups == []
