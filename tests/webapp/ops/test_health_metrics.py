"""/healthz is public; /readyz and /metrics say details only to staff, the metrics token or an
internal address; the job metrics come from the job table."""

import datetime as dt
import json
import logging

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from webapp.ops.logs import JobIdFilter, JsonFormatter, current_job_id
from webapp.ops.metrics import failure_reason
from workers.models import InferenceJob


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


def test_healthz_is_public_and_plain(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_readyz_hides_details_from_anonymous_visitors(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.content == b"ready\n"


def test_readyz_shows_each_dependency_to_staff(client, staff):
    client.force_login(staff)
    body = client.get("/readyz").json()
    assert body["ready"] is True
    assert [c["name"] for c in body["checks"]] == ["database", "broker", "storage"]
    assert all(c["ok"] for c in body["checks"])


def test_readyz_fails_with_the_reason_when_storage_refuses_writes(client, staff, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocker)
    client.force_login(staff)
    response = client.get("/readyz")
    assert response.status_code == 503
    storage = next(c for c in response.json()["checks"] if c["name"] == "storage")
    assert storage["ok"] is False and storage["detail"]


def test_metrics_refused_to_anonymous_and_learners(client, learner):
    assert client.get("/metrics").status_code == 403
    client.force_login(learner)
    assert client.get("/metrics").status_code == 403


def test_metrics_with_token_or_internal_address(client, db, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    settings.METRICS_ALLOWED_IPS = ["10.1.2.3"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.4").status_code == 403


def _job(owner, **fields) -> InferenceJob:
    return InferenceJob.objects.create(owner=owner, capability="asr", backend="faster-whisper", **fields)


def test_job_metrics_count_queues_durations_and_failures(client, staff, learner):
    now = timezone.now()
    _job(learner, status="queued")
    _job(learner, status="queued", queue="gpu")
    _job(learner, status="running")
    done = _job(learner, status="succeeded", started_at=now - dt.timedelta(seconds=3), finished_at=now)
    InferenceJob.objects.filter(pk=done.pk).update(created_at=now - dt.timedelta(seconds=5))
    _job(learner, status="failed", error="The job took longer than its 300 s limit and was stopped.",
         started_at=now, finished_at=now)  # fmt: skip
    client.force_login(staff)
    text = client.get("/metrics").content.decode()
    assert 'soundpath_jobs{queue="cpu",status="queued"} 1.0' in text
    assert 'soundpath_jobs{queue="gpu",status="queued"} 1.0' in text
    assert 'soundpath_jobs{queue="cpu",status="running"} 1.0' in text
    assert 'soundpath_job_duration_seconds_bucket{capability="asr",le="2.5"} 1.0' in text  # the failure: 0 s
    assert 'soundpath_job_duration_seconds_bucket{capability="asr",le="5.0"} 2.0' in text
    assert 'soundpath_job_wait_seconds_count{capability="asr"} 2.0' in text
    assert 'soundpath_job_failures_total{capability="asr",reason="time_limit"} 1.0' in text
    assert "django_http_requests_total_by_method_total" in text  # django-prometheus request metrics


def test_failure_reasons_are_a_small_fixed_set():
    assert failure_reason("This job stopped its worker 3 times (crash or out of memory)") == "worker_lost"
    assert failure_reason("The engine failed: RuntimeError: boom") == "engine_error"
    assert failure_reason("The audio is silent.") == "input_or_engine_refused"


def test_workers_page_is_for_staff_only(client, learner, staff):
    assert client.get("/ops/workers/").status_code == 302
    client.force_login(learner)
    assert client.get("/ops/workers/").status_code == 302
    client.force_login(staff)
    page = client.get("/ops/workers/")
    assert page.status_code == 200 and b"Workers and queues" in page.content


def test_log_lines_carry_the_job_id_as_json():
    record = logging.LogRecord("workers.execution", logging.INFO, __file__, 1, "decoded %s", ("input",), None)
    token = current_job_id.set("1234-abcd")
    try:
        JobIdFilter().filter(record)
    finally:
        current_job_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["job_id"] == "1234-abcd" and line["message"] == "decoded input" and line["level"] == "INFO"
