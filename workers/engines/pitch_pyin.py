"""pYIN pitch tracking (librosa): YIN's difference function with an HMM over pitch candidates."""

from __future__ import annotations

import numpy as np

from workers.engines._signal_common import require_audio
from workers.engines.base import Availability, ModelCard, check_imports
from workers.engines.capabilities import PitchTrack, PitchTracker

SAMPLE_RATE = 16000
FRAME = 1024  # 64 ms: two periods of the lowest pitch (C2, 65 Hz) fit in a frame
HOP = 160  # 10 ms, the same grid as the CREPE backend so the two can be compared
FMIN, FMAX = 65.0, 1050.0  # C2 .. C6


class PyinPitchTracker(PitchTracker):
    backend = "pyin"
    sample_rate = SAMPLE_RATE
    uses_torch = False
    card = ModelCard(
        engine="pYIN (probabilistic YIN, librosa)",
        package="librosa 0.11.0",
        weights="none (classic method)",
        weights_bytes=None,
        licence="ISC (librosa)",
        training_data="none: hand-designed difference function with a hidden Markov model",
        limits="Monophonic only; octave errors on breathy or creaky voice; slower than CREPE tiny on long clips "
        "because of the Viterbi search over many candidates.",
        classic=True,
        paper="https://doi.org/10.1109/ICASSP.2014.6853678",
    )

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("librosa")

    def track(self, audio: np.ndarray) -> PitchTrack:
        """16 kHz float32 in; one estimate per 10 ms, NaN where pYIN decides the frame is unvoiced."""
        import librosa

        audio = require_audio(audio, self.sample_rate)
        f0, _, voiced_probability = librosa.pyin(
            audio, fmin=FMIN, fmax=FMAX, sr=SAMPLE_RATE, frame_length=FRAME, hop_length=HOP
        )
        times = librosa.times_like(f0, sr=SAMPLE_RATE, hop_length=HOP)
        return PitchTrack(times=times, f0_hz=f0.astype(np.float64), confidence=voiced_probability)
