"""The job list kept per learner (workers/views.py): kept only while all its jobs have finished,
renewed when a job is created or deleted, rendered for each request while a job waits or runs
(its progress and place move without a token bump), and never served to anyone else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from workers.models import InferenceJob

pytestmark = pytest.mark.django_db


def _job(owner, status: str = "succeeded", **fields) -> InferenceJob:
    finished = timezone.now() if status in InferenceJob.FINISHED else None
    return InferenceJob.objects.create(
        owner=owner, capability="vad", backend="silero", status=status, finished_at=finished, **fields
    )


def _list(client) -> tuple[str, list[str]]:
    """The page and the queries that read jobs while answering it."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("workers:jobs"))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured if "workers_inferencejob" in q["sql"]]


def test_a_list_of_finished_jobs_is_read_once_then_kept(client, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _job(learner, origin="first run")
    client.force_login(learner)

    first, first_reads = _list(client)
    again, again_reads = _list(client)

    assert "first run" in first and first_reads
    assert "first run" in again and again_reads == []


def test_a_new_job_and_a_deleted_one_show_on_a_kept_list(client, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old = _job(learner, origin="older run")
    client.force_login(learner)
    _list(client)  # kept

    with django_capture_on_commit_callbacks(execute=True):
        _job(learner, status="queued", origin="newer run")
    after_new, _ = _list(client)
    with django_capture_on_commit_callbacks(execute=True):
        old.delete()
    after_delete, _ = _list(client)

    assert "newer run" in after_new and "older run" in after_new
    assert "newer run" in after_delete and "older run" not in after_delete


def test_a_running_jobs_progress_and_end_show_at_each_request(
    client, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _job(learner, status="running", progress=0.1)
    client.force_login(learner)
    running, _ = _list(client)

    InferenceJob.objects.filter(id=job.id).update(progress=0.6)  # as the worker writes it: no signal
    further, _ = _list(client)
    InferenceJob.objects.filter(id=job.id).update(status="succeeded", finished_at=timezone.now())
    finished, _ = _list(client)
    _, kept_reads = _list(client)

    assert "Running</span> 10%" in running
    assert "Running</span> 60%" in further
    assert "Succeeded" in finished and "Running</span>" not in finished
    assert kept_reads == []  # all finished now: kept from here on


def test_a_learners_kept_job_list_is_never_served_to_another(
    client, learner, other_learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _job(learner, origin="ann's private run")
    client.force_login(learner)
    assert "ann&#x27;s private run" in _list(client)[0]

    client.force_login(other_learner)
    others, _ = _list(client)

    assert "private run" not in others and "No jobs yet" in others
