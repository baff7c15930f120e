"""Grading latency through the job path, as a learner sees it. PostgreSQL + Redis, one prefork
worker at make run's concurrency (1) with the encoder already loaded.

1. One stream: from attempt_submit() (answer checked, row written, message sent to Redis on commit)
   until the worker has graded it and the row says so (issue 11: p50 ≤ 150 ms).
2. Through the web, 10 users at once (issue 17: p99 ≤ 500 ms at 10 concurrent users, ≥ 20 graded
   answers a second): each signed-in learner POSTs a typed answer to /practice/answer/ (uvicorn,
   1 process, as make run serves it) the moment their previous one is graded, until
   BENCH_GRADER_WEB_ANSWERS (default 200) are graded; submit→graded per answer and graded answers
   a second over the whole run.

    BENCH_DATABASE_NAME=soundpath_bench_grader BENCH_CELERY_BROKER_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python -m benchmarks.grader.latency      # writes benchmarks/results/grader_latency.json

The figures depend on the machine's load: each is printed with the load average; compare runs on a
quiet machine.
"""

import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

os.environ.setdefault("BENCH_DATABASE_NAME", "soundpath_bench_grader")  # its own, away from the web part's

from benchmarks.common import Timer, load_average, machine, percentile, today, write_json

ANSWERS = int(os.environ.get("BENCH_GRADER_ANSWERS", "40"))
WEB_ANSWERS = int(os.environ.get("BENCH_GRADER_WEB_ANSWERS", "200"))
WEB_USERS = 10
P99_TARGET_MS, RATE_TARGET = 500, 20  # issue 17
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


def _answer_body(question, csrf: str) -> str:
    from urllib.parse import urlencode

    return urlencode(
        {"csrfmiddlewaretoken": csrf, "question": question.id, "mode": "review", "answer": ANSWER}
    )


def through_the_web(base: str, cookies: tuple[str, ...], body: str, total: int) -> dict:
    """WEB_USERS learners, each answering as soon as the previous answer is graded, until `total`
    answers are graded. A POST returns once the worker has graded the answer (the view waits up
    to quiz.views.practice.GRADE_WAIT_SECONDS); one that returns earlier is followed to the row."""
    import threading

    import httpx
    from django.db import connection

    from quiz.models import Attempt

    lock, latencies, errors = threading.Lock(), [], []
    issued = [0]

    def user(cookie: str) -> None:
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            while True:
                with lock:
                    if issued[0] >= total:
                        break
                    issued[0] += 1
                started = time.perf_counter()
                response = client.post("/practice/answer/", content=body)
                location = response.headers.get("location", "")
                found = re.search(r"/answers/(\d+)/$", location)
                if response.status_code != 302 or not found:
                    errors.append(f"{response.status_code} {location}")
                    continue
                attempt_id = int(found.group(1))
                if Attempt.objects.filter(id=attempt_id, status=Attempt.Status.GRADING).exists():
                    _graded(attempt_id)
                with lock:
                    latencies.append(time.perf_counter() - started)
        connection.close()

    load = load_average()
    threads = [threading.Thread(target=user, args=(cookies[i % len(cookies)],)) for i in range(WEB_USERS)]
    with Timer() as wall:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    graded_per_s = len(latencies) / wall.seconds
    p99 = 1000 * percentile(latencies, 99)
    return {
        "users": WEB_USERS,
        "graded": len(latencies),
        "errors": errors[:5],
        "error_count": len(errors),
        "seconds": round(wall.seconds, 1),
        "graded_per_s": round(graded_per_s, 1),
        "p50_ms": round(1000 * percentile(latencies, 50), 1),
        "p90_ms": round(1000 * percentile(latencies, 90), 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(1000 * max(latencies), 1) if latencies else None,
        "load_average": load,
        "load_average_after": load_average(),
        "target_met": p99 <= P99_TARGET_MS and graded_per_s >= RATE_TARGET and not errors,
    }


def main() -> None:
    from benchmarks.benchdb import DB_NAME, SETTINGS, prepare
    from benchmarks.web import uvicorn_server

    seed = prepare(fresh=True)
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
        with uvicorn_server() as base:
            body = _answer_body(question, seed.csrf_token)
            through_the_web(base, seed.learner_cookies, body, WEB_USERS)  # warm: each user's first page
            web = through_the_web(base, seed.learner_cookies, body, WEB_ANSWERS)
        print(web, flush=True)
    notes = [
        f"question {question.slug}; a three-sentence answer; one prefork worker, concurrency 1 (as make run)",
        f"one stream: {ANSWERS} answers one after another through attempt_submit, the client polling the "
        f"attempt row every {POLL_S * 1000:.0f} ms",
        f"through the web: {WEB_USERS} signed-in learners POSTing to /practice/answer/ on uvicorn (1 process, "
        f"DEBUG off) without think time, {WEB_ANSWERS} answers in all; issue 17's target p99 ≤ "
        f"{P99_TARGET_MS} ms and ≥ {RATE_TARGET} graded answers a second",
    ]
    write_json(
        "grader_latency.json",
        {"machine": machine(), "date": today(), "notes": notes, "result": result, "web": web},
    )


if __name__ == "__main__":
    main()
