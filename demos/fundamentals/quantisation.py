"""Quantisation: fewer bits, more noise — measured against the 6.02·N + 1.76 dB rule."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class QuantisationResult:
    bits: int
    quantised: np.ndarray
    error: np.ndarray
    snr_db: float
    theoretical_snr_db: float  # for a full-scale sine: 6.02 * bits + 1.76

    def summary(self) -> str:
        return (
            f"{self.bits}-bit quantisation: {2**self.bits:,} levels. Measured SNR {self.snr_db:.1f} dB; "
            f"a full-scale sine would give 6.02·{self.bits} + 1.76 = {self.theoretical_snr_db:.1f} dB "
            "(quieter signals use fewer levels, so they get less)."
        )


def quantise(samples: np.ndarray, bits: int, *, dither: bool = False, seed: int = 0) -> QuantisationResult:
    """Mid-tread uniform quantiser on [-1, 1); optional TPDF dither of ±1 LSB."""
    if not 1 <= bits <= 24:
        raise ValueError("Bit depth must be between 1 and 24.")
    step = 2.0 / 2**bits
    x = samples.astype(np.float64)
    if dither:
        rng = np.random.default_rng(seed)
        x = x + (rng.uniform(-0.5, 0.5, len(x)) + rng.uniform(-0.5, 0.5, len(x))) * step
    levels = np.clip(np.round(x / step), -(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    quantised = (levels * step).astype(np.float32)
    error = quantised - samples
    signal_power = float(np.mean(samples.astype(np.float64) ** 2))
    noise_power = max(float(np.mean(error.astype(np.float64) ** 2)), 1e-20)
    return QuantisationResult(
        bits=bits,
        quantised=quantised,
        error=error.astype(np.float32),
        snr_db=10 * np.log10(max(signal_power, 1e-20) / noise_power),
        theoretical_snr_db=6.02 * bits + 1.76,
    )
