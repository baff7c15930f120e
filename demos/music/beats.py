"""Beat and tempo tracking (librosa's dynamic-programming tracker, Ellis 2007) with clicks overlaid."""

from dataclasses import dataclass

import numpy as np

HOP = 512


@dataclass(frozen=True)
class Beats:
    tempo_bpm: float
    beat_times: np.ndarray  # seconds
    onset_times: np.ndarray  # frame times of the onset-strength envelope
    onset_strength: np.ndarray

    def summary(self, duration: float) -> str:
        if len(self.beat_times) == 0:
            return f"No beats found in {duration:.1f} s (too little rhythmic onset energy)."
        intervals = np.diff(self.beat_times)
        spacing = f"; median spacing {np.median(intervals):.3f} s" if len(intervals) else ""
        first = ", ".join(f"{t:.2f}" for t in self.beat_times[:8])
        return (
            f"Tempo {self.tempo_bpm:.1f} BPM: {len(self.beat_times)} beats in {duration:.1f} s{spacing}. "
            f"First beats at {first} s."
        )


def track(samples: np.ndarray, sr: int) -> Beats:
    import librosa

    envelope = librosa.onset.onset_strength(y=samples, sr=sr, hop_length=HOP)
    tempo, frames = librosa.beat.beat_track(onset_envelope=envelope, sr=sr, hop_length=HOP)
    return Beats(
        tempo_bpm=float(np.atleast_1d(tempo)[0]),
        beat_times=librosa.frames_to_time(frames, sr=sr, hop_length=HOP),
        onset_times=librosa.times_like(envelope, sr=sr, hop_length=HOP),
        onset_strength=envelope,
    )


def with_clicks(samples: np.ndarray, sr: int, beat_times: np.ndarray) -> np.ndarray:
    """The audio with a 1 kHz click on every beat, mixed so that neither drowns the other."""
    import librosa

    clicks = librosa.clicks(times=beat_times, sr=sr, click_freq=1000.0, length=len(samples))
    peak = float(np.max(np.abs(samples))) or 1.0
    mixed = 0.6 * samples / peak + 0.4 * clicks
    return (mixed / max(1.0, float(np.max(np.abs(mixed))))).astype(np.float32)


def click_track(bpm: float, seconds: float, sr: int) -> np.ndarray:
    """Plain clicks at `bpm` (the exercise's test signal)."""
    import librosa

    return librosa.clicks(times=np.arange(0, seconds, 60 / bpm), sr=sr, length=int(seconds * sr))
