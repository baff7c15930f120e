"""Job errors shown to users are curated: an unexpected crash says where the details are (the log), and
never shows the exception, its values or server paths."""

import logging

import pytest

from workers.execution import job_attempt_execute
from workers.services import job_submit

pytestmark = pytest.mark.django_db


def test_an_unexpected_engine_crash_is_reported_without_its_details(learner, monkeypatch, caplog):
    monkeypatch.setattr("workers.services.job_enqueue", lambda job: None)
    job = job_submit(
        user=learner, capability="tts", backend="espeak-ng", text="Hello.", params={"speed": "fast/etc"}
    )

    with caplog.at_level(logging.ERROR, logger="workers.execution"):
        job_attempt_execute(job_id=str(job.id))

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == f"The engine failed unexpectedly; the details are in the server's log (job {job.id})."
    assert "could not convert string to float: 'fast/etc'" in caplog.text  # the details: in the log only
