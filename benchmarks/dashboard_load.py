"""Cohort dashboard under load: a 200-learner cohort (manage.py seed_cohort, a year of activity)
owned by 10 instructors, each keeping its dashboard busy (wrk, 10 connections, no think time)
against uvicorn on PostgreSQL + Redis, as `make run` serves it with those configured — while a
thread changes the learners' data through the platform's services (a topic marked or unmarked,
BENCH_DASHBOARD_CHANGES_PER_S a second, default 1), each change renewing the cohort's cached
aggregates, so the page is recomputed during the run as in a class, not only served warm. A
second run without changes gives the cached ceiling.

    .venv/bin/python -m benchmarks.dashboard_load     # writes results/dashboard_load.json

Issue 17's target: p99 ≤ 500 ms at 10 instructors. Its own database (soundpath_bench_dashboard,
BENCH_DATABASE_NAME), dropped and re-created; the Redis databases of bench_settings (the cache is
emptied first).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("BENCH_DATABASE_NAME", "soundpath_bench_dashboard")
os.environ.setdefault("BENCH_CONFIG", "postgres")

from benchmarks.common import Timer, load_average, machine, today, write_json

LEARNERS = int(os.environ.get("BENCH_DASHBOARD_LEARNERS", "200"))
INSTRUCTORS = 10
SECONDS = int(os.environ.get("BENCH_DASHBOARD_SECONDS", "20"))
CHANGES_PER_S = float(os.environ.get("BENCH_DASHBOARD_CHANGES_PER_S", "1"))
P99_TARGET_MS = 500


def _seed_cohort() -> tuple[int, tuple[str, ...], float]:
    """The seeded cohort, its owners' session cookies, and the seconds seeding took."""
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.benchdb import _session, _user
    from webapp.accounts.models import User
    from webapp.cohorts.models import Cohort

    owners = [_user(f"bench-owner-{i:02d}", User.Role.INSTRUCTOR) for i in range(INSTRUCTORS)]
    with Timer() as t:
        call_command("seed_cohort", learners=LEARNERS, days=365, owner=owners[0].username, seed=LEARNERS,
                     verbosity=0)  # fmt: skip
    cohort = Cohort.objects.filter(owners=owners[0]).order_by("-id").first()
    cohort.owners.add(*owners)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
    _assignments(cohort, owners[0])
    return cohort.id, tuple(f"sessionid={_session(o)}" for o in owners), t.seconds


def _assignments(cohort, owner) -> None:
    """One assignment of each kind, as benchmarks/dashboard.py sets them."""
    from benchmarks.dashboard import _assign

    _assign(cohort, owner)


def main() -> None:
    from benchmarks.benchdb import prepare
    from benchmarks.web import ProgressChurn, Target, check, run_wrk, uvicorn_server, web_processes

    prepare(fresh=True)
    cohort_id, cookies, seeding_s = _seed_cohort()
    target = Target(f"cohort dashboard ({LEARNERS} learners)", f"/cohorts/{cohort_id}/", cookies)

    def members(users):
        return users.filter(cohort_memberships__cohort_id=cohort_id)

    rows = []
    with uvicorn_server() as base:
        with Timer() as first:
            size = check(base, target)  # computed once: every query and the forecast over every card
        for per_second in (CHANGES_PER_S, 0):
            with ProgressChurn(per_second, learners=members, topics=3) as churn:
                row = run_wrk(base, target, INSTRUCTORS, seconds=SECONDS)
            row |= {"changes": churn.changes, "changes_per_s": per_second, "response_bytes": size}
            row["target_met"] = row["p99_ms"] <= P99_TARGET_MS and not row["errors"]
            rows.append(row)
            print(f"{target.name} c={INSTRUCTORS} changes/s={per_second:g}: {row['requests_per_s']} req/s, "
                  f"p50 {row['p50_ms']:.0f} ms, p99 {row['p99_ms']:.0f} ms, changes {churn.changes}, "
                  f"load {row['load_average_before']}", flush=True)  # fmt: skip
        # The ceiling in the same run: a static file through the same server and connections.
        static = Target("static file (app.css), the ceiling", "/static/css/app.css")
        row = run_wrk(base, static, INSTRUCTORS, seconds=min(SECONDS, 10))
        rows.append(row | {"changes": 0, "changes_per_s": 0, "target_met": None})
        print(f"{static.name}: {row['requests_per_s']} req/s, p99 {row['p99_ms']:.0f} ms", flush=True)
    notes = [
        f"a seeded cohort of {LEARNERS} learners with a year of activity (seeding {seeding_s:.0f} s), one "
        "assignment of each kind; 10 instructors who co-own it, each with a session",
        f"python -m webapp.serve ({web_processes()} page processes), DEBUG off (bench_settings), "
        "PostgreSQL + Redis cache; "
        f"wrk {INSTRUCTORS} connections without think time, {SECONDS} s per run, on the same machine",
        f"first request after start (computed, cache empty): {1000 * first.seconds:.0f} ms",
        "changes: a learner's topic marked or unmarked through curriculum.services.topic_progress_mark, "
        "each renewing the cohort's cached dashboard on commit",
        f"issue 17's target: p99 ≤ {P99_TARGET_MS} ms at {INSTRUCTORS} instructors",
    ]
    write_json(
        "dashboard_load.json",
        {"machine": machine(), "date": today(), "load_average": load_average(), "notes": notes, "rows": rows},
    )


if __name__ == "__main__":
    main()
