"""The cohort dashboard's weight: seeds one cohort (manage.py seed_cohort, 200 learners, a year of
activity, the three assignments of benchmarks/dashboard.py) and prints the body's size, plain and
gzipped, section by section, with the time to render it from the read model and to serve it from
the cache. Size is what a cache hit costs (unpickled, sent and encoded on every request), so this is
the check to run after changing the dashboard's markup; benchmarks/dashboard_load.py is the load test.

    .venv/bin/python -m benchmarks.dashboard_size              # its own database, dropped at the end
    .venv/bin/python -m benchmarks.dashboard_size --keepdb     # keep it: the next run skips seeding

The database is the test settings' server, named TEST_DATABASE_NAME with "_size" appended; the
cache is the test settings' database table unless --cache-url names a Redis database (emptied first,
as the cached body of an earlier run must not be measured).
"""

import argparse
import gzip
import os
import pickle
import re
import statistics
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings.test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks.common import Timer  # noqa: E402

OWNER = "size-instructor"
SECTION = re.compile(r'<section class="dashboard-section" aria-labelledby="([^"]+)">.*?</section>', re.S)


def _cohort(learners: int):
    """The seeded cohort, reused when the kept database has one of the right size."""
    from benchmarks.dashboard import _assign
    from webapp.accounts.models import User

    owner = User.objects.filter(username=OWNER).first()
    if owner is None:
        owner = User.objects.create_user(OWNER, "size@example.com", "x", role=User.Role.INSTRUCTOR)
    cohort = owner.owned_cohorts.order_by("-id").first()
    if cohort is None or cohort.memberships.count() != learners:
        call_command("seed_cohort", learners=learners, days=365, owner=OWNER, seed=learners, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
        cohort = owner.owned_cohorts.order_by("-id").first()
        _assign(cohort, owner)
    return owner, cohort


def _median_ms(action, times: int) -> float:
    spent = []
    for _ in range(times):
        with Timer() as t:
            action()
        spent.append(1000 * t.seconds)
    return statistics.median(spent)


def _kb(text: str) -> str:
    raw = text.encode()
    return f"{len(raw) / 1024:7.1f} KB ({len(gzip.compress(raw)) / 1024:5.1f} KB gzipped)"


def measure(learners: int, renders: int) -> None:
    from webapp.cohorts import selectors
    from webapp.cohorts.dashboard_page import dashboard_body, dashboard_body_context
    from webapp.cohorts.selectors.dashboard import DashboardOptions, cohort_dashboard

    cache.clear()  # a body cached by an earlier run (older markup) must not be served
    owner, cohort = _cohort(learners)
    options = DashboardOptions()
    d = cohort_dashboard(cohort=cohort, options=options)
    challenge_results = selectors.challenge_results(cohort=cohort, members=[r.membership for r in d.learners])

    def render() -> str:
        from django.template.loader import render_to_string

        context = dashboard_body_context(cohort=cohort, d=d, challenge_results=challenge_results)
        return render_to_string("cohorts/_dashboard_body.html", context)

    body = render()
    heatmap = re.search(r'<svg class="cohort-chart heatmap.*?</svg>', body, re.S).group(0)
    cells = len(d.mastery)
    print(f"{len(d.learners)} learners × {len(d.heatmap_topics)} topics, {cells} heatmap cells")
    print(f"body                {_kb(body)}")
    for match in SECTION.finditer(body):
        print(f"  {match.group(1):<17} {_kb(match.group(0))}")
    print(f"  heatmap svg       {_kb(heatmap)}, {len(heatmap.encode()) / max(1, cells):.0f} bytes per cell")

    client = Client()
    client.force_login(owner)
    url = reverse("cohorts:dashboard", args=[cohort.id])
    page = client.get(url)  # fills the cache
    assert page.status_code == 200, page.status_code
    print(f"page                {_kb(page.content.decode())}")
    print(
        f"model ms            {_median_ms(lambda: cohort_dashboard(cohort=cohort, options=options), 3):7.1f}"
    )
    print(
        f"body render ms      {_median_ms(render, renders):7.1f}  (figures and template, from the read model)"
    )
    pickled = pickle.dumps(body)
    print(f"unpickle ms         {_median_ms(lambda: pickle.loads(pickled), renders * 10):7.3f}")
    print(
        f"cached body ms      {_median_ms(lambda: dashboard_body(cohort=cohort, options=options), renders):7.1f}"
    )
    print(
        f"cached page ms      {_median_ms(lambda: client.get(url), renders):7.1f}  (test client, cache hit)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument(
        "--keepdb", action="store_true", help="keep the database (and its cohort) for the next run"
    )
    parser.add_argument(
        "--cache-url", default="", help="a Redis database for the cache, e.g. redis://127.0.0.1:6379/3"
    )
    args = parser.parse_args()
    setup_test_environment()
    test = connection.settings_dict["TEST"]
    test["NAME"] = f"{test.get('NAME') or 'test_soundpath'}_size"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    caches = {
        "default": {"BACKEND": "webapp.redis_cache.ProcessSharedRedisCache", "LOCATION": args.cache_url}
    }
    try:
        with override_settings(**({"CACHES": caches} if args.cache_url else {})):
            measure(args.learners, args.renders)
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
