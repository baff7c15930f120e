"""Cohort dashboard benchmark: seeds cohorts of 30, 60 and 200 learners with a year of activity
(manage.py seed_cohort) in a throw-away database, then renders each cohort's dashboard through
Django's test client: queries per page, milliseconds (median and 95th percentile over repeated
renders, after a warm-up), the read model alone, and the page's size. Writes DASHBOARD.md.

    .venv/bin/python -m benchmarks.dashboard                 # PostgreSQL, as the tests use it
    .venv/bin/python -m benchmarks.dashboard --renders 50

The server is the test settings' (DATABASE_URL; local PostgreSQL by default); the run creates its
own database, test_soundpath_dashboard_bench, and drops it at the end.
"""

import argparse
import gzip
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings.test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks.common import Timer, machine, today  # noqa: E402

HERE = Path(__file__).resolve().parent
SIZES = (30, 60, 200)
BENCH_DATABASE = "test_soundpath_dashboard_bench"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(client: Client, cohort, renders: int) -> dict:
    from quiz.models import Attempt
    from webapp.cohorts.selectors.dashboard import DashboardOptions, cohort_dashboard

    url = reverse("cohorts:dashboard", args=[cohort.id])
    for _ in range(2):  # warm-up: templates compiled, connections open, caches filled
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    page_ms = []
    for _ in range(renders):
        with Timer() as t:
            client.get(url)
        page_ms.append(1000 * t.seconds)
    model_ms = []
    for _ in range(renders):
        with Timer() as t:
            cohort_dashboard(cohort=cohort, options=DashboardOptions())
        model_ms.append(1000 * t.seconds)
    return {
        "learners": cohort.memberships.count(),
        "answers": Attempt.objects.filter(user__cohort_memberships__cohort=cohort).count(),
        "queries": len(queries.captured_queries),
        "page_median": statistics.median(page_ms),
        "page_p95": _percentile(page_ms, 0.95),
        "model_median": statistics.median(model_ms),
        "kb": len(response.content) / 1024,
        "gzip_kb": len(gzip.compress(response.content)) / 1024,
    }


def run(renders: int) -> tuple[list[dict], dict]:
    from webapp.accounts.models import User

    owner = User.objects.create_user("bench-instructor", "bench@example.com", "x", role=User.Role.INSTRUCTOR)
    client = Client()
    client.force_login(owner)
    results, seeding = [], {}
    for size in SIZES:
        with Timer() as t:
            call_command("seed_cohort", learners=size, days=365, owner=owner.username, seed=size, verbosity=0)
        seeding[size] = t.seconds
        if connection.vendor == "postgresql":
            # A running site's autovacuum analyses tables soon after a bulk load; do it now so
            # the planner sees the seeded rows rather than empty tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        cohort = owner.owned_cohorts.order_by("-id").first()
        _assign(cohort, owner)
        results.append(measure(client, cohort, renders))
        print(results[-1], flush=True)
    return results, seeding


def _assign(cohort, owner) -> None:
    """One assignment of each kind, set a month ago, so the page computes every kind of status."""
    from datetime import timedelta

    from django.utils import timezone

    from curriculum.models import Topic
    from webapp.cohorts.models import Assignment
    from webapp.cohorts.services import assignment_create

    topics = list(Topic.objects.active().order_by("phase__order", "order")[:6])
    due = timezone.localdate() + timedelta(days=7)
    for kind, extra in (
        ("topics", {"topics": topics[:3]}),
        ("quiz", {"topics": topics[:6], "question_count": 10}),
        ("mock", {"level": "mid", "question_count": 3}),
    ):
        assignment_create(cohort=cohort, created_by=owner, kind=kind, due_on=due, **extra)
    Assignment.objects.filter(cohort=cohort).update(created_at=timezone.now() - timedelta(days=30))


def write_report(results: list[dict], seeding: dict, renders: int) -> Path:
    driver = f"{connection.Database.__name__} {connection.Database.__version__.split()[0]}"
    server = connection.cursor().connection.info.server_version if connection.vendor == "postgresql" else ""
    lines = [
        "# Cohort dashboard benchmark",
        "",
        f"Run {today()} on {machine()}, by `benchmarks/dashboard.py`; database {connection.vendor}"
        + (f" (server {server // 10000}.{server % 10000})" if server else "")
        + f", driver {driver}.",
        "",
        "Each cohort is seeded by `manage.py seed_cohort` with a year of activity (roadmap progress, graded",
        "answers with their FSRS cards, mock interviews). The page is the whole dashboard as an owner sees it",
        "(Django test client: middleware, session, template, three inline SVG charts and their tables, and",
        "the completion of three assignments, one of each kind, set a month before), with the",
        f"default settings; times are over {renders} renders after two warm-up renders (load average when",
        f"the run started: {LOAD_AT_START}; other work shared the machine). The read model is",
        "`cohort_dashboard()` alone (every query and the forecast over every card), without the template.",
        "",
        "| learners | answers in the cohort | queries per page | page ms, median | page ms, p95 | read model ms, median | page KB (gzipped) | seeding s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['learners']} | {r['answers']} | {r['queries']} | {r['page_median']:.0f} | {r['page_p95']:.0f} "
            f"| {r['model_median']:.0f} | {r['kb']:.0f} ({r['gzip_kb']:.0f}) | {seeding[r['learners']]:.1f} |"
        )
    lines += [
        "",
        "The number of queries is the same for every cohort size (the tests guard it with",
        "`django_assert_max_num_queries` on cohorts of 30 and 60 learners). The first cohort's seeding time",
        "includes importing the curriculum and the question bank. The largest part of the page is the topic",
        "mastery heatmap (one square per learner and topic, its numbers in data attributes from which",
        "cohorts/heatmap.js writes the tooltip); `benchmarks/dashboard_size.py` gives the size by section.",
        "The page compresses well behind a proxy that gzips HTML.",
        "",
    ]
    path = HERE / "DASHBOARD.md"
    path.write_text("\n".join(lines))
    return path


LOAD_AT_START = " / ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    # Its own database, whatever TEST_DATABASE_NAME says: the run drops it at the end.
    connection.settings_dict["TEST"]["NAME"] = BENCH_DATABASE
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results, seeding = run(args.renders)
        print(write_report(results, seeding, args.renders))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
