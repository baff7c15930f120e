"""`make benchmarks`: every benchmark, each in its own process with a time limit, then RESULTS.md.

.venv/bin/python -m benchmarks.run_all                        # web, dashboard_load, grader.latency, jobs, classrun, …
BENCH_PARTS=web,jobs .venv/bin/python -m benchmarks.run_all   # some of them
.venv/bin/python -m benchmarks.run_all --report               # only rewrite RESULTS.md from results/
"""

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import RESULTS_DIR, load_average, machine, read_json, today, write_json

ROOT = Path(__file__).resolve().parent.parent
PARTS = {
    "web": 900,
    "dashboard_load": 600,  # issue 17: the 200-learner cohort dashboard at 10 instructors
    "grader.latency": 600,  # issue 17: typed answers graded on a worker, 10 users through the web
    "jobs": 900,
    "classrun": 600,
    "engines_direct": 900,
    "engines": 1800,
    "devset": 1800,
}  # time limit of each, seconds


def run(parts: list[str]) -> dict:
    status = read_json("runs.json") or {}
    env = {**os.environ, "NUMBA_CACHE_DIR": str(ROOT / "var" / "numba-cache")}
    for part in parts:
        print(f"=== benchmarks.{part} (at most {PARTS[part]} s; load {load_average()})", flush=True)
        started = time.monotonic()
        try:
            code = subprocess.run([sys.executable, "-m", f"benchmarks.{part}"], cwd=ROOT, env=env,
                                  timeout=PARTS[part]).returncode  # fmt: skip
            outcome = "ok" if code == 0 else f"failed (exit {code})"
        except subprocess.TimeoutExpired:
            outcome = f"stopped after {PARTS[part]} s"
        status[part] = {"outcome": outcome, "seconds": round(time.monotonic() - started), "date": today()}
        print(f"=== benchmarks.{part}: {outcome}", flush=True)
    write_json("runs.json", status)
    return status


def main() -> None:
    if "--report" not in sys.argv:
        chosen = [p.strip() for p in os.environ.get("BENCH_PARTS", ",".join(PARTS)).split(",") if p.strip()]
        unknown = set(chosen) - set(PARTS)
        if unknown:
            sys.exit(f"unknown part(s) {sorted(unknown)}; choose from {sorted(PARTS)}")
        run(chosen)
    from benchmarks.report import write_results

    path = write_results()
    print(f"wrote {path.relative_to(ROOT)} ({machine()}; results in {RESULTS_DIR.relative_to(ROOT)}/)")


if __name__ == "__main__":
    main()
