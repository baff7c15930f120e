"""Web benchmark: latency and throughput of pages under load, from wrk in a second process on
loopback, against the platform's ASGI app under uvicorn (1 worker, as `make run` starts it) on
PostgreSQL — next to the same pages from Django's cache and a static file, the distance to the limit.

    .venv/bin/python -m benchmarks.web        # writes results/web.json (BENCH_WEB_SECONDS=10 per run)

wrk keeps C connections busy back to back (no think time): "C concurrent users" here are users
who click the moment the previous page arrives, the worst case for the server.
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
CONCURRENCY = (10, 50)
WRK_THREADS = 2  # one per core; wrk itself is light next to the server
REQUEST_TIMEOUT_S = 10


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
        Target("topic page (ctc)", "/roadmap/topics/ctc/", learners),
        Target("quiz answer (POST, graded)", "/practice/answer/", learners, seed.answer_body, 302),
        Target(f"cohort dashboard ({LEARNERS} learners)", f"/cohorts/{seed.cohort_id}/", instructor),
        Target("roadmap, from Django's cache", "/bench-cached/roadmap/", learners),
        Target("topic page, from Django's cache", "/bench-cached/topics/ctc/", learners),
        Target("static file (app.css)", "/static/css/app.css"),
    ]


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


def run_wrk(base: str, target: Target, connections: int) -> dict:
    script = LUA.format(
        method="POST" if target.body else "GET", body=_lua_string(target.body) if target.body else "nil",
        cookies="{" + ", ".join(_lua_string(c) for c in target.cookies) + "}",
    )  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    load_before = load_average()
    cmd = ["wrk", f"-t{min(WRK_THREADS, connections)}", f"-c{connections}", f"-d{SECONDS}s",
           f"--timeout={REQUEST_TIMEOUT_S}s", "-s", f.name, base + target.path]  # fmt: skip
    try:
        out = subprocess.run(
            cmd, capture_output=True, text=True, timeout=SECONDS + 3 * REQUEST_TIMEOUT_S
        ).stdout
    finally:
        os.unlink(f.name)
    line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
    raw = json.loads(line.removeprefix("WRK_JSON "))
    return {
        "target": target.name, "path": target.path, "method": "POST" if target.body else "GET",
        "connections": connections, "seconds": SECONDS,
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
    """The platform's ASGI app (Django + every Gradio demo), one uvicorn worker, default access log."""
    import httpx

    from tests.processes import free_port, stop_process

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_CACHE_DIR": str(ROOT / "var" / "numba-cache")}
    log = open(ROOT / "var" / "uvicorn-bench.log", "wb")  # noqa: SIM115 - closed below
    cmd = [str(Path(sys.executable).parent / "uvicorn"), "webapp.asgi:application",
           "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
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


def main() -> None:
    import shutil

    from benchmarks.benchdb import prepare

    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk (Debian's package)")
    seed = prepare(fresh=True)
    rows, skipped = [], []
    with uvicorn_server() as base:
        for target in targets(seed):
            try:
                size = check(base, target)
            except Exception as exc:  # a page still being built elsewhere: say so, measure the rest
                skipped.append({"target": target.name, "path": target.path, "reason": str(exc)})
                print(f"skipped {target.name}: {exc}", flush=True)
                continue
            for connections in CONCURRENCY:
                row = {**run_wrk(base, target, connections), "response_bytes": size}
                rows.append(row)
                print(f"{target.name:<34} c={connections:<3} {row['requests_per_s']:>8} req/s  "
                      f"p50 {row['p50_ms']:.1f} ms  p99 {row['p99_ms']:.1f} ms  load {row['load_average_before']}"
                      f"{'  errors ' + str(row['errors']) if row['errors'] else ''}", flush=True)  # fmt: skip
    notes = [
        "uvicorn webapp.asgi:application, 1 worker (the platform's mode), default access log, Gradio demos mounted",
        "DEBUG off (benchmarks.bench_settings), PostgreSQL on loopback, local-memory cache for the cached pages",
        f"wrk {WRK_THREADS} threads, closed loop without think time, {SECONDS} s per run, on the same 2 cores",
        f"requests take the {LEARNERS} seeded learners' sessions in turn; the dashboard is one instructor's",
        "quiz answer: a free-text answer graded by the MiniLM grader in the web process, then the "
        "learner's spaced-repetition card updated under a row lock",
    ]
    write_json(
        "web.json", {"machine": machine(), "date": today(), "notes": notes, "rows": rows, "skipped": skipped}
    )


if __name__ == "__main__":
    main()
