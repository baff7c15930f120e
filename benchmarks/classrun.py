"""Class-run benchmark: a class of learners presses Run within a few seconds. How long does each
learner wait, is the line fair, and what place and wait does each one see while waiting?

    .venv/bin/python -m benchmarks.classrun       # writes results/classrun.json

BENCH_CLASS_LEARNERS learners (default 50) each submit one small real job — VAD (Silero, the
default) on the shipped speech clip — spread evenly over BENCH_CLASS_SPREAD_S seconds (default 3),
and every BENCH_CLASS_SECOND_EVERY-th learner (default 10: 5 of 50) submits a second job straight
after the first. Jobs go through `job_submit` (quota checks, input stored, row written, released to
Redis in the fair order) to real Celery workers on PostgreSQL, with 1 and then 2 workers. While
jobs wait, a thread reads every waiting job's place and estimated wait once a second, as each
learner's job page does. Per learner (first jobs): queued→started and submitted→finished, median
and worst; and whether any learner's job was waiting when another learner's second job was handed
to the broker and started after it (waiting behind someone's second job).
"""

import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import load_average, machine, percentile, today, write_json

LEARNERS = int(os.environ.get("BENCH_CLASS_LEARNERS", "50"))
SPREAD_S = float(os.environ.get("BENCH_CLASS_SPREAD_S", "3"))
SECOND_EVERY = int(os.environ.get("BENCH_CLASS_SECOND_EVERY", "10"))
TIMEOUT_S = 300


def _learners(n: int) -> list:
    from webapp.accounts.models import User

    users = []
    for i in range(n):
        user, created = User.objects.get_or_create(
            username=f"class-learner-{i:02d}", defaults={"email": f"class-learner-{i:02d}@example.com"}
        )
        if created:
            user.set_unusable_password()
            user.save()
        users.append(user)
    return users


def _submit(user):
    from demos.samples import SPEECH_EN
    from workers.services import UploadedInput, job_submit

    with open(SPEECH_EN, "rb") as f:
        upload = UploadedInput("audio", f, "speech_en.wav", SPEECH_EN.stat().st_size)
        return job_submit(user=user, capability="vad", files=[upload], origin="benchmark-classrun")


class PlaceWatcher(threading.Thread):
    """Reads each waiting job's place once a second, as the job pages of the class do."""

    def __init__(self):
        super().__init__(daemon=True)
        self.ids: list = []
        self.seen: dict[str, list[tuple[float, int, str, int | None]]] = {}  # job id → (t, place, text, eta)
        self.stop = threading.Event()

    def run(self) -> None:
        from django.db import close_old_connections

        from workers.models import InferenceJob
        from workers.selectors import job_place

        while not self.stop.wait(1.0):
            for job in InferenceJob.objects.filter(id__in=list(self.ids), status="queued"):
                place = job_place(job=job)
                if place is not None:
                    reading = (time.time(), place.place, place.text, place.eta_seconds)
                    self.seen.setdefault(str(job.id), []).append(reading)
            close_old_connections()


def class_run(users: list, workers: int) -> dict:
    from workers.models import InferenceJob

    load = load_average()
    watcher = PlaceWatcher()
    watcher.start()
    started = time.monotonic()
    firsts, seconds = {}, {}
    for i, user in enumerate(users):
        time.sleep(max(0.0, started + i * SPREAD_S / len(users) - time.monotonic()))
        firsts[user.id] = _submit(user).id
        watcher.ids.append(firsts[user.id])
        if SECOND_EVERY and i % SECOND_EVERY == 0:
            seconds[user.id] = _submit(user).id
            watcher.ids.append(seconds[user.id])
    submitted_in = time.monotonic() - started
    ids = [*firsts.values(), *seconds.values()]
    deadline = time.monotonic() + TIMEOUT_S
    while InferenceJob.objects.filter(id__in=ids).exclude(status__in=InferenceJob.FINISHED).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the class's jobs did not finish within {TIMEOUT_S} s")
        time.sleep(0.05)
    watcher.stop.set()
    watcher.join()
    jobs = {j.id: j for j in InferenceJob.objects.filter(id__in=ids)}
    failed = [j for j in jobs.values() if j.status != "succeeded"]
    if failed:
        raise RuntimeError(
            f"{len(failed)} job(s) did not succeed, e.g. {failed[0].status}: {failed[0].error}"
        )
    return {
        "workers": workers,
        "learners": len(users),
        "second_jobs": len(seconds),
        "submitted_within_s": round(submitted_in, 2),
        "load_average_before": load,
        "load_average_after": load_average(),
        **_waits([jobs[i] for i in firsts.values()], "first jobs"),
        **_waits([jobs[i] for i in seconds.values()], "second jobs"),
        "behind_a_second_job": _behind_seconds(jobs, firsts, seconds),
        "place_shown": _places(watcher.seen, jobs, firsts),
    }


def _waits(jobs: list, label: str) -> dict:
    queued = [(j.started_at - j.created_at).total_seconds() for j in jobs]
    total = [(j.finished_at - j.created_at).total_seconds() for j in jobs]
    if not jobs:
        return {}
    return {
        f"{label}: queued → started, s": {
            "median": round(percentile(queued, 50), 2),
            "worst": round(max(queued), 2),
        },
        f"{label}: submitted → finished, s": {
            "median": round(percentile(total, 50), 2),
            "worst": round(max(total), 2),
        },
    }


def _behind_seconds(jobs: dict, firsts: dict, seconds: dict) -> dict:
    """Learners whose first job was already waiting when another learner's second job was handed to
    the broker, and started after it: with a fair line, none. Separately, the first jobs that
    arrived just after a second job had taken a free worker (handed over before they existed, so
    no line could have put them first: a worker is never kept idle for a job not yet submitted)."""
    behind, arrived_after = set(), set()
    for owner, second_id in seconds.items():
        second = jobs[second_id]
        handed = second.dispatched_at or second.started_at
        for learner, first_id in firsts.items():
            first = jobs[first_id]
            if learner == owner or not first.created_at < second.started_at < first.started_at:
                continue
            (behind if first.created_at < handed else arrived_after).add(learner)
    answer = "nobody" if not behind else f"{len(behind)} learner(s)"
    if arrived_after:
        answer += f" ({len(arrived_after)} arrived just after a second job took a free worker)"
    return {
        "learners": len(behind),
        "arrived_after_a_free_worker_was_taken": len(arrived_after),
        "answer": answer,
    }


def _places(seen: dict, jobs: dict, firsts: dict) -> dict:
    """What the waiting learners read, and how the first estimate compared with the real wait."""
    by_id = {str(job_id): job for job_id, job in jobs.items()}
    firsts_read = [readings[0] for readings in seen.values()]
    errors = [
        eta - (by_id[job_id].finished_at.timestamp() - readings[0][0])
        for job_id, readings in seen.items()
        if (eta := readings[0][3]) is not None
    ]
    wanted = {1, 12, max((r[1] for r in firsts_read), default=0)}
    examples = sorted({(r[1], r[2]) for r in firsts_read if r[1] in wanted})
    waited = [
        str(job_id)
        for job_id in firsts.values()
        if (jobs[job_id].started_at - jobs[job_id].created_at).total_seconds() > 2
    ]
    return {
        "learners who waited over 2 s": len(waited),
        "of them, shown their place at least once": sum(1 for i in waited if i in seen),
        "examples": [text for _, text in examples],
        "estimate minus actual (first reading → result), s": {
            "median": round(percentile(errors, 50), 1) if errors else None,
            "worst under": round(min(errors), 1) if errors else None,
            "worst over": round(max(errors), 1) if errors else None,
            "n": len(errors),
        },
    }


def main() -> None:
    from benchmarks.benchdb import DB_NAME, SETTINGS, prepare

    prepare(fresh=True)
    from django.conf import settings

    from tests.processes import celery_worker_process

    users = _learners(LEARNERS)
    worker_env = {"DJANGO_SETTINGS_MODULE": SETTINGS, "BENCH_DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
                  "NUMBA_CACHE_DIR": str(settings.BASE_DIR / "var" / "numba-cache")}  # fmt: skip
    results = {}

    def warm() -> None:  # the worker loads the engine once; these runs give the estimate its timings
        for job in [_submit(users[0]) for _ in range(3)]:
            while not type(job).objects.get(id=job.id).is_finished:
                time.sleep(0.05)

    with celery_worker_process(db_name=DB_NAME, name="class-1", extra_env=worker_env):
        warm()
        results["1 worker"] = class_run(users, 1)
        print("1 worker", results["1 worker"], flush=True)
        with celery_worker_process(db_name=DB_NAME, name="class-2", extra_env=worker_env):
            warm()
            results["2 workers"] = class_run(users, 2)
            print("2 workers", results["2 workers"], flush=True)
    notes = [
        f"{LEARNERS} learners each submit one VAD job (silero, demos/samples/speech_en.wav) spread over {SPREAD_S:g} s; "
        f"every {SECOND_EVERY}th also submits a second straight after; through job_submit, Redis, real Celery "
        "workers (prefork, concurrency 1, tests.processes.celery_worker_process), PostgreSQL",
        "queued → started: what the learner waits before a worker takes the job; submitted → finished: until "
        "the result (worker time included). 'Behind a second job': a learner's first job was already waiting "
        "when another learner's second job was handed to the broker, and started after it; first jobs that "
        "arrived just after a second job had taken a free worker are counted apart",
        "place shown: a thread reads every waiting job's place and estimate once a second (as the job page "
        "polls); the estimate is compared with the time from that reading to the result",
    ]
    write_json("classrun.json", {"machine": machine(), "date": today(), "notes": notes, "results": results})


if __name__ == "__main__":
    main()
