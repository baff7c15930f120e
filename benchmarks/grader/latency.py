"""Grading latency through the job path, as a learner sees it: from attempt_submit() (answer
checked, row written, message sent to Redis on commit) until a Celery worker has graded it and
the row says so. PostgreSQL + Redis, one prefork worker with the encoder already loaded.

    BENCH_DATABASE_NAME=soundpath_bench_grader BENCH_CELERY_BROKER_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python -m benchmarks.grader.latency      # writes benchmarks/results/grader_latency.json

The target (issue 11) is p50 ≤ 150 ms end to end. The figure depends on the machine's load: it is
printed with the load average; compare runs on a quiet machine.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.common import Timer, load_average, machine, percentile, today, write_json

ANSWERS = int(os.environ.get("BENCH_GRADER_ANSWERS", "40"))
POLL_S = 0.005
TIMEOUT_S = 120
ANSWER = (
    "Sampling at 16 kHz gives a Nyquist frequency of 8 kHz, half the rate. The 10 kHz tone folds back "
    "and shows up as a 6 kHz alias. An analogue anti-aliasing low-pass filter in front of the converter "
    "prevents it."
)


def _graded(attempt_id: int, timeout: float = TIMEOUT_S) -> None:
    from quiz.models import Attempt

    deadline = time.monotonic() + timeout
    while Attempt.objects.filter(id=attempt_id, status=Attempt.Status.GRADING).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"attempt {attempt_id} not graded within {timeout} s")
        time.sleep(POLL_S)


def latency(user, question, n: int) -> dict:
    from quiz.services import attempt_submit

    load = load_average()
    seconds = []
    for _ in range(n):
        with Timer() as t:
            attempt = attempt_submit(user=user, question=question, mode="quiz", answer_text=ANSWER)
            _graded(attempt.id)
        seconds.append(t.seconds)
    return {
        "n": n,
        "p50_ms": round(1000 * percentile(seconds, 50), 1),
        "p95_ms": round(1000 * percentile(seconds, 95), 1),
        "mean_ms": round(1000 * sum(seconds) / n, 1),
        "load_average": load,
    }


def main() -> None:
    from benchmarks.benchdb import DB_NAME, SETTINGS, prepare

    prepare(fresh=True)
    from django.conf import settings

    from quiz.models import Question
    from tests.processes import celery_worker_process
    from webapp.accounts.models import User

    user = User.objects.get(username="bench-learner-00")
    question = Question.objects.filter(kind=Question.Kind.FREE).order_by("slug").first()
    worker_env = {"DJANGO_SETTINGS_MODULE": SETTINGS, "BENCH_DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
                  "NUMBA_CACHE_DIR": str(settings.BASE_DIR / "var" / "numba-cache")}  # fmt: skip
    with celery_worker_process(db_name=DB_NAME, name="bench-grader", extra_env=worker_env):
        latency(user, question, 3)  # warm: the worker loads the encoder once
        result = latency(user, question, ANSWERS)
    print(result, flush=True)
    notes = [
        f"question {question.slug}; a three-sentence answer; {ANSWERS} answers one after another, the "
        f"client polling the attempt row every {POLL_S * 1000:.0f} ms; one prefork worker, concurrency 1",
    ]
    write_json(
        "grader_latency.json", {"machine": machine(), "date": today(), "notes": notes, "result": result}
    )


if __name__ == "__main__":
    main()
