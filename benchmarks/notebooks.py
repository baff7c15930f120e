"""How long each phase notebook takes to run (issue 15's budget: ≤ 90 s each, ≤ 8 min in all, on the
2-core CI machine), and how long each challenge's baseline and scoring take. On demand, like every
benchmark; the tests only check that the notebooks run, never how fast.

    .venv/bin/python -m benchmarks.notebooks              # notebooks
    .venv/bin/python -m benchmarks.notebooks --challenges # also baseline + scoring time per challenge
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EACH_S, ALL_S = 90.0, 480.0


def notebook_times() -> dict[str, float]:
    import nbformat
    from nbclient import NotebookClient

    os.environ.pop("MPLBACKEND", None)
    times = {}
    for path in sorted((ROOT / "curriculum/notebooks").glob("*.ipynb")):
        book = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        NotebookClient(
            book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        ).execute()
        times[path.stem] = round(time.perf_counter() - started, 1)
        print(f"{path.stem:22s} {times[path.stem]:6.1f} s  load {os.getloadavg()[0]:.1f}", flush=True)
    return times


def challenge_times(seed: int = 1234) -> dict[str, dict]:
    sys.path.insert(0, str(ROOT))
    from webapp.challenges.catalog import CHALLENGES

    out = {}
    for slug, challenge in CHALLENGES.items():
        pack = challenge.build(seed)
        started = time.perf_counter()
        submission = challenge.baseline_submission(pack)
        baseline_s = time.perf_counter() - started
        started = time.perf_counter()
        score = challenge.score(submission, pack.reference)
        out[slug] = {"baseline": score.value, "passed": score.passed, "baseline_s": round(baseline_s, 1),
                     "score_s": round(time.perf_counter() - started, 2)}  # fmt: skip
        print(slug, out[slug], flush=True)
    return out


if __name__ == "__main__":
    results = {"load_average_start": os.getloadavg()[0], "notebooks_s": notebook_times()}
    total = sum(results["notebooks_s"].values())
    results["notebooks_total_s"] = round(total, 1)
    results["within_budget"] = total <= ALL_S and max(results["notebooks_s"].values()) <= EACH_S
    if "--challenges" in sys.argv:
        results["challenges"] = challenge_times()
    target = ROOT / "benchmarks/results/notebooks.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(results, indent=2))
    print(
        f"total {total:.1f} s (budget {ALL_S:g} s, {EACH_S:g} s each): within budget = {results['within_budget']}"
    )
