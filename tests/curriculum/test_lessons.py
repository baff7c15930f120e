"""Issue 16's lesson contract, checked on the real content (format: curriculum/content/README.md).

Core lessons are full (1,200–2,500 prose words, two figures, runnable code with its printed
output); survey topics say what to read in which order; every Check-yourself question has a
worked answer; every figure exists and is rebuilt by its generator (up to float noise); every runnable
block prints what the text says it prints; every phase goal names the lessons that teach it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from curriculum import figures
from curriculum.content_loader import split_front_matter
from curriculum.lessons import (
    figure_refs,
    lesson_parts,
    outputs_match,
    prose_words,
    runnable_blocks,
)
from curriculum.notebook_pages import NOTEBOOKS_DIR

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "curriculum" / "content"

# The technique topics the issue names as full lessons (signals and DSP, features, HMM-GMM, CTC,
# attention/transducer ASR, Whisper, TTS acoustic models and vocoders, speaker verification,
# diarization, VAD, enhancement, separation, music transcription/generation, real time).
REQUIRED_CORE = {
    "sampling-nyquist", "fourier-fft", "stft-spectrograms", "digital-filters", "mel-mfcc-chroma", "hmm-gmm",
    "ctc", "attention-asr", "whisper", "tacotron", "fastspeech", "neural-vocoders", "speaker-verification",
    "speaker-diarization", "voice-activity-detection", "speech-enhancement", "source-separation",
    "music-transcription", "music-generation", "real-time-processing",
}  # fmt: skip
# Gaps the issue asks to close with new topics.
REQUIRED_NEW = {
    "neural-network-fundamentals", "audio-anomaly-detection", "streaming-tts", "anti-spoofing",
    "neural-codecs-tokenisers",
}  # fmt: skip

CORE_WORDS = (1200, 2500)
SURVEY_WORDS = (500, 1200)
MAX_SVG_BYTES = 150_000
MIN_ANSWER_WORDS = 40


def _topics() -> dict[str, tuple[dict, str]]:
    found = {}
    for path in sorted((CONTENT / "topics").rglob("*.md")):
        data, body = split_front_matter(path.read_text(encoding="utf-8"))
        found[data["id"]] = (data, body)
    return found


def _phases() -> dict[str, dict]:
    return {
        (data := split_front_matter(p.read_text(encoding="utf-8"))[0])["id"]: data
        for p in sorted((CONTENT / "phases").glob("*.md"))
    }


TOPICS = _topics()
PHASES = _phases()
RUNNABLE = [
    pytest.param(slug, block, id=f"{slug}:L{block.line}")
    for slug, (_, body) in TOPICS.items()
    for block in runnable_blocks(body)
]


def test_the_named_core_lessons_and_new_topics_exist_and_are_marked_core():
    core = {slug for slug, (data, _) in TOPICS.items() if data.get("core")}

    assert sorted(REQUIRED_CORE - core) == []
    assert sorted(REQUIRED_NEW - set(TOPICS)) == []


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_every_check_yourself_question_has_a_worked_answer(slug):
    parts = lesson_parts(TOPICS[slug][1])

    assert len(parts.questions) >= 2, "a topic ends with at least two Check-yourself questions"
    assert len(parts.answers) == len(parts.questions), (
        f"{len(parts.questions)} questions but {len(parts.answers)} '### ' worked answers"
    )
    thin = [heading for heading, text in parts.answers if prose_words(text) < MIN_ANSWER_WORDS]
    assert thin == [], f"worked answers under {MIN_ANSWER_WORDS} words"


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_every_topic_teaches_on_the_page_at_its_depth(slug):
    data, body = TOPICS[slug]
    lesson = lesson_parts(body).lesson
    words = prose_words(lesson)
    refs = figure_refs(lesson)
    if data.get("core"):
        assert CORE_WORDS[0] <= words <= CORE_WORDS[1], f"core lesson has {words} prose words"
        assert len(refs) >= 2, "a core lesson has two figures or more"
        runnable = runnable_blocks(lesson)
        assert runnable, "a core lesson runs code and shows what it prints"
    else:
        assert SURVEY_WORDS[0] <= words <= SURVEY_WORDS[1], f"survey topic has {words} prose words"
        assert len(refs) >= 1, "every topic has a figure"
        assert "\n## Reading order" in f"\n{lesson}", "a survey topic says what to read in which order"


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_referenced_figures_exist_with_a_text_alternative(slug):
    for ref in figure_refs(TOPICS[slug][1]):
        svg = figures.OUTPUT_DIR / f"{ref.name}.svg"
        assert svg.is_file(), f"figures/{ref.name}.svg is referenced but missing (run `make figures`)"
        assert svg.stat().st_size < MAX_SVG_BYTES, f"{ref.name}.svg is {svg.stat().st_size} bytes"
        assert len(ref.alt.split()) >= 5, f"{ref.name}: the alt text should say what the figure shows"


_SVG_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SVG_ID = re.compile(r'(id="|url\(#|href="#)([A-Za-z0-9_]+)')
SVG_TOLERANCE = 0.5  # SVG units (pixels at 72 dpi): half a pixel, invisible


def _svg_canonical(svg: str) -> tuple[str, list[float]]:
    """The SVG with its ids renamed in order of appearance and its numbers taken out: the last
    bits of the CPU's vector maths move coordinates by a millionth of a pixel, and matplotlib
    derives clip-path ids from those coordinates."""
    names: dict[str, str] = {}
    renamed = _SVG_ID.sub(lambda m: m.group(1) + names.setdefault(m.group(2), f"id{len(names)}"), svg)
    return _SVG_NUMBER.sub("#", renamed), [float(n) for n in _SVG_NUMBER.findall(renamed)]


def _same_figure(built: str, committed: str) -> bool:
    """Byte for byte, or the same elements, text and ids with every number within half a pixel."""
    if built == committed:
        return True
    (shape_a, numbers_a), (shape_b, numbers_b) = _svg_canonical(built), _svg_canonical(committed)
    return shape_a == shape_b and all(
        abs(a - b) <= SVG_TOLERANCE for a, b in zip(numbers_a, numbers_b, strict=True)
    )


def test_figure_comparison_forgives_float_noise_only():
    committed = '<path id="p1a" d="M 317.010938 24.4 L 10 5"/><use href="#p1a"/>'
    noise = '<path id="p9z" d="M 317.010937 24.4 L 10 5"/><use href="#p9z"/>'
    moved = '<path id="p1a" d="M 317.010938 27.4 L 10 5"/><use href="#p1a"/>'
    other_text = '<path id="p1a" d="M 317.010938 24.4 L 10 5 z"/><use href="#p1a"/>'

    assert _same_figure(noise, committed)
    assert not _same_figure(moved, committed) and not _same_figure(other_text, committed)


def test_every_generator_rebuilds_its_committed_svg_and_no_svg_is_orphaned(tmp_path):
    registry = figures.load_generators()
    written = figures.build(output_dir=tmp_path)

    committed = {p.name for p in figures.OUTPUT_DIR.glob("*.svg")}
    assert {p.name for p in written} == committed, "every committed SVG has a generator and vice versa"
    stale = [
        p.name for p in written if not _same_figure(p.read_text(), (figures.OUTPUT_DIR / p.name).read_text())
    ]
    assert stale == [], "run `make figures` and commit the result (generators must be deterministic)"
    referenced = {ref.name for _, body in TOPICS.values() for ref in figure_refs(body)}
    assert sorted(set(registry) - referenced) == [], "figures no topic shows"


def test_every_runnable_block_is_followed_by_its_output():
    missing = [
        f"{slug}:L{block.line}"
        for slug, (_, body) in TOPICS.items()
        for block in runnable_blocks(body)
        if block.expected_output is None
    ]

    assert missing == []


@pytest.mark.parametrize(("slug", "block"), RUNNABLE)
def test_runnable_block_prints_what_the_lesson_says(slug, block, tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "Agg",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
        "OMP_NUM_THREADS": "1",
    }
    # A hang guard only: speed is reported by benchmarks, never asserted here.
    done = subprocess.run(
        [sys.executable, "-c", block.code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert outputs_match(done.stdout, block.expected_output or ""), (
        f"printed:\n{done.stdout}\nthe lesson says:\n{block.expected_output}"
    )


@pytest.mark.parametrize("phase", sorted(PHASES))
def test_every_phase_goal_names_lessons_that_exist(phase):
    goals = PHASES[phase]["goals"]
    has_notebook = (NOTEBOOKS_DIR / f"{phase}.ipynb").is_file()
    problems = []
    for goal in goals:
        if not isinstance(goal, dict) or not goal.get("taught_by"):
            problems.append(f"no lessons named for: {goal if isinstance(goal, str) else goal.get('text')}")
            continue
        for lesson in goal["taught_by"]:
            if lesson == "notebook" and not has_notebook:
                problems.append(f"'{goal['text']}' names the notebook, which does not exist")
            elif lesson != "notebook" and lesson not in TOPICS:
                problems.append(f"'{goal['text']}' names '{lesson}', which is not a topic")

    assert problems == []
