"""What the staff page shows about Celery: live workers, what each runs, and the job table's view of
the queues (the same figures Flower gives, without another service to run)."""

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q
from django.utils import timezone


@dataclass(frozen=True)
class WorkerRow:
    name: str
    queues: list[str]
    active: int
    concurrency: int | None
    processed: int | None


def _live_workers(timeout: float = 1.0) -> list[WorkerRow]:
    from workers.celery import app

    inspector = app.control.inspect(timeout=timeout)
    try:
        stats = inspector.stats() or {}
        active = inspector.active() or {}
        queues = inspector.active_queues() or {}
    except Exception:  # broker unreachable: the page says no worker answered
        return []
    rows = []
    for name, info in sorted(stats.items()):
        total = sum((info.get("total") or {}).values()) if isinstance(info.get("total"), dict) else None
        rows.append(
            WorkerRow(
                name=name,
                queues=sorted(q["name"] for q in queues.get(name, [])),
                active=len(active.get(name, [])),
                concurrency=(info.get("pool") or {}).get("max-concurrency"),
                processed=total,
            )
        )
    return rows


def workers_overview() -> dict:
    from workers.models import InferenceJob

    hour_ago = timezone.now() - timezone.timedelta(hours=1)
    per_queue = (
        InferenceJob.objects.values("queue")
        .annotate(
            queued=Count("id", filter=Q(status="queued")),
            running=Count("id", filter=Q(status="running")),
            done_last_hour=Count("id", filter=Q(status="succeeded", finished_at__gte=hour_ago)),
            failed_last_hour=Count("id", filter=Q(status="failed", finished_at__gte=hour_ago)),
            mean_wait=Avg(F("started_at") - F("created_at"), filter=Q(started_at__gte=hour_ago)),
        )
        .order_by("queue")
    )
    return {
        "workers": _live_workers(),
        "queues": list(per_queue),
        "recent_failures": list(
            InferenceJob.objects.filter(status="failed")
            .order_by("-finished_at")[:10]
            .values("id", "capability", "backend", "error", "finished_at")
        ),
    }
