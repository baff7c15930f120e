"""Measuring synthesised speech: where its pauses are, how loud and how fast it is."""

from dataclasses import dataclass

import numpy as np

FRAME_S = 0.01  # 10 ms RMS frames
SILENCE_DB = -40.0  # a frame this far below the loudest frame is silent
MIN_PAUSE_S = 0.15  # shorter gaps are stop closures inside words, not pauses


def pauses(audio: np.ndarray, sr: int, *, min_pause: float = MIN_PAUSE_S) -> list[tuple[float, float]]:
    """(start, end) in seconds of silent stretches of at least `min_pause` between speech (the
    silence before the first and after the last sound is not a pause)."""
    frame = max(int(sr * FRAME_S), 1)
    n = len(audio) // frame
    if n == 0:
        return []
    rms = np.sqrt(np.mean(np.asarray(audio[: n * frame], dtype=np.float64).reshape(n, frame) ** 2, axis=1))
    if rms.max() == 0:
        return []
    silent = 20 * np.log10(rms / rms.max() + 1e-12) < SILENCE_DB
    loud = np.flatnonzero(~silent)
    found = []
    start = None
    for i in range(loud[0], loud[-1] + 1):
        if silent[i] and start is None:
            start = i
        elif not silent[i] and start is not None:
            if (i - start) * FRAME_S >= min_pause - 1e-9:
                found.append((round(start * frame / sr, 3), round(i * frame / sr, 3)))
            start = None
    return found


@dataclass(frozen=True)
class SpeechSummary:
    duration: float
    pauses: list[tuple[float, float]]
    peak_dbfs: float
    words: int

    @property
    def words_per_minute(self) -> float:
        speaking = self.duration - sum(e - s for s, e in self.pauses)
        return 60 * self.words / speaking if speaking > 0 else 0.0

    def text(self) -> str:
        listed = ", ".join(f"{s:.2f}–{e:.2f} s ({e - s:.2f} s)" for s, e in self.pauses[:8])
        more = f" and {len(self.pauses) - 8} more" if len(self.pauses) > 8 else ""
        return (
            f"{self.duration:.2f} s of audio, peak {self.peak_dbfs:.1f} dBFS. "
            f"{len(self.pauses)} pause(s) of {MIN_PAUSE_S:.2f} s or more"
            f"{': ' + listed + more if self.pauses else ''}. "
            f"About {self.words_per_minute:.0f} words per minute while speaking ({self.words} words)."
        )


def summarise(audio: np.ndarray, sr: int, spoken_text: str) -> SpeechSummary:
    peak = float(np.max(np.abs(audio), initial=0.0))
    return SpeechSummary(
        duration=len(audio) / sr,
        pauses=pauses(audio, sr),
        peak_dbfs=20 * np.log10(peak) if peak > 0 else float("-inf"),
        words=len(spoken_text.split()),
    )
