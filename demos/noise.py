"""White noise at a chosen signal-to-noise ratio, for the demos that degrade their input on purpose."""

from pathlib import Path

import numpy as np

HEADROOM = 0.99  # peak after mixing: 16-bit WAV files clip at 1.0


def add_white_noise(samples: np.ndarray, snr_db: float, *, seed: int = 0) -> np.ndarray:
    """`samples` plus Gaussian white noise whose power is the clip's mean power / 10^(snr_db/10).

    The SNR is over the whole clip, pauses included (as a recording engineer would measure a
    file). If the mixture would clip, clip and noise are scaled down together, which keeps the SNR.
    A fixed seed makes every run of an experiment hear the same noise.
    """
    clean = np.asarray(samples, dtype=np.float64)
    signal_power = float(np.mean(clean**2))
    if signal_power == 0.0:
        raise ValueError("The clip is silent: a signal-to-noise ratio needs some signal.")
    noise = np.random.default_rng(seed).standard_normal(len(clean))
    noise *= np.sqrt(signal_power / 10 ** (snr_db / 10) / np.mean(noise**2))  # exactly the asked SNR
    mixture = clean + noise
    peak = float(np.max(np.abs(mixture)))
    if peak > HEADROOM:
        mixture *= HEADROOM / peak
    return mixture.astype(np.float32)


def write_wav(samples: np.ndarray, sample_rate: int, folder: Path, name: str) -> Path:
    """A 16-bit WAV in `folder` (what jobs and the engines' file loaders read)."""
    import soundfile as sf

    path = folder / name
    sf.write(str(path), samples, sample_rate, subtype="PCM_16")
    return path
