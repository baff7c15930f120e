"""RESULTS.md from the JSON files under results/: one section per benchmark, each with the machine,
the date and the load average its figures were measured under."""

from pathlib import Path

from benchmarks.common import machine, read_json, today

HERE = Path(__file__).resolve().parent


def write_results() -> Path:
    runs = read_json("runs.json") or {}
    lines = [
        "# Benchmark results",
        "",
        f"Written {today()} by `make benchmarks` (`python -m benchmarks.run_all`) on {machine()}.",
        "How to run each part: `benchmarks/README.md`. Raw figures: `benchmarks/results/*.json`.",
        "The machine is shared with other developers' test runs: each figure carries the load average",
        "(1/5/15 min) it was measured under; with 2 cores, a load above 2 means the figures are pessimistic.",
        "",
        "| part | last run | outcome | seconds |",
        "|---|---|---|---|",
        *(f"| {p} | {r['date']} | {r['outcome']} | {r['seconds']} |" for p, r in runs.items()),
        "",
    ]
    lines += _web(read_json("web.json")) + _jobs(read_json("jobs.json"))
    lines += _engines_direct(read_json("engines_direct.json")) + _engines(read_json("engines.json"))
    lines += _devset(read_json("devset.json"))
    path = HERE / "RESULTS.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def _header(title: str, data: dict | None) -> list[str]:
    if not data:
        return [f"## {title}", "", "Not measured yet (no results file).", ""]
    return [f"## {title}", "", f"Machine: {data['machine']}. Date: {data['date']}.", ""]


PAGE_TARGETS = ("roadmap", "phase page", "topic page (ctc)", "practice", "job list")  # issue 17's pages
P50_TARGET_MS = 250


def _web(data: dict | None) -> list[str]:
    lines = _header("Web pages under load (wrk on loopback)", data)
    if not data:
        return lines
    if "web_processes" in data:
        lines += [f"Page processes: {data['web_processes']} (`make run`'s topology, webapp/serve.py).", ""]
    lines += [f"- {note}" for note in data["notes"]] + [""]
    configs = data.get("configs") or {"postgres": data}  # results written before both were measured
    for config, result in configs.items():
        lines += _web_config(config, result)
    before = read_json("web-before.json")  # the same benchmark on the code before issue 17's changes
    if before and before.get("configs"):
        lines += _web_before_after(before, configs)
    return lines


def _web_before_after(before: dict, after: dict) -> list[str]:
    lines = [
        "### Before and after issue 17's changes, at 50 users",
        "",
        f"Before: the same benchmark on the code before the changes, run {before['date']} "
        "(`results/web-before.json`); each side carries its own load average, and the machine was shared.",
        "",
        "| configuration | page | before: req/s, p50, p99 ms | after: req/s, p50, p99 ms | load avg before → after |",
        "|---|---|---|---|---|",
    ]
    for config, result in after.items():
        old_rows = {
            r["target"]: r
            for r in before["configs"].get(config, {}).get("rows", [])
            if r["connections"] == 50
        }
        for r in (r for r in result["rows"] if r["connections"] == 50):
            o = old_rows.get(r["target"])
            if o is None:
                continue
            lines.append(
                f"| {config} | {r['target']} | {o['requests_per_s']}, {o['p50_ms']:.0f}, {o['p99_ms']:.0f} | "
                f"{r['requests_per_s']}, {r['p50_ms']:.0f}, {r['p99_ms']:.0f} | "
                f"{o['load_average_before']} → {r['load_average_before']} |"
            )
    return [*lines, ""]


def _web_config(config: str, result: dict) -> list[str]:
    rows = result["rows"]
    lines = [
        f"### {config}",
        "",
        "| page | users | req/s | p50 ms | p90 ms | p99 ms | errors | progress changes | load avg (before) | issue 17 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        errors = ", ".join(f"{k} {v}" for k, v in r["errors"].items()) or "0"
        lines.append(
            f"| {r['target']} (`{r['method']} {r['path']}`) | {r['connections']} | {r['requests_per_s']} | "
            f"{r['p50_ms']:.0f} | {r['p90_ms']:.0f} | {r['p99_ms']:.0f} | {errors} | "
            f"{r.get('progress_changes', '')} | {r['load_average_before']} | {_web_verdict(r, rows)} |"
        )
    for s in result.get("skipped", []):
        lines.append(f"\nNot measured: {s['target']} (`{s['path']}`): {s['reason']}")
    return [*lines, ""]


def _web_verdict(row: dict, rows: list[dict]) -> str:
    """Issue 17's page target at 50 users, against the cached ceiling measured in the same run: p50 ≤
    250 ms, p99 ≤ 2× the cached page's, throughput ≥ ½ of it, no errors."""
    if row["target"] not in PAGE_TARGETS or row["connections"] != 50:
        return ""
    ceiling_name = (
        "topic page, from Django's cache"
        if row["target"].startswith("topic")
        else "roadmap, from Django's cache"
    )
    ceiling = next((r for r in rows if r["target"] == ceiling_name and r["connections"] == 50), None)
    if ceiling is None:
        return "no ceiling measured"
    misses = []
    if row["p50_ms"] > P50_TARGET_MS:
        misses.append(f"p50 > {P50_TARGET_MS} ms")
    if row["p99_ms"] > 2 * ceiling["p99_ms"]:
        misses.append(f"p99 > 2× {ceiling['p99_ms']:.0f} ms")
    if row["requests_per_s"] < ceiling["requests_per_s"] / 2:
        misses.append(f"req/s < ½ × {ceiling['requests_per_s']}")
    if row["errors"]:
        misses.append("errors")
    return "met" if not misses else "not met: " + "; ".join(misses)


def _jobs(data: dict | None) -> list[str]:
    lines = _header("Jobs: platform overhead over the engine, and throughput", data)
    if not data:
        return lines
    res = data["results"]
    lines += [f"- {note}" for note in data["notes"]] + [""]
    lines += ["| path | n | p50 ms | p99 ms | mean ms | load avg |", "|---|---|---|---|---|---|"]
    for name in ("direct (engine_infer in-process, warm)", "job, one at a time, 1 worker"):
        r = res[name]
        lines.append(
            f"| {name} | {r['n']} | {r['p50_ms']} | {r['p99_ms']} | {r['mean_ms']} | {r['load_average']} |"
        )
    for name, r in res["job, one at a time, 1 worker"]["breakdown (from the job rows)"].items():
        lines.append(f"| … {name} | {r['n']} | {r['p50_ms']} | {r['p99_ms']} | {r['mean_ms']} | |")
    o = res["overhead"]
    lines += [
        "",
        f"Overhead of a job over the direct call: p50 +{o['p50_ms']} ms, p99 +{o['p99_ms']} ms "
        f"({o['ratio_p50']}× the direct p50).",
        "",
        "| workers | jobs | seconds | jobs per minute | load avg |",
        "|---|---|---|---|---|",
    ]
    for workers in (1, 2):
        r = res[f"burst, {workers} worker{'s' if workers > 1 else ''}"]
        lines.append(
            f"| {workers} | {r['jobs']} | {r['seconds']} | {r['jobs_per_minute']} | {r['load_average']} |"
        )
    return [*lines, ""]


def _engines_direct(data: dict | None) -> list[str]:
    lines = _header("Engines: the platform's path vs the library called directly", data)
    if not data:
        return lines
    lines += [
        f"Median of {data['repeats']} warm runs each. Platform = `workers.engines.runner.engine_infer` on the file "
        "(what a worker runs); overhead ratio = platform time / direct time. Both sides start from the same file, so "
        "the ratio includes decoding: below 1 where the library's own loader (PyAV, librosa resampling, "
        "silero's per-window loop) is slower than workers.audio_io. Equal quality on both sides shows the same "
        "model and options ran.",
        "",
        "| engine | RTF platform | RTF direct | ratio | quality | direct call | input | load avg |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, r in data["results"].items():
        if "error" in r:
            lines.append(f"| `{key}` | — | — | — | not measured: {r['error']} | | | |")
            continue
        quality = "; ".join(f"{k}: {v}" for k, v in r["quality"].items())
        lines.append(
            f"| `{key}` | {r['rtf_platform']:.3f} | {r['rtf_direct']:.3f} | {r['overhead_ratio']} | {quality} | "
            f"`{r['direct']}` | {r['sample']} | {r['load_average']} |"
        )
    return [*lines, ""]


def _engines(data: dict | None) -> list[str]:
    lines = ["## Every default engine: real-time factor and quality", ""]
    if not data:
        return [*lines, "Not measured yet (no results/engines.json).", ""]
    lines += [
        "From `benchmarks.engines` (also written to `ENGINES.md`), the engines called in-process.",
        "",
        "| engine | RTF | quality | input | date |",
        "|---|---|---|---|---|",
    ]
    for key, r in data.items():
        quality = "; ".join(f"{k}: {v}" for k, v in r["quality"].items())
        lines.append(f"| `{key}` | {r['rtf']:.3f} | {quality} | {r['sample']} | {r['date']} |")
    return [*lines, ""]


def _devset(data: dict | None) -> list[str]:
    """The real-speech development set (benchmarks/devset): every figure names what it was measured on."""
    lines = _header("Real-speech development set (diarization, speaker embedding, ASR, enhancement)", data)
    if not data:
        return lines
    lines += [
        "Sources (read from installed packages at run time, never committed): "
        + "; ".join(f"`{s['name']}` ({s['package']}/{s['file']}): {s['licence']}" for s in data["sources"]),
        "",
        '"Simulated from real" = conversations mixed from real utterances of those speakers with pauses, '
        "overlaps and level differences (`benchmarks/devset/simulate.py`); the tuning half and the held-apart "
        "half use different halves of every utterance. DER: pyannote.metrics, overlap scored, no collar.",
        "",
    ]
    for part, result in data["results"].items():
        if "error" in result:
            lines += [f"### {part}", "", f"Not measured: {result['error']}", ""]
            continue
        lines += [f"### {part} (date {result['date']}, load average before {result['load_average']})", ""]
        rows = {k: v for k, v in result.items() if isinstance(v, dict)}
        for backend, row in rows.items():
            if all(isinstance(v, dict) for v in row.values()):  # diarization: one row per set
                for label, r in row.items():
                    figures = ", ".join(
                        f"{k} {v:.1f} %"
                        if k in ("DER", "missed", "false alarm", "confusion")
                        else f"{k} {v if isinstance(v, str) else round(v, 3)}"
                        for k, v in r.items()
                    )
                    lines.append(f"- `{backend}` — {label}: {figures}")
            else:
                figures = "; ".join(
                    f"{k}: {v if isinstance(v, str | int) else round(v, 3)}" for k, v in row.items()
                )
                lines.append(f"- `{backend}` — {figures}")
        lines.append("")
    return lines
