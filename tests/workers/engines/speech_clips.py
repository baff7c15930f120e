"""Speech clips with known silences for the VAD tests, built from espeak-ng on the fly."""

from pathlib import Path

import numpy as np

from tests.workers.engines.conftest import espeak

SR = 16000
GAP_SECONDS = 1.5


def _trimmed(audio: np.ndarray) -> np.ndarray:
    """espeak pads its output with its own silence: cut it so the true speech edges are known."""
    loud = np.flatnonzero(np.abs(audio) > 1e-3)
    return audio[loud[0] : loud[-1] + 1]


def speech_gap_speech(folder: Path) -> tuple[np.ndarray, tuple[tuple[float, float], ...]]:
    """Sentence, 1.5 s of digital silence, sentence; and the true (start, end) of each sentence."""
    first = _trimmed(espeak("Sound is a pressure wave.", folder / "first.wav"))
    second = _trimmed(espeak("Energy moves across frequency and time.", folder / "second.wav"))
    gap = np.zeros(int(GAP_SECONDS * SR), dtype=np.float32)
    clip = np.concatenate([first, gap, second])
    second_start = (len(first) + len(gap)) / SR
    return clip, ((0.0, len(first) / SR), (second_start, len(clip) / SR))
