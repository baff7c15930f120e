"""Fixtures for demo tests: a Gradio-like request carrying a logged-in session, and jobs run inline."""

from dataclasses import dataclass, field

import pytest


@dataclass
class FakeGradioRequest:
    """What demos read from gr.Request: the cookies (the Django session travels in them)."""

    cookies: dict = field(default_factory=dict)


@pytest.fixture
def learner_request(client, learner) -> FakeGradioRequest:
    client.force_login(learner)
    return FakeGradioRequest({"sessionid": client.cookies["sessionid"].value})


@pytest.fixture
def visitor_request() -> FakeGradioRequest:
    return FakeGradioRequest()


def exercise_job_result(user) -> tuple[str, dict]:
    """(answer, measured) of the user's latest exercise job: what the worker's run measured."""
    from workers.models import InferenceJob

    job = InferenceJob.objects.filter(owner=user, capability="exercise").latest("created_at")
    assert job.status == "succeeded", job.error
    return job.result["answer"], job.result["measured"]


@pytest.fixture
def inline_jobs(monkeypatch):
    """Run each submitted job in this process as soon as it is submitted (the task's own logic,
    no broker; test transactions never commit). The real-worker path is covered by
    tests/workers/test_jobs_worker.py."""
    from workers.execution import job_attempt_execute

    monkeypatch.setattr("workers.services.job_enqueue", lambda job: job_attempt_execute(job_id=str(job.id)))
    monkeypatch.setattr("workers.services.transaction.on_commit", lambda fn, using=None, robust=False: fn())
