"""Synthetic test signals for the enhancement, separation and pitch engine tests (known ground truth)."""

import numpy as np


def glide(sr: int = 16000, seconds: float = 2.0, start_hz: float = 220.0, end_hz: float = 440.0):
    """An exponential 220→440 Hz glide with one harmonic; returns (audio, f0 at any time t)."""
    t = np.arange(int(sr * seconds)) / sr
    ratio = end_hz / start_hz

    def f0(times: np.ndarray) -> np.ndarray:
        return start_hz * ratio ** (times / seconds)

    phase = 2 * np.pi * np.cumsum(f0(t)) / sr
    audio = 0.5 * np.sin(phase) + 0.2 * np.sin(2 * phase)
    return audio.astype(np.float32), f0


def click_track(length: int, sr: int, *, every: float = 0.25, seed: int = 0) -> np.ndarray:
    """Decaying noise bursts (10 ms, 2 ms decay) every `every` seconds: a crude hi-hat."""
    rng = np.random.default_rng(seed)
    clicks = np.zeros(length, dtype=np.float32)
    burst = int(0.01 * sr)
    envelope = np.exp(-np.arange(burst) / (0.002 * sr))
    for start in (np.arange(0.1, length / sr, every) * sr).astype(int):
        n = min(burst, length - start)
        clicks[start : start + n] += (rng.standard_normal(n) * envelope[:n]).astype(np.float32)
    return clicks
