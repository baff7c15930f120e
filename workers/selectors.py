"""Job reads: a user's jobs, one job for its owner, its place in the fair line, status for polling."""

import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.utils import timezone

from workers.fair_line import Queued, busy_text, estimated_wait_seconds, fair_order
from workers.models import InferenceJob, JobResultFile, WorkerHeartbeat

TIMINGS_RECENT = 20  # the median duration is taken over this many recent successful runs of a kind
TIMINGS_CACHE_SECONDS = 30  # every waiting learner's page polls once a second: one query per kind per 30 s


def jobs_for_user(*, user) -> QuerySet[InferenceJob]:
    return InferenceJob.objects.filter(owner=user).order_by("-created_at")


def job_for_owner(*, job_id, user) -> InferenceJob:
    """The job if `user` owns it; DoesNotExist otherwise (callers answer 404, never 403, so ids leak nothing)."""
    return InferenceJob.objects.prefetch_related("result_files", "inputs").get(id=job_id, owner=user)


@dataclass(frozen=True)
class QueueLine:
    """A queue's jobs that have not started, in the fair order, and who has jobs running on it."""

    order: list[Queued]
    running_by_owner: dict[int, int]


def queue_line(*, queue: str) -> QueueLine:
    """Two queries, whatever the length of the line."""
    queued = [
        Queued(*row)
        for row in InferenceJob.objects.filter(status="queued", queue=queue).values_list(
            "id", "owner_id", "created_at", "dispatched_at", "fair_round"
        )
    ]
    running = (
        InferenceJob.objects.filter(status="running", queue=queue)
        .values("owner_id")
        .annotate(n=Count("id"))
        .values_list("owner_id", "n")
    )
    running_by_owner = dict(running)
    return QueueLine(order=fair_order(queued), running_by_owner=running_by_owner)


def queue_worker_slots(*, queue: str, now=None) -> int | None:
    """How many jobs the queue's live workers run at once (their concurrency, summed), from the
    heartbeats workers stamp in the database; None when no worker has reported recently. Asking
    the workers themselves (celery inspect) is a broadcast that waits a second or more for replies:
    too slow for every release and every poll of a waiting page."""
    now = now or timezone.now()
    fresh_since = now - timedelta(seconds=3 * settings.JOB_HEARTBEAT_SECONDS)
    beats = WorkerHeartbeat.objects.filter(seen_at__gte=fresh_since).values_list("queues", "concurrency")
    slots = [n for queues, n in beats if queue in queues.split(",")]
    return sum(slots) if slots else None


def job_kind_median_seconds(*, capability: str, backend: str) -> float | None:
    """The median time recent successful jobs of this kind held a worker: from their release to
    the broker (or their start, for jobs older than fair dispatch) to their result, so the broker
    delivery, the claim and the model load count as well as the compute."""
    key = f"jobs:median-seconds:{capability}:{backend}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None  # 0.0 stands for "no timings yet", cached too
    runs = (
        InferenceJob.objects.filter(
            capability=capability, backend=backend, status="succeeded", started_at__isnull=False
        )
        .order_by("-finished_at")
        .values_list("dispatched_at", "started_at", "finished_at")[:TIMINGS_RECENT]
    )
    durations = [(end - (sent or start)).total_seconds() for sent, start, end in runs]
    median = statistics.median(durations) if durations else None
    cache.set(key, median or 0.0, TIMINGS_CACHE_SECONDS)
    return median


@dataclass(frozen=True)
class Place:
    """A waiting job's place in line and estimated wait: counts only, nothing about others' jobs."""

    place: int  # 1 = next to start
    eta_seconds: int | None  # until its result; None until jobs of its kind have timings
    text: str  # "busy: 12th in line, about 40 s"


def job_place(*, job: InferenceJob) -> Place | None:
    """None once the job has left the line (started or finished)."""
    return job_places(jobs=[job]).get(job.id)


def job_places(*, jobs: list[InferenceJob]) -> dict:
    """The place of each waiting job among `jobs` (one user's list), by job id: one line read per
    queue, and no query at all when none of them waits."""
    waiting = [job for job in jobs if job.status == InferenceJob.Status.QUEUED]
    places, medians = {}, {}
    for queue in {job.queue for job in waiting}:
        ids = [q.id for q in queue_line(queue=queue).order]
        workers = queue_worker_slots(queue=queue) or 1
        for job in (j for j in waiting if j.queue == queue and j.id in ids):
            place = ids.index(job.id) + 1
            kind = (job.capability, job.backend)
            if kind not in medians:
                medians[kind] = job_kind_median_seconds(capability=job.capability, backend=job.backend)
            median = medians[kind]
            eta = estimated_wait_seconds(place, median_seconds=median, workers=workers)
            places[job.id] = Place(place=place, eta_seconds=eta, text=busy_text(place, eta))
    return places


def job_queue_position(*, job: InferenceJob) -> int | None:
    """1 = next to start, in the fair order. None once the job has left the queue."""
    place = job_place(job=job)
    return place.place if place else None


def job_status_payload(*, job: InferenceJob) -> dict:
    """What the job page polls: small, JSON-safe; of other people's jobs, only how many are ahead."""
    place = job_place(job=job)
    return {
        "id": str(job.id),
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": round(job.progress, 3),
        "message": job.progress_message,
        "queue_position": place.place if place else None,
        "eta_seconds": place.eta_seconds if place else None,
        "queue_text": place.text if place else "",
        "error": job.error,
        "finished": job.is_finished,
    }


def result_file_for_owner(*, file_id: int, user) -> JobResultFile:
    return JobResultFile.objects.select_related("job").get(id=file_id, job__owner=user)
