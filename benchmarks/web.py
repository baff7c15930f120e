"""Web benchmark: latency and throughput of pages under load, from wrk in a second process on
loopback, against the web server `make run` starts (webapp/serve.py: BENCH_WEB_PROCESSES page
processes, default WEB_PROCESSES's default of one per core, and the one Gradio demo process), on each
configuration (BENCH_WEB_CONFIGS, default both): `embedded` (make run's defaults: SQLite in WAL, the
database-backed cache, the SQLite broker) and `postgres` (PostgreSQL, Redis broker and cache) — next
to the same pages from Django's cache and a static file, the ceilings measured in the same run.

    .venv/bin/python -m benchmarks.web        # writes results/web.json (BENCH_WEB_SECONDS=10 per run)

wrk keeps C connections busy back to back (no think time): "C concurrent users" here are users
who click the moment the previous page arrives, the worst case for the server. Meanwhile a thread
marks and unmarks topics for the seeded learners (BENCH_PROGRESS_PER_S, default 5 a second), so the
per-learner cached pages are invalidated and re-rendered as they would be in a class, not only
served warm.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.benchdb import LEARNERS
from benchmarks.common import load_average, machine, today, write_json

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_WEB_SECONDS", "10"))
CONCURRENCY = tuple(int(c) for c in os.environ.get("BENCH_WEB_USERS", "10,50").split(","))
CONFIGS = tuple(os.environ.get("BENCH_WEB_CONFIGS", "embedded,postgres").split(","))
PROGRESS_PER_S = float(os.environ.get("BENCH_PROGRESS_PER_S", "5"))
WRK_THREADS = 2  # one per core; wrk itself is light next to the server
REQUEST_TIMEOUT_S = 10


def web_processes() -> int:
    """BENCH_WEB_PROCESSES, else what `make run` uses (WEB_PROCESSES, else one per core); 0 measures
    the single all-in-one process (`uvicorn webapp.asgi:application`) `make run` used before."""
    from webapp.serve import web_processes_default

    return int(os.environ.get("BENCH_WEB_PROCESSES") or web_processes_default())


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    cookies: tuple[str, ...] = ()  # taken in turn, request by request: different users
    body: str = ""  # a POST when set
    expect: int = 200


def targets(seed) -> list[Target]:
    learners, instructor = seed.learner_cookies, (seed.instructor_cookie,)
    return [
        Target("roadmap", "/roadmap/", learners),
        Target("phase page", f"/roadmap/phases/{seed.phase_slug}/", learners),
        Target("topic page (ctc)", "/roadmap/topics/ctc/", learners),
        Target("practice", "/practice/", learners),
        Target("job list", "/jobs/", learners),
        Target("quiz answer (POST, graded)", "/practice/answer/", learners, seed.answer_body, 302),
        Target(f"cohort dashboard ({LEARNERS} learners)", f"/cohorts/{seed.cohort_id}/", instructor),
        Target("roadmap, from Django's cache", "/bench-cached/roadmap/", learners),
        Target("phase page, from Django's cache", f"/bench-cached/phases/{seed.phase_slug}/", learners),
        Target("topic page, from Django's cache", "/bench-cached/topics/ctc/", learners),
        Target("practice, from Django's cache", "/bench-cached/practice/", learners),
        Target("job list, from Django's cache", "/bench-cached/jobs/", learners),
        Target("static file (app.css)", "/static/css/app.css"),
    ]


def targets_chosen(seed) -> list[Target]:
    """BENCH_WEB_TARGETS: a comma-separated list of name prefixes (default all)."""
    wanted = [w.strip() for w in os.environ.get("BENCH_WEB_TARGETS", "").split(",") if w.strip()]
    return [t for t in targets(seed) if not wanted or any(t.name.startswith(w) for w in wanted)]


class ProgressChurn:
    """Marks and unmarks topics for some learners in turn while wrk runs (the service the progress
    button calls, so their cached pages and their cohort's dashboard are invalidated as in use).
    `learners` picks them (default: the seeded bench learners); counts what it did."""

    def __init__(self, per_second: float, *, learners=None, topics: int = 5):
        import threading

        self.per_second, self.topic_count, self.changes = per_second, topics, 0
        self.learners = learners or (lambda users: users.filter(username__startswith="bench-learner-"))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        if self.per_second > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        from django.db import connection

        from curriculum.models import Topic
        from curriculum.services import topic_progress_mark
        from webapp.accounts.models import User

        users = list(self.learners(User.objects.all()).order_by("id"))
        topics = list(Topic.objects.active().order_by("-id")[: self.topic_count])  # not seeded as done
        try:
            while not self._stop.wait(1 / self.per_second):
                user = users[self.changes % len(users)]
                topic = topics[(self.changes // len(users)) % len(topics)]
                status = "done" if (self.changes // (len(users) * len(topics))) % 2 == 0 else "reset"
                topic_progress_mark(user=user, topic=topic, status=status)
                self.changes += 1
        finally:
            connection.close()


LUA = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local cookies = {cookies}
local counter = 0
request = function()
  counter = counter + 1
  if #cookies > 0 then wrk.headers["Cookie"] = cookies[counter % #cookies + 1] end
  return wrk.format()
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "errors": {{"connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}}}}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string literal for ASCII text


def run_wrk(base: str, target: Target, connections: int, seconds: int = SECONDS) -> dict:
    script = LUA.format(
        method="POST" if target.body else "GET", body=_lua_string(target.body) if target.body else "nil",
        cookies="{" + ", ".join(_lua_string(c) for c in target.cookies) + "}",
    )  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    load_before = load_average()
    cmd = ["wrk", f"-t{min(WRK_THREADS, connections)}", f"-c{connections}", f"-d{seconds}s",
           f"--timeout={REQUEST_TIMEOUT_S}s", "-s", f.name, base + target.path]  # fmt: skip
    try:
        out = subprocess.run(
            cmd, capture_output=True, text=True, timeout=seconds + 3 * REQUEST_TIMEOUT_S
        ).stdout
    finally:
        os.unlink(f.name)
    line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
    raw = json.loads(line.removeprefix("WRK_JSON "))
    return {
        "target": target.name, "path": target.path, "method": "POST" if target.body else "GET",
        "connections": connections, "seconds": seconds,
        "requests": raw["requests"], "requests_per_s": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50_us"] / 1000, "p90_ms": raw["p90_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000, "errors": {k: v for k, v in raw["errors"].items() if v},
        "load_average_before": load_before, "load_average_after": load_average(),
    }  # fmt: skip


def check(base: str, target: Target) -> int:
    """One request first: the right answer (not a login redirect or a CSRF 403), and it warms up."""
    import httpx

    headers = {
        "Cookie": target.cookies[0] if target.cookies else "",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    method = "POST" if target.body else "GET"
    response = httpx.request(
        method, base + target.path, headers=headers, content=target.body or None, timeout=120
    )
    if response.status_code != target.expect:
        raise RuntimeError(
            f"{target.name}: {target.path} answered {response.status_code}, not {target.expect}"
        )
    return len(response.content)


@contextmanager
def uvicorn_server(timeout: float = 180):
    """The platform's web server as `make run` starts it (`python -m webapp.serve`): the page
    processes and the one demo process, access log as WEB_ACCESS_LOG says (off by default)."""
    import httpx

    from tests.processes import free_port, stop_process

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_CACHE_DIR": str(ROOT / "var" / "numba-cache")}
    log = open(ROOT / "var" / "uvicorn-bench.log", "wb")  # noqa: SIM115 - closed below
    cmd = [sys.executable, "-m", "webapp.serve", "--host", "127.0.0.1", "--port", str(port),
           "--processes", str(web_processes())]  # fmt: skip
    if web_processes() == 0:  # the one-process topology before issue 17, for a before/after
        cmd = [str(Path(sys.executable).parent / "uvicorn"), "webapp.asgi:application",
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {proc.returncode}; see var/uvicorn-bench.log")
            try:
                if httpx.get(base + "/static/css/app.css", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not answer in time; see var/uvicorn-bench.log")
            time.sleep(0.5)
        yield base
    finally:
        stop_process(proc)
        log.close()


def measure_config(config: str) -> dict:
    """One configuration, in this process (Django is set up for it): seed, serve, measure."""
    from benchmarks.benchdb import prepare

    seed = prepare(fresh=True)
    rows, skipped = [], []
    with uvicorn_server() as base:
        for target in targets_chosen(seed):
            try:
                size = check(base, target)
            except Exception as exc:  # a page still being built elsewhere: say so, measure the rest
                skipped.append({"target": target.name, "path": target.path, "reason": str(exc)})
                print(f"skipped {target.name}: {exc}", flush=True)
                continue
            for connections in CONCURRENCY:
                with ProgressChurn(PROGRESS_PER_S) as churn:
                    row = {**run_wrk(base, target, connections), "response_bytes": size}
                row["progress_changes"] = churn.changes
                rows.append(row)
                print(f"[{config}] {target.name:<34} c={connections:<3} {row['requests_per_s']:>8} req/s  "
                      f"p50 {row['p50_ms']:.1f} ms  p99 {row['p99_ms']:.1f} ms  load {row['load_average_before']}"
                      f"  progress changes {churn.changes}"
                      f"{'  errors ' + str(row['errors']) if row['errors'] else ''}", flush=True)  # fmt: skip
    return {"rows": rows, "skipped": skipped}


NOTES = {
    "embedded": "make run's defaults: SQLite (WAL, busy timeout) in its own var folder, the database-backed "
    "shared cache, the SQLite-backed broker (no worker running: a quiz answer is queued, not graded)",
    "postgres": "PostgreSQL on loopback, a pool of 8 connections per web process (DB_POOL_SIZE=8), "
    "Redis for the broker (database 14) and the shared "
    "cache (BENCH_CACHE_URL, default database 13; no worker running: a quiz answer is queued, not graded)",
}


def main() -> None:
    import shutil

    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk (Debian's package)")
    config = os.environ.get("BENCH_CONFIG")
    if config:  # one configuration, asked for by the loop below in a process of its own
        write_json(f"web-{config}.json", measure_config(config))
        return
    configs = {}
    for config in CONFIGS:
        env = {**os.environ, "BENCH_CONFIG": config}
        if config == "embedded":
            env["SOUNDPATH_VAR_DIR"] = str(ROOT / "var" / "bench-embedded")
        else:
            env.setdefault("DB_POOL_SIZE", "8")  # the web processes' pool (README: DB_POOL_SIZE)
        done = subprocess.run([sys.executable, "-m", "benchmarks.web"], cwd=ROOT, env=env)
        if done.returncode != 0:
            configs[config] = {
                "rows": [],
                "skipped": [{"target": "all", "path": "", "reason": f"exit {done.returncode}"}],
            }
            continue
        configs[config] = json.loads((ROOT / "benchmarks" / "results" / f"web-{config}.json").read_text())
    notes = [
        f"`python -m webapp.serve` as `make run` starts it: {web_processes()} page process(es) "
        "(BENCH_WEB_PROCESSES; uvicorn, webapp.asgi_pages) and the one Gradio demo process behind them, "
        "access log as make run has it (WEB_ACCESS_LOG, off by default)",
        "DEBUG off (benchmarks.bench_settings); the cached ceilings are the same views in cache_page, on the "
        "configuration's own shared cache",
        f"wrk {WRK_THREADS} threads, closed loop without think time, {SECONDS} s per run, on the same 2 cores",
        f"requests take the {LEARNERS} seeded learners' sessions in turn; the dashboard is one instructor's",
        f"during every run, {PROGRESS_PER_S:g} progress changes a second (a learner marks or unmarks a topic), "
        "each invalidating that learner's cached pages",
    ]
    notes += [f"{name}: {NOTES[name]}" for name in CONFIGS]
    write_json(
        "web.json",
        {
            "machine": machine(),
            "date": today(),
            "web_processes": web_processes(),
            "notes": notes,
            "configs": configs,
        },
    )


if __name__ == "__main__":
    main()
