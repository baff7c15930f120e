"""What one request costs the web process, page by page: CPU ms, SQL queries, shared-cache calls
and Python function calls (thousands: steady where CPU ms on shared cores is not) of each live
page next to the same page from Django's cache (`bench_urls`), in one process through Django's
test client, signed in as the seeded bench learners in turn. Where web.py's wrk figures
come from, without wrk: on 2 shared cores, the live page's throughput is the cached page's only
when its CPU per request is close.

    BENCH_CONFIG=embedded SOUNDPATH_VAR_DIR=var/page-cost .venv/bin/python -m benchmarks.page_cost
    BENCH_CONFIG=postgres BENCH_DATABASE_NAME=soundpath_bench_mine \\
        BENCH_CACHE_URL=redis://127.0.0.1:6379/5 .venv/bin/python -m benchmarks.page_cost
    ... -m benchmarks.page_cost --reuse --profile roadmap   # cProfile of one page, live and cached

--reuse keeps the database of an earlier run (seeding takes a minute); --rounds sets how many times
each of the 30 learners asks for each page (default 10). The bodies are warm (one round first): this
measures what is paid around a kept body on every request, not a body's rendering.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The cache methods a page may call; a backend calling its own (DatabaseCache.get → get_many) counts once.
CACHE_METHODS = (
    "get",
    "get_many",
    "set",
    "set_many",
    "add",
    "delete",
    "delete_many",
    "incr",
    "touch",
    "has_key",
)


@dataclass(frozen=True)
class Page:
    name: str
    live: str
    cached: str


def pages(seed) -> list[Page]:
    phase = seed.phase_slug
    return [
        Page("roadmap", "/roadmap/", "/bench-cached/roadmap/"),
        Page("phase", f"/roadmap/phases/{phase}/", f"/bench-cached/phases/{phase}/"),
        Page("topic (ctc)", "/roadmap/topics/ctc/", "/bench-cached/topics/ctc/"),
        Page("practice", "/practice/", "/bench-cached/practice/"),
        Page("job list", "/jobs/", "/bench-cached/jobs/"),
    ]


def clients(seed) -> list:
    """One test client per seeded learner, carrying that learner's cookies as wrk sends them."""
    from django.test import Client

    made = []
    for cookie in seed.learner_cookies:
        client = Client()
        for pair in cookie.split("; "):
            name, value = pair.split("=", 1)
            client.cookies[name] = value
        made.append(client)
    return made


class CacheCalls:
    """Counts the shared cache's calls made by this thread (the outermost call of each)."""

    def __init__(self):
        from django.core.cache import cache

        self.calls, self._depth, self._backend = 0, 0, cache._connections[cache._alias]
        self._saved = {}

    def __enter__(self):
        for name in CACHE_METHODS:
            original = getattr(self._backend, name)
            self._saved[name] = original
            setattr(self._backend, name, self._counting(original))
        return self

    def _counting(self, original):
        def call(*args, **kwargs):
            self._depth += 1
            try:
                return original(*args, **kwargs)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.calls += 1

        return call

    def __exit__(self, *exc):
        for name in self._saved:
            delattr(self._backend, name)


def get_ok(client, path: str) -> None:
    from django.db import close_old_connections

    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    # What a server does at the end of each request and the test client skips: with CONN_MAX_AGE 0
    # (the benchmark's settings) the connection closes, or goes back to its pool, and the next opens.
    close_old_connections()


def timed(path: str, users: list, rounds: int) -> tuple[float, float]:
    """CPU and wall ms per request over `rounds` rounds of every user."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(rounds):
        for client in users:
            get_ok(client, path)
    n = rounds * len(users)
    return 1000 * (time.process_time() - cpu) / n, 1000 * (time.perf_counter() - wall) / n


def cost(path: str, users: list, rounds: int, repeats: int) -> dict:
    """CPU and wall ms per request, the least of `repeats` timings (the cores are shared: others'
    work only ever adds); then queries and cache calls per request over one more round (counting
    adds its own cost, so apart from the timing)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for client in users:  # warm: bodies kept, cached pages stored, this process's site values read
        get_ok(client, path)
    cache.get("warm")  # the backend of this thread exists before CacheCalls looks it up
    cpu_ms, wall_ms = min(timed(path, users, rounds) for _ in range(repeats))
    with CaptureQueriesContext(connection) as queries, CacheCalls() as calls:
        for client in users:
            get_ok(client, path)
    sql = [q["sql"] for q in queries.captured_queries]  # read now: the next requests empty the log
    profiler = cProfile.Profile()  # function calls: what CPU time measures, without the noise of shared cores
    profiler.runcall(lambda: [get_ok(client, path) for client in users])
    return {
        "cpu_ms": cpu_ms,
        "wall_ms": wall_ms,
        "calls": pstats.Stats(profiler).total_calls / len(users) / 1000,
        "queries": len(sql) / len(users),
        "cache_calls": calls.calls / len(users),
        "sql": sql[: len(sql) // len(users)],
    }


def profile(path: str, users: list, rounds: int, top: int = 30) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for client in users:
            get_ok(client, path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep the database an earlier run seeded")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3, help="timings per page; the least is shown")
    parser.add_argument("--profile", default="", help="a page name (prefix): cProfile it, live and cached")
    parser.add_argument("--sql", action="store_true", help="print each live page's queries")
    args = parser.parse_args()

    from benchmarks import benchdb

    if args.reuse:
        benchdb.setup_django(fresh=False)
        seed = benchdb.seed()
    else:
        seed = benchdb.prepare(fresh=True)
    users = clients(seed)
    config = os.environ.get("BENCH_CONFIG", "postgres")
    print(f"[{config}] per request, least of {args.repeats} timings of {args.rounds} rounds of {len(users)} "
          "learners, bodies warm")  # fmt: skip
    print(f"{'page':<13}{'live: cpu ms':>13}{'wall':>7}{'sql':>6}{'cache':>7}{'kcalls':>8}"
          f"{'cached: cpu ms':>16}{'wall':>7}{'sql':>6}{'cache':>7}{'kcalls':>8}{'gap ms':>8}")  # fmt: skip
    for page in pages(seed):
        if args.profile and not page.name.startswith(args.profile):
            continue
        live = cost(page.live, users, args.rounds, args.repeats)
        cached = cost(page.cached, users, args.rounds, args.repeats)
        print(f"{page.name:<13}{live['cpu_ms']:>13.2f}{live['wall_ms']:>7.2f}{live['queries']:>6.1f}"
              f"{live['cache_calls']:>7.1f}{live['calls']:>8.1f}{cached['cpu_ms']:>16.2f}{cached['wall_ms']:>7.2f}"
              f"{cached['queries']:>6.1f}{cached['cache_calls']:>7.1f}{cached['calls']:>8.1f}"
              f"{live['cpu_ms'] - cached['cpu_ms']:>8.2f}", flush=True)  # fmt: skip
        if args.sql:
            for label, found in (("live", live), ("cached", cached)):
                for sql in found["sql"]:
                    print(f"    {label:<7} {sql[:150]}")
        if args.profile:
            for label, path in (("LIVE", page.live), ("CACHED", page.cached)):
                print(f"----- {label} {path}\n{profile(path, users, args.rounds)}")


if __name__ == "__main__":
    main()
