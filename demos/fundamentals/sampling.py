"""Sampling and aliasing: resample with and without an anti-aliasing filter, and measure the fold-back."""

from dataclasses import dataclass
from math import gcd

import numpy as np


@dataclass(frozen=True)
class SamplingResult:
    original_rate: int
    target_rate: int
    nyquist_hz: float  # target_rate / 2
    energy_above_nyquist: float  # fraction of the input's energy above the new Nyquist frequency
    naive: np.ndarray  # taken every n-th sample, no filter, played back at the original rate
    filtered: np.ndarray  # low-passed first (polyphase resampling), played back at the original rate
    alias_to_signal_db: float  # energy of (naive - filtered) relative to filtered

    def summary(self) -> str:
        return (
            f"Resampling {self.original_rate} Hz → {self.target_rate} Hz puts Nyquist at {self.nyquist_hz:.0f} Hz. "
            f"{100 * self.energy_above_nyquist:.1f}% of the clip's energy lies above it. Without a filter that energy "
            f"folds back into the audible band: the difference between the two versions is "
            f"{self.alias_to_signal_db:.1f} dB relative to the filtered one."
        )


def fraction_above(samples: np.ndarray, sr: int, cutoff_hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / sr)
    total = spectrum.sum()
    return float(spectrum[freqs > cutoff_hz].sum() / total) if total > 0 else 0.0


def naive_downsample(samples: np.ndarray, sr: int, target_sr: int) -> np.ndarray:
    """Keep the sample nearest each new instant: what an ADC without its analogue filter would see."""
    positions = np.arange(0, len(samples) * target_sr / sr) * sr / target_sr
    return samples[np.minimum(np.round(positions).astype(int), len(samples) - 1)]


def _polyphase(samples: np.ndarray, sr: int, target_sr: int) -> np.ndarray:
    from scipy.signal import resample_poly

    g = gcd(sr, target_sr)
    return resample_poly(samples, target_sr // g, sr // g).astype(np.float32)


def hold_upsample(samples: np.ndarray, sr: int, target_sr: int) -> np.ndarray:
    """Back to the original rate by repeating samples (zero-order hold): the alias stays audible."""
    positions = np.arange(0, len(samples) * target_sr / sr) * sr / target_sr
    return samples[np.minimum(positions.astype(int), len(samples) - 1)].astype(np.float32)


def compare_sampling(samples: np.ndarray, sr: int, target_sr: int) -> SamplingResult:
    if not 1000 <= target_sr <= sr:
        raise ValueError(f"Pick a rate between 1000 Hz and the clip's own {sr} Hz.")
    naive = hold_upsample(naive_downsample(samples, sr, target_sr), target_sr, sr)[: len(samples)]
    filtered = _polyphase(_polyphase(samples, sr, target_sr), target_sr, sr)[: len(samples)]
    n = min(len(naive), len(filtered))
    difference = np.sum((naive[:n] - filtered[:n]) ** 2)
    reference = max(float(np.sum(filtered[:n] ** 2)), 1e-12)
    return SamplingResult(
        original_rate=sr,
        target_rate=target_sr,
        nyquist_hz=target_sr / 2,
        energy_above_nyquist=fraction_above(samples, sr, target_sr / 2),
        naive=naive,
        filtered=filtered,
        alias_to_signal_db=float(10 * np.log10(max(difference, 1e-12) / reference)),
    )


def dominant_frequency(samples: np.ndarray, sr: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / sr)[np.argmax(spectrum)])


def tone(freq_hz: float, sr: int, seconds: float = 1.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(sr * seconds)) / sr
    return (amplitude * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)
