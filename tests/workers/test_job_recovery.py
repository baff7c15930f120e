"""Nothing is lost: duplicate messages are ignored, orphaned and lost jobs are sent again, and a
broker restarted without persistence still gets every queued job done."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import UserFactory
from tests.processes import celery_client_broker, celery_worker_process, private_redis
from tests.workers.conftest import speech_upload
from workers.execution import job_attempt_execute
from workers.models import InferenceJob
from workers.services import job_submit, jobs_requeue_stale


@pytest.mark.django_db
def test_duplicate_message_for_a_job_a_live_worker_holds_is_ignored(learner, sent):
    job = job_submit(user=learner, capability="vad", files=[speech_upload()])
    InferenceJob.objects.filter(id=job.id).update(status="running", attempts=1, heartbeat_at=timezone.now())

    job_attempt_execute(job_id=str(job.id))

    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1


@pytest.mark.django_db
def test_job_with_a_stopped_heartbeat_is_taken_over(learner, sent, settings):
    job = job_submit(user=learner, capability="vad", backend="silero", files=[speech_upload()])
    silent_since = timezone.now() - timedelta(seconds=4 * settings.JOB_HEARTBEAT_SECONDS)
    InferenceJob.objects.filter(id=job.id).update(status="running", attempts=1, heartbeat_at=silent_since)

    job_attempt_execute(job_id=str(job.id))

    job.refresh_from_db()
    assert job.status == "succeeded" and job.attempts == 2


@pytest.mark.django_db
def test_sweeper_resends_lost_queued_and_orphaned_running_jobs_only(learner, sent, settings):
    settings.JOB_MAX_CONCURRENT_PER_USER = 10
    now = timezone.now()
    long_ago = now - timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS + 5)
    lost = job_submit(user=learner, capability="vad", files=[speech_upload()])
    fresh = job_submit(user=learner, capability="vad", files=[speech_upload()])
    orphan = job_submit(user=learner, capability="vad", files=[speech_upload()])
    alive = job_submit(user=learner, capability="vad", files=[speech_upload()])
    sent.clear()
    InferenceJob.objects.filter(id=lost.id).update(created_at=long_ago, dispatched_at=long_ago)
    InferenceJob.objects.filter(id=orphan.id).update(status="running", heartbeat_at=long_ago)
    InferenceJob.objects.filter(id=alive.id).update(status="running", heartbeat_at=now)

    first = jobs_requeue_stale(now=now)
    second = jobs_requeue_stale(now=now + timedelta(seconds=1))  # not again straight away

    assert sorted(first) == sorted([str(lost.id), str(orphan.id)])
    assert second == []
    assert str(fresh.id) not in sent and str(alive.id) not in sent


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_jobs_queued_when_the_broker_restarts_without_persistence_all_finish(learner):
    db_name = connection.settings_dict["NAME"]
    with private_redis() as (broker, restart), celery_client_broker(broker):
        # No worker known yet: each learner's first job goes to the broker, a second waits in the database.
        learners = [learner, UserFactory(), UserFactory()]
        jobs = [
            job_submit(user=u, capability="vad", backend="silero", files=[speech_upload()]) for u in learners
        ]
        waiting = job_submit(user=learner, capability="vad", backend="silero", files=[speech_upload()])
        time.sleep(0.5)  # the messages are in Redis now, and no worker is running
        restart()  # no persistence: every queued message is gone
        quick = {"JOB_REQUEUE_AFTER_SECONDS": "2"}
        with celery_worker_process(db_name=db_name, name="sweeper", extra_env=quick, beat=True):
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                if all(InferenceJob.objects.get(id=j.id).is_finished for j in [*jobs, waiting]):
                    break
                time.sleep(0.5)

    finished = InferenceJob.objects.filter(id__in=[j.id for j in jobs])
    assert sorted(j.status for j in finished) == ["succeeded"] * 3
    assert all(j.requeued_at is not None and j.attempts == 1 for j in finished)
    waiting.refresh_from_db()  # never at the broker when it restarted: released normally afterwards
    assert waiting.status == "succeeded" and waiting.requeued_at is None and waiting.attempts == 1
