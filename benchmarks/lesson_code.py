"""How long each lesson's runnable code block takes (issue 16's budget: ≤ 10 s each, offline), run
exactly as tests/curriculum/test_lessons.py runs them: a fresh interpreter in an empty folder. On
demand, like every benchmark; the test checks what each block prints, never how fast.

    .venv/bin/python -m benchmarks.lesson_code        # writes results/lesson_code.json
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from curriculum.content_loader import split_front_matter  # noqa: E402
from curriculum.lessons import runnable_blocks  # noqa: E402

EACH_S = 10.0


def block_times() -> list[dict]:
    rows = []
    for path in sorted((ROOT / "curriculum/content/topics").rglob("*.md")):
        data, body = split_front_matter(path.read_text(encoding="utf-8"))
        for block in runnable_blocks(body):
            with tempfile.TemporaryDirectory() as folder:
                env = {"PATH": os.environ.get("PATH", ""), "HOME": folder, "MPLBACKEND": "Agg",
                       "HF_HUB_OFFLINE": "1", "NUMBA_CACHE_DIR": f"{folder}/numba", "OMP_NUM_THREADS": "1"}  # fmt: skip
                started = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-c", block.code], cwd=folder, env=env, capture_output=True
                )
                rows.append(
                    {
                        "topic": data["id"],
                        "line": block.line,
                        "seconds": round(time.perf_counter() - started, 2),
                        "ok": done.returncode == 0,
                    }
                )
    return rows


def main() -> None:
    load = os.getloadavg()
    rows = block_times()
    over = [r for r in rows if r["seconds"] > EACH_S]
    result = {"load_avg_before": load, "budget_s": EACH_S, "blocks": rows, "over_budget": over,
              "max_s": max(r["seconds"] for r in rows), "total_s": round(sum(r["seconds"] for r in rows), 1)}  # fmt: skip
    out = ROOT / "benchmarks/results/lesson_code.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"{len(rows)} blocks, slowest {result['max_s']} s, total {result['total_s']} s, over {EACH_S} s: {over}"
    )


if __name__ == "__main__":
    main()
