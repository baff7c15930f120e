"""A class pressing Run together: jobs are handed to the broker in a fair order (round-robin by
learner), released when a worker frees up, and every waiting learner sees only their own place
in line and an estimated wait."""

import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from demos.common import job_wait_text
from tests.factories import UserFactory
from tests.workers.conftest import speech_upload
from workers.fair_line import Queued, busy_text, estimated_wait_seconds, fair_order, ordinal, to_release
from workers.models import InferenceJob, WorkerHeartbeat
from workers.selectors import job_place, queue_worker_slots
from workers.services import UploadedInput, job_cancel, job_submit, jobs_release_after, jobs_requeue_stale
from workers.tasks import job_execute

T0 = datetime(2026, 12, 3, 9, 0, 0)


def _q(name: str, owner: int, second: int, round_: int = 0, sent: int | None = None) -> Queued:
    at = lambda s: T0 + timedelta(seconds=s)  # noqa: E731
    return Queued(name, owner, at(second), at(sent) if sent is not None else None, round_)


def _names(jobs) -> list[str]:
    return [j.id for j in jobs]


# --- the order itself (plain Python) -------------------------------------------------------------


def test_each_learners_first_job_comes_before_anyones_second():
    line = [_q("a1", 1, 0), _q("a2", 1, 1, 1), _q("a3", 1, 2, 2), _q("b1", 2, 3), _q("c1", 3, 9)]

    assert _names(fair_order(line)) == ["a1", "b1", "c1", "a2", "a3"]


def test_a_second_job_waits_for_a_first_submitted_after_it():
    line = [_q("a2", 1, 1, 1), _q("b1", 2, 3), _q("b2", 2, 4, 1), _q("c1", 3, 5)]

    assert _names(fair_order(line)) == ["b1", "c1", "a2", "b2"]


def test_jobs_already_sent_stay_ahead_in_the_order_they_were_sent():
    line = [_q("b1", 2, 3), _q("a2", 1, 1, 1, sent=5), _q("c1", 3, 0, sent=4)]

    assert _names(fair_order(line)) == ["c1", "a2", "b1"]


def test_release_fills_the_free_worker_slots_only():
    line = fair_order([_q("a1", 1, 0, sent=0), _q("a2", 1, 1, 1), _q("b1", 2, 2), _q("c1", 3, 3)])

    assert _names(to_release(line, {4: 1}, slots=3)) == ["b1"]  # 1 running + 1 sent = 2 of 3 busy
    assert _names(to_release(line, {4: 1}, slots=2)) == []


def test_without_known_workers_each_learner_has_one_job_at_the_broker():
    line = fair_order([_q("a1", 1, 0), _q("a2", 1, 1, 1), _q("b1", 2, 2), _q("c1", 3, 3, sent=3)])

    assert _names(to_release(line, {}, slots=None)) == ["a1", "b1"]


@pytest.mark.parametrize(
    ("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (21, "21st")]
)
def test_ordinals(n, text):
    assert ordinal(n) == text


def test_estimated_wait_shares_the_line_between_workers():
    assert estimated_wait_seconds(12, median_seconds=3.0, workers=1) == 39  # 12 jobs to run, then its own
    assert estimated_wait_seconds(12, median_seconds=3.0, workers=2) == 21
    assert estimated_wait_seconds(3, median_seconds=None, workers=2) is None
    assert busy_text(12, 40) == "busy: 12th in line, about 40 s"
    assert busy_text(2, 300) == "busy: 2nd in line, about 5 min"
    assert busy_text(3, None) == "busy: 3rd in line"


# --- releasing through the database --------------------------------------------------------------


@pytest.fixture
def one_worker(db) -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(
        name="cpu@test", queues="cpu,gpu", concurrency=1, seen_at=timezone.now()
    )


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    def submit_(user, **kwargs) -> InferenceJob:
        with django_capture_on_commit_callbacks(execute=True):
            return job_submit(
                user=user, capability="vad", backend="silero", files=[speech_upload()], **kwargs
            )

    return submit_


def _finish(job: InferenceJob, status: str = "succeeded") -> None:
    InferenceJob.objects.filter(id=job.id).update(status=status, finished_at=timezone.now())


@pytest.mark.django_db
def test_one_worker_serves_b_before_as_second_job(learner, other_learner, sent, one_worker, submit,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    a1, a2, a3 = (submit(learner) for _ in range(3))
    b1 = submit(other_learner)
    assert sent == [str(a1.id)]  # one worker, one job at the broker; the rest wait in the database
    assert InferenceJob.objects.filter(dispatched_at__isnull=True).count() == 3

    for finished, expected_next in [(a1, b1), (b1, a2), (a2, a3)]:
        _finish(finished)
        with django_capture_on_commit_callbacks(execute=True):
            jobs_release_after(job_id=str(finished.id))
        assert sent[-1] == str(expected_next.id)
    assert len(sent) == 4


@pytest.mark.django_db
def test_without_known_workers_b_is_sent_before_as_second_job(learner, other_learner, sent, submit):
    a1, a2 = submit(learner), submit(learner)
    b1 = submit(other_learner)

    assert sent == [str(a1.id), str(b1.id)]
    a2.refresh_from_db()
    assert a2.status == "queued" and a2.dispatched_at is None


@pytest.mark.django_db
def test_a_failed_job_releases_the_next_one_from_its_task(learner, other_learner, sent, one_worker,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        crashing = job_submit(
            user=learner, capability="tts", backend="espeak-ng", text="Hi.", params={"speed": "fast/etc"}
        )
        waiting = job_submit(user=other_learner, capability="tts", backend="espeak-ng", text="Hello.")
    assert sent == [str(crashing.id)]

    with django_capture_on_commit_callbacks(execute=True):
        job_execute(str(crashing.id))  # the task's own logic: the attempt, then the release

    crashing.refresh_from_db()
    assert crashing.status == "failed"
    assert sent == [str(crashing.id), str(waiting.id)]


@pytest.mark.django_db
def test_cancelling_releases_the_next_job(learner, other_learner, sent, one_worker, submit,
                                          django_capture_on_commit_callbacks):  # fmt: skip
    first = submit(learner)
    second = submit(other_learner)

    with django_capture_on_commit_callbacks(execute=True):
        assert job_cancel(job=first, user=learner)

    assert sent == [str(first.id), str(second.id)]


@pytest.mark.django_db
def test_the_sweeper_releases_waiting_jobs_a_dead_worker_never_released(
    learner, other_learner, sent, one_worker, submit, django_capture_on_commit_callbacks
):
    first, second = submit(learner), submit(other_learner)
    _finish(first)  # its worker died after finishing it, before releasing the next

    with django_capture_on_commit_callbacks(execute=True):
        jobs_requeue_stale()

    second.refresh_from_db()
    assert sent == [str(first.id), str(second.id)] and second.dispatched_at is not None


@pytest.mark.django_db
def test_stale_and_other_queue_heartbeats_do_not_count(settings):
    now = timezone.now()
    stale = now - timedelta(seconds=3 * settings.JOB_HEARTBEAT_SECONDS + 1)
    WorkerHeartbeat.objects.create(name="cpu@a", queues="cpu", concurrency=2, seen_at=now)
    WorkerHeartbeat.objects.create(name="cpu@b", queues="cpu,gpu", concurrency=1, seen_at=now)
    WorkerHeartbeat.objects.create(name="cpu@dead", queues="cpu", concurrency=4, seen_at=stale)

    assert queue_worker_slots(queue="cpu", now=now) == 3
    assert queue_worker_slots(queue="gpu", now=now) == 1
    assert queue_worker_slots(queue="training", now=now) is None


# --- the place in line and the estimated wait -----------------------------------------------------


def _timed_runs(owner, seconds: list[float]) -> None:
    """Finished VAD runs that held a worker these many seconds from their release to their result
    (half a second of it in the broker and the claim); the medians come from these."""
    end = timezone.now() - timedelta(minutes=5)
    for s in seconds:
        InferenceJob.objects.create(
            owner=owner, capability="vad", backend="silero", status="succeeded",
            dispatched_at=end - timedelta(seconds=s), started_at=end - timedelta(seconds=s - 0.5), finished_at=end,
        )  # fmt: skip


@pytest.mark.django_db
def test_the_median_counts_from_release_to_result_and_from_the_start_for_older_jobs(learner):
    from workers.selectors import job_kind_median_seconds

    _timed_runs(learner, [2.0, 3.0])
    end = timezone.now()
    InferenceJob.objects.create(
        owner=learner,
        capability="vad",
        backend="silero",
        status="succeeded",
        started_at=end - timedelta(seconds=10),
        finished_at=end,
    )  # fmt: skip  (before fair dispatch: no release time)

    assert job_kind_median_seconds(capability="vad", backend="silero") == 3.0
    assert job_kind_median_seconds(capability="vad", backend="webrtc") is None


@pytest.mark.django_db
def test_place_and_estimated_wait_on_the_job_page_and_in_the_demo(client, learner, sent, submit):
    _timed_runs(UserFactory(), [2.0, 4.0, 6.0])  # median 4 s
    for name in ("cpu@one", "cpu@two"):
        WorkerHeartbeat.objects.create(name=name, queues="cpu,gpu", concurrency=1, seen_at=timezone.now())
    a, b, c = learner, UserFactory(), UserFactory()
    a_jobs = [submit(a) for _ in range(3)]  # two workers: a1 and a2 are sent at once
    b1, c1 = submit(b), submit(c)
    # the line: a1, a2 (at the broker), then b1, c1, a3
    assert [job_place(job=j).place for j in [*a_jobs, b1, c1]] == [1, 2, 5, 3, 4]

    client.force_login(b)
    status = client.get(f"/jobs/{b1.id}/status/").json()
    page = client.get(f"/jobs/{b1.id}/").content.decode()

    assert status["queue_position"] == 3 and status["eta_seconds"] == 10  # (3 / 2 workers + 1) × 4 s
    assert status["queue_text"] == "busy: 3rd in line, about 10 s"
    assert '<span data-field="queue_text">busy: 3rd in line, about 10 s</span>' in page
    assert 'aria-live="polite"' in page
    assert job_wait_text(b1, job_place(job=b1)) == "busy: 3rd in line, about 10 s"


@pytest.mark.django_db
def test_the_place_shows_nothing_of_other_learners_jobs(client, learner, sent, submit):
    other = UserFactory(username="someone-else")
    theirs = [submit(other, text="", origin="asr-demo") for _ in range(2)]
    mine = submit(learner)
    client.force_login(learner)

    status = client.get(f"/jobs/{mine.id}/status/").json()
    page = client.get(f"/jobs/{mine.id}/").content.decode()

    assert set(status) == {"id", "status", "status_label", "progress", "message", "queue_position",
                           "eta_seconds", "queue_text", "error", "finished"}  # fmt: skip
    assert status["queue_position"] == 2 and status["queue_text"] == "busy: 2nd in line"
    for leaked in [*(str(j.id) for j in theirs), "someone-else", "asr-demo"]:
        assert leaked not in page and leaked not in str(status)


@pytest.mark.django_db
def test_a_started_job_has_no_place(learner, sent, submit):
    job = submit(learner)
    InferenceJob.objects.filter(id=job.id).update(status="running")
    job.refresh_from_db()

    assert job_place(job=job) is None
    assert job_wait_text(job, None) == "Working…"


# --- real workers: a released job's worker dies ---------------------------------------------------


def _wait_until(predicate, timeout: float, what: str) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"never {what}")


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_released_job_whose_worker_dies_finishes_and_the_waiting_one_follows(pyannote_sample, settings):
    """One worker: A's job is released, B's waits in the database. SIGKILL the worker mid-job; a
    second worker gets A's job again (broker re-delivery) and releases B's when it has finished."""
    from django.db import connection

    from tests.processes import celery_worker_process, kill_process_group

    db_name = connection.settings_dict["NAME"]
    quick = {"CELERY_VISIBILITY_TIMEOUT": "5", "JOB_HEARTBEAT_SECONDS": "1"}
    settings.JOB_HEARTBEAT_SECONDS = 1  # as the workers count: three missed beats and a worker is gone
    a, b = UserFactory(), UserFactory()
    data = pyannote_sample[0].read_bytes()

    def submit_(user) -> InferenceJob:
        upload = UploadedInput("audio", io.BytesIO(data), "sample.wav", len(data))
        return job_submit(user=user, capability="pitch", backend="pyin", files=[upload])

    with celery_worker_process(db_name=db_name, name="fair-victim", extra_env=quick) as victim:
        _wait_until(
            lambda: WorkerHeartbeat.objects.filter(name__startswith="fair-victim@").exists(), 30, "beat"
        )
        released, waiting = submit_(a), submit_(b)
        _wait_until(lambda: InferenceJob.objects.get(id=released.id).status == "running", 120, "started")
        waiting.refresh_from_db()
        assert waiting.status == "queued" and waiting.dispatched_at is None  # not at the broker: safe
        kill_process_group(victim)
    # A killed worker counts for three missed beats (it may only be slow); the rescuer comes once it
    # has stopped counting, so that the line is decided by the rescuer's one slot alone.
    _wait_until(lambda: queue_worker_slots(queue="cpu") is None, 30, "victim stops counting")
    waiting.refresh_from_db()
    assert waiting.dispatched_at is None  # no live worker: nothing released meanwhile

    with celery_worker_process(db_name=db_name, name="fair-rescuer", extra_env=quick):
        jobs = InferenceJob.objects.filter(id__in=[released.id, waiting.id])
        _wait_until(lambda: all(j.is_finished for j in jobs.all()), 240, "both finished")

    released.refresh_from_db()
    waiting.refresh_from_db()
    assert (released.status, released.attempts) == ("succeeded", 2), released.error
    assert (waiting.status, waiting.attempts) == ("succeeded", 1), waiting.error
    assert waiting.started_at > released.finished_at - timedelta(seconds=1)  # released once A's was done


@pytest.mark.django_db
def test_the_job_list_shows_the_place_of_each_waiting_job(client, learner, sent, submit):
    first = submit(learner)
    InferenceJob.objects.filter(id=first.id).update(status="running")
    submit(UserFactory())
    submit(learner)  # behind the other learner's first job
    client.force_login(learner)

    page = client.get("/jobs/").content.decode()

    assert page.count("busy: ") == 1 and "busy: 2nd in line" in page


@pytest.mark.django_db
def test_the_job_list_reads_the_line_once_however_many_jobs_wait(client, learner, sent, submit, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.JOB_MAX_CONCURRENT_PER_USER = 10
    client.force_login(learner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/jobs/")
        return len(captured)

    submit(learner), submit(learner)
    queries()  # the first request of a session does some one-off work
    with_two = queries()
    submit(learner), submit(learner), submit(learner)
    assert queries() == with_two


@pytest.mark.django_db
def test_the_job_list_follows_the_line_as_other_learners_jobs_start(client, learner, sent, submit):
    others = submit(UserFactory())
    mine = submit(learner)
    client.force_login(learner)
    before = client.get("/jobs/").content.decode()

    InferenceJob.objects.filter(id=others.id).update(status="running")  # a worker took it: no signal
    after = client.get("/jobs/").content.decode()

    assert mine.status == "queued"
    assert "busy: 2nd in line" in before and "busy: 1st in line" in after
