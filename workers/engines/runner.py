"""The one code path from inputs on disk to an engine's output, shared by workers and the CLI."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workers.audio_io import AudioLimits, load_audio
from workers.engines.base import Engine, EngineOutput, JobInputs, ProgressFn, no_progress
from workers.engines.registry import get_engine


@dataclass
class RunOutcome:
    engine: Engine
    output: EngineOutput
    load_seconds: float  # 0 when the engine was already loaded in this process
    compute_seconds: float
    audio_seconds: float  # length of the longest audio input (0 for text-only)

    @property
    def real_time_factor(self) -> float | None:
        return self.compute_seconds / self.audio_seconds if self.audio_seconds else None


def engine_infer(
    capability: str,
    *,
    backend: str | None = None,
    audio_paths: dict[str, Path] | None = None,
    text: str = "",
    params: dict[str, Any] | None = None,
    limits: AudioLimits | None = None,
    progress: ProgressFn = no_progress,
) -> RunOutcome:
    """Load (once per process) the engine, decode each audio input at its rate, run it, time it."""
    started = time.perf_counter()
    engine = get_engine(capability, backend)
    load_seconds = time.perf_counter() - started
    progress(0.05, "Reading the input…")
    audio = {
        name: load_audio(path, target_sr=engine.sample_rate or None, limits=limits).samples
        for name, path in (audio_paths or {}).items()
    }
    rate = engine.sample_rate or 16000
    inputs = JobInputs(audio=audio, sample_rate=rate, text=text, params=params or {})
    started = time.perf_counter()
    output = engine.infer(inputs, progress=lambda f, m: progress(0.1 + 0.9 * f, m))
    compute = time.perf_counter() - started
    longest = max((len(a) / rate for a in audio.values()), default=0.0)
    return RunOutcome(engine, output, load_seconds, compute, longest)
