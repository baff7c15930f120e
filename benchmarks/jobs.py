"""Job benchmark: what a job adds over calling the engine (queue + storage + database), and jobs
per minute with one and with two Celery workers on Redis, on the platform's real path.

    .venv/bin/python -m benchmarks.jobs       # writes results/jobs.json

The job is VAD (Silero, the default) on the shipped speech clip: an engine that takes milliseconds,
so what is measured is the platform around it. Latency is end to end as a user sees it — from
job_submit() (checks, input file stored, row written, message enqueued) until the row says
succeeded — one job at a time, so no job waits behind another. Direct is engine_infer() in this
process, engine already loaded: the same decode and engine call a worker makes, nothing around it.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Timer, load_average, machine, percentile, today, write_json

LATENCY_JOBS = int(os.environ.get("BENCH_JOBS_LATENCY", "30"))
BURST_JOBS = int(os.environ.get("BENCH_JOBS_BURST", "40"))
JOB_TIMEOUT_S = 120  # one job, or one burst, waits at most this long
POLL_S = 0.005


def _submit(user):
    from demos.samples import SPEECH_EN
    from workers.services import UploadedInput, job_submit

    with open(SPEECH_EN, "rb") as f:
        upload = UploadedInput(
            name="audio", file=f, original_name="speech_en.wav", size=SPEECH_EN.stat().st_size
        )
        return job_submit(user=user, capability="vad", files=[upload], origin="benchmark")


def _wait(job_ids: list, timeout: float = JOB_TIMEOUT_S) -> None:
    from workers.models import InferenceJob

    deadline = time.monotonic() + timeout
    while InferenceJob.objects.filter(id__in=job_ids).exclude(status__in=InferenceJob.FINISHED).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"jobs not finished within {timeout} s")
        time.sleep(POLL_S)
    failed = InferenceJob.objects.filter(id__in=job_ids).exclude(status="succeeded")
    if failed.exists():
        job = failed.first()
        raise RuntimeError(f"job {job.id} ended {job.status}: {job.error}")


def _summary(seconds: list[float]) -> dict:
    return {
        "n": len(seconds),
        "p50_ms": round(1000 * percentile(seconds, 50), 1),
        "p99_ms": round(1000 * percentile(seconds, 99), 1),
        "mean_ms": round(1000 * sum(seconds) / len(seconds), 1),
    }


def direct_latency(n: int) -> dict:
    from demos.samples import SPEECH_EN
    from workers.engines.runner import engine_infer

    engine_infer("vad", audio_paths={"audio": SPEECH_EN})  # load once, as a worker does
    load = load_average()
    times = []
    for _ in range(n):
        with Timer() as t:
            engine_infer("vad", audio_paths={"audio": SPEECH_EN})
        times.append(t.seconds)
    return {**_summary(times), "load_average": load}


def job_latency(user, n: int) -> dict:
    from workers.models import InferenceJob

    load = load_average()
    times, ids = [], []
    for _ in range(n):
        with Timer() as t:
            job = _submit(user)
            _wait([job.id])
        times.append(t.seconds)
        ids.append(job.id)
    parts = {
        "queue wait (created → started)": [],
        "in the worker (started → finished)": [],
        "engine compute": [],
    }
    for job in InferenceJob.objects.filter(id__in=ids):
        parts["queue wait (created → started)"].append((job.started_at - job.created_at).total_seconds())
        parts["in the worker (started → finished)"].append((job.finished_at - job.started_at).total_seconds())
        parts["engine compute"].append(job.compute_seconds or 0.0)
    breakdown = {name: _summary(values) for name, values in parts.items()}
    return {**_summary(times), "load_average": load, "breakdown (from the job rows)": breakdown}


def throughput(user, n: int) -> dict:
    load = load_average()
    with Timer() as t:
        ids = [_submit(user).id for _ in range(n)]
        _wait(ids, timeout=JOB_TIMEOUT_S + n)
    return {
        "jobs": n,
        "seconds": round(t.seconds, 2),
        "jobs_per_minute": round(60 * n / t.seconds, 1),
        "load_average": load,
    }


def main() -> None:
    from benchmarks.benchdb import DB_NAME, SETTINGS, prepare

    prepare(fresh=True)
    from django.conf import settings

    from tests.processes import celery_worker_process
    from webapp.accounts.models import User

    user = User.objects.get(username="bench-learner-00")
    worker_env = {"DJANGO_SETTINGS_MODULE": SETTINGS, "BENCH_DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
                  "NUMBA_CACHE_DIR": str(settings.BASE_DIR / "var" / "numba-cache")}  # fmt: skip
    results = {"direct (engine_infer in-process, warm)": direct_latency(LATENCY_JOBS)}
    print("direct", results["direct (engine_infer in-process, warm)"], flush=True)
    with celery_worker_process(db_name=DB_NAME, name="bench-1", extra_env=worker_env):
        throughput(user, 2)  # warm: the worker loads the engine once
        results["job, one at a time, 1 worker"] = job_latency(user, LATENCY_JOBS)
        print("job", results["job, one at a time, 1 worker"], flush=True)
        results["burst, 1 worker"] = throughput(user, BURST_JOBS)
        print("1 worker", results["burst, 1 worker"], flush=True)
        with celery_worker_process(db_name=DB_NAME, name="bench-2", extra_env=worker_env):
            throughput(user, 4)  # warm the second worker too
            results["burst, 2 workers"] = throughput(user, BURST_JOBS)
            print("2 workers", results["burst, 2 workers"], flush=True)
    direct, job = results["direct (engine_infer in-process, warm)"], results["job, one at a time, 1 worker"]
    results["overhead"] = {
        "p50_ms": round(job["p50_ms"] - direct["p50_ms"], 1),
        "p99_ms": round(job["p99_ms"] - direct["p99_ms"], 1),
        "ratio_p50": round(job["p50_ms"] / direct["p50_ms"], 1),
    }
    notes = [
        "VAD (silero) on demos/samples/speech_en.wav; Redis broker (database 14); PostgreSQL; "
        "workers as in production: prefork, concurrency 1, started by tests.processes.celery_worker_process",
        f"latency: {LATENCY_JOBS} jobs one after another, the client polling the row every {POLL_S * 1000:.0f} ms; "
        f"throughput: {BURST_JOBS} jobs submitted at once, time until the last one succeeded",
    ]
    write_json("jobs.json", {"machine": machine(), "date": today(), "notes": notes, "results": results})
    print(results["overhead"])


if __name__ == "__main__":
    main()
