"""Job metrics for Prometheus, read from the job table at scrape time: every web process reports
the same figures (no per-process counters to add up), and nothing is lost when a worker dies."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

DURATION_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
# How far back the duration and wait histograms look, and how many jobs they read at most.
HISTOGRAM_WINDOW = dt.timedelta(hours=24)
HISTOGRAM_MAX_JOBS = 20_000


def failure_reason(error: str) -> str:
    """A small, fixed set of reasons (a label must not take unbounded values)."""
    text = error.lower()
    if "stopped its worker" in text:
        return "worker_lost"
    if "longer than its" in text or "time limit" in text:
        return "time_limit"
    if "engine failed" in text or "engine crashed" in text:
        return "engine_error"
    return "input_or_engine_refused"


def _histogram(name: str, documentation: str, samples: dict[str, list[float]]) -> HistogramMetricFamily:
    family = HistogramMetricFamily(name, documentation, labels=["capability"])
    for capability, values in sorted(samples.items()):
        buckets = [(str(float(edge)), sum(v <= edge for v in values)) for edge in DURATION_BUCKETS]
        buckets.append(("+Inf", len(values)))
        family.add_metric([capability], buckets, sum_value=sum(values))
    return family


class JobCollector(Collector):
    def collect(self):
        from workers.models import InferenceJob

        state = GaugeMetricFamily(
            "soundpath_jobs", "Jobs queued or running now, per queue", labels=["queue", "status"]
        )
        counts = dict.fromkeys((q, s) for q in ("cpu", "gpu") for s in ("queued", "running"))
        for row in (
            InferenceJob.objects.filter(status__in=["queued", "running"])
            .values("queue", "status")
            .annotate(n=Count("id"))
        ):
            counts[(row["queue"], row["status"])] = row["n"]
        for (queue, status), n in sorted(counts.items()):
            state.add_metric([queue, status], n or 0)
        yield state

        since = timezone.now() - HISTOGRAM_WINDOW
        finished = (
            InferenceJob.objects.filter(finished_at__gte=since, started_at__isnull=False)
            .order_by("-finished_at")
            .values_list("capability", "created_at", "started_at", "finished_at")[:HISTOGRAM_MAX_JOBS]
        )
        durations, waits = defaultdict(list), defaultdict(list)
        for capability, created, started, ended in finished:
            durations[capability].append((ended - started).total_seconds())
            waits[capability].append(max(0.0, (started - created).total_seconds()))
        yield _histogram(
            "soundpath_job_duration_seconds", "Run time of jobs finished in the last 24 h", durations
        )
        yield _histogram("soundpath_job_wait_seconds", "Queue wait of jobs finished in the last 24 h", waits)

        failures = CounterMetricFamily(
            "soundpath_job_failures", "Failed jobs by capability and reason", labels=["capability", "reason"]
        )
        totals: dict[tuple[str, str], int] = defaultdict(int)
        for capability, error in InferenceJob.objects.filter(status="failed").values_list(
            "capability", "error"
        ):
            totals[(capability, failure_reason(error))] += 1
        for (capability, reason), n in sorted(totals.items()):
            failures.add_metric([capability, reason], n)
        yield failures


def metrics_registry():
    """What /metrics exposes: this process's registry with the job collector; or, when the page
    processes share PROMETHEUS_MULTIPROC_DIR (webapp/serve.py sets it), the request metrics of
    every page process added up, so a scrape does not see whichever process answered it."""
    import os

    from prometheus_client import REGISTRY, CollectorRegistry, multiprocess

    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        register_job_collector()
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    if settings.METRICS_ENABLED:
        registry.register(JobCollector())
    return registry


_registered = False


def register_job_collector() -> None:
    """Once per process (Django may import the URLconf more than once in tests)."""
    global _registered
    if not _registered and settings.METRICS_ENABLED:
        from prometheus_client import REGISTRY

        REGISTRY.register(JobCollector())
        _registered = True
