"""A task through the real broker to a real worker process, which reads the same database."""

import os
import uuid
from pathlib import Path

import pytest

from workers.models import InferenceJob
from workers.tasks import health_check

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_celery_round_trip_through_real_worker(celery_worker, learner):
    for _ in range(3):
        InferenceJob.objects.create(owner=learner, capability="vad", backend="webrtc", status="succeeded")
    token = uuid.uuid4().hex

    result = health_check.delay(token).get(timeout=60)

    assert result["token"] == token
    assert result["worker_pid"] != os.getpid()
    assert _parent_pid(result["worker_pid"]) == celery_worker.pid  # ran in the worker's pool child
    assert result["jobs_in_database"] == 3


def _parent_pid(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
