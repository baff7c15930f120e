"""manage.py jobs: submit (and wait) through the real queue and a real worker, show, list."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import UserFactory

SAMPLE = Path(__file__).resolve().parents[2] / "demos" / "samples" / "speech_en.wav"


def _run(*args) -> dict | list:
    out = io.StringIO()
    call_command("jobs", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_submit_wait_show_and_list_through_a_real_worker(celery_worker):
    user = UserFactory(username="cli-learner")
    job = _run("submit", "vad", str(SAMPLE), "--user", "cli-learner", "--wait", "--timeout", "120")
    assert job["status"] == "succeeded" and job["owner"] == "cli-learner"
    assert job["result"]["segments"], job
    shown = _run("show", job["id"])
    assert shown["id"] == job["id"] and shown["result"] == job["result"]
    listed = _run("list", "--status", "succeeded", "--user", user.username)
    assert [j["id"] for j in listed] == [job["id"]]


def test_submit_refuses_an_unknown_user_a_missing_file_and_a_bad_param(db):
    UserFactory(username="someone")
    with pytest.raises(CommandError, match="No user named"):
        call_command("jobs", "submit", "vad", str(SAMPLE), "--user", "nobody")
    with pytest.raises(CommandError, match="No such file"):
        call_command("jobs", "submit", "vad", "/nonexistent.wav", "--user", "someone")
    with pytest.raises(CommandError, match="key=value"):
        call_command("jobs", "submit", "vad", str(SAMPLE), "--user", "someone", "--param", "oops")
    with pytest.raises(CommandError, match="Not a job id"):
        call_command("jobs", "show", "not-a-uuid")
