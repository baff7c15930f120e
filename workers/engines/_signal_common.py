"""Small signal and MIDI helpers shared by the enhancement, separation, pitch, music and tagging engines."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from workers.audio_io import resample  # noqa: F401 - the one resampler, re-exported for the engines
from workers.engines.base import EngineError
from workers.engines.paths import model_root  # noqa: F401 - re-exported for the engines

# Repository root: workers/engines/_signal_common.py → three levels up.
_REPO_DIR = Path(__file__).resolve().parents[2]


def require_audio(audio: np.ndarray, sample_rate: int, *, min_seconds: float = 0.1) -> np.ndarray:
    """Float32 mono audio, or an EngineError a learner understands (empty, too short, not mono, NaN)."""
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim != 1:
        raise EngineError("This engine needs mono audio (one channel).")
    if audio.size < int(min_seconds * sample_rate):
        raise EngineError(f"The audio is too short: give at least {min_seconds:g} s.")
    if not np.isfinite(audio).all():
        raise EngineError("The audio contains invalid samples (NaN or infinity).")
    return audio


def fit_length(audio: np.ndarray, length: int) -> np.ndarray:
    """Trim or zero-pad to exactly `length` samples (frame-based models drop or add a partial frame)."""
    if len(audio) >= length:
        return np.ascontiguousarray(audio[:length], dtype=np.float32)
    return np.pad(audio, (0, length - len(audio))).astype(np.float32)


def midi_bytes(midi: object) -> bytes:
    """A pretty_midi.PrettyMIDI as Standard MIDI File bytes."""
    buffer = io.BytesIO()
    midi.write(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()
