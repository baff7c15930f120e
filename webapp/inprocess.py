"""The one allowlist of work the web process does itself. Everything else reached from the web —
demo runs, predict-then-run experiments, consent checks, spoken answers — is an InferenceJob on a
worker, under the quotas and time limits of every job. README ("What runs in the web process")
repeats this list; tests/webapp/test_web_process.py checks it from inside a real uvicorn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from workers.engines.kws_dscnn import DsCnnKeywordSpotter

# Never imported by the web process, whatever a visitor does (the live keyword spotter below is
# the one declared exception, and it loads only torch).
HEAVY_MODULES = (
    "torch",
    "transformers",
    "sentence_transformers",
    "ctranslate2",
    "faster_whisper",
    "pyannote.audio",
    "TTS",
    "onnxruntime",  # the runtime of Silero, Piper, YAMNet, openWakeWord-style models
)


@dataclass(frozen=True)
class InProcessWork:
    what: str
    imports: tuple[str, ...]  # libraries beyond numpy/scipy/gradio it brings into the web process
    bound: str  # why it cannot take the web process over


ALLOWED = (
    InProcessWork(
        what="Fundamentals lab: waveform, spectrogram, filters, sampling and quantisation of one clip, and "
        "its two predict-then-run experiments (synthetic tones).",
        imports=("librosa",),
        bound="Clips are decoded with workers.audio_io's limits (size and duration checked from the header); "
        "numpy/scipy/librosa DSP on at most a few seconds of samples, no model.",
    ),
    InProcessWork(
        what="Music demo beat tracking: librosa's onset envelope and dynamic-programming beat tracker on "
        "one clip (no model), and rendering MIDI notes as sine tones.",
        imports=("librosa",),
        bound="The clip is decoded with the demo's AudioLimits (size and duration from the header) at 22,050 Hz.",
    ),
    InProcessWork(
        what="Plots of job results (spectrograms, F0 contours, piano rolls, DER timelines) and scoring of "
        "returned files (WER, SI-SDR, DER with pyannote.metrics): the web process reads what a job wrote.",
        imports=("librosa", "matplotlib", "pyannote.metrics", "pyworld"),
        bound="Runs on a finished job's output, which the job's own limits already bounded.",
    ),
    InProcessWork(
        what="Live keyword spotting on a microphone stream (keyword-spotting demo, tab 3): the trained "
        "23k-parameter int8 DS-CNN scores each 1 s window, every 0.25 s — too often for a job round trip.",
        imports=("torch",),
        bound="Signed-in users only; a stream stops after 120 s (Gradio time_limit); one window of 16,000 "
        "samples per call; torch runs one thread. The only declared exception to HEAVY_MODULES.",
    ),
)

# Demos whose predict-then-run experiments are pure numpy on synthetic signals: they stay here.
# Every other demo's experiment runs as an "exercise" job (demos/exercises.py).
EXERCISES_IN_PROCESS = frozenset({"fundamentals"})


def live_keyword_spotter() -> DsCnnKeywordSpotter:
    """The engine of live keyword spotting (ALLOWED above), on the terms declared there: the CPU,
    torch on one thread. The one place the web process obtains an engine; demos asks here."""
    import torch

    from workers.engines.registry import get_engine

    torch.set_num_threads(1)
    return cast("DsCnnKeywordSpotter", get_engine("keyword-spotting", "dscnn", device="cpu"))
