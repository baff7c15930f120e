"""Spectral gating: the classic noise-profile-and-gate denoiser (as in Audacity's noise reduction)."""

from __future__ import annotations

import numpy as np

from workers.engines._signal_common import require_audio
from workers.engines.base import Availability, ModelCard, check_imports
from workers.engines.capabilities import Enhancer

N_FFT = 512  # 32 ms at 16 kHz: fine enough in frequency to see harmonics between noise
HOP = 128  # 75 % overlap keeps the gate's on/off changes smooth after overlap-add
QUIET_FRACTION = 0.1  # the quietest 10 % of frames are taken as "noise only"
THRESHOLD_STDS = 1.5  # a bin opens when it exceeds the noise mean by this many standard deviations (dB)
FLOOR_DB = -25.0  # gated bins are attenuated, not zeroed, to avoid holes and musical noise
SMOOTH_FRAMES = 5  # mask smoothing across time (frames) …
SMOOTH_BINS = 3  # … and frequency (bins)


class SpectralGateEnhancer(Enhancer):
    backend = "spectral-gating"
    sample_rate = 16000
    uses_torch = False
    card = ModelCard(
        engine="Spectral gating (noise profile + smoothed STFT gate)",
        package="numpy + scipy (librosa for the STFT) — librosa 0.11.0",
        weights="none (classic method)",
        weights_bytes=None,
        licence="ISC (librosa) / BSD-3-Clause (NumPy, SciPy)",
        training_data="none: the noise profile is estimated from the quietest frames of each input",
        limits="Assumes stationary noise and some near-silent frames; speech-like or changing noise passes "
        "through, and strong gating leaves 'musical noise'.",
        classic=True,
        paper="https://doi.org/10.1109/TASSP.1979.1163209",
    )

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("librosa", "scipy")

    def enhance(self, audio: np.ndarray) -> np.ndarray:
        """16 kHz float32 in, same length out."""
        import librosa

        audio = require_audio(audio, self.sample_rate)
        spec = librosa.stft(audio, n_fft=N_FFT, hop_length=HOP)
        mask = gate_mask(np.abs(spec))
        return librosa.istft(spec * mask, hop_length=HOP, length=len(audio)).astype(np.float32)


def gate_mask(magnitude: np.ndarray) -> np.ndarray:
    """(bins, frames) gain in [floor, 1]: 1 where a bin stands above the noise profile, smoothed."""
    from scipy.ndimage import uniform_filter

    level_db = 20 * np.log10(magnitude + 1e-10)
    energy = level_db.mean(axis=0)
    quiet = level_db[:, energy <= np.quantile(energy, QUIET_FRACTION)]
    threshold = quiet.mean(axis=1, keepdims=True) + THRESHOLD_STDS * quiet.std(axis=1, keepdims=True)
    hard = (level_db > threshold).astype(np.float32)
    smooth = uniform_filter(hard, size=(SMOOTH_BINS, SMOOTH_FRAMES), mode="nearest")
    floor = 10 ** (FLOOR_DB / 20)
    return floor + (1 - floor) * smooth
