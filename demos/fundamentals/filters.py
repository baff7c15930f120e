"""Butterworth filters: design, frequency response, and what they do to a clip."""

from dataclasses import dataclass

import numpy as np

KINDS = ("low-pass", "high-pass", "band-pass")


@dataclass(frozen=True)
class FilterResult:
    kind: str
    cutoffs_hz: tuple[float, ...]
    order: int
    frequencies_hz: np.ndarray
    response_db: np.ndarray
    filtered: np.ndarray
    energy_kept: float  # output energy / input energy

    def summary(self) -> str:
        band = " – ".join(f"{c:.0f} Hz" for c in self.cutoffs_hz)
        return (
            f"Order-{self.order} Butterworth {self.kind} at {band}: −3 dB at the cut-off, then about "
            f"{6 * self.order} dB per octave. It kept {100 * self.energy_kept:.1f}% of the clip's energy."
        )


def design_and_apply(
    samples: np.ndarray, sr: int, kind: str, low_hz: float, high_hz: float, order: int = 4
) -> FilterResult:
    from scipy.signal import butter, sosfiltfilt, sosfreqz

    nyquist = sr / 2
    if kind not in KINDS:
        raise ValueError(f"Unknown filter kind {kind!r}; choose one of {', '.join(KINDS)}.")
    if kind == "band-pass":
        if not 0 < low_hz < high_hz < nyquist:
            raise ValueError(f"A band-pass needs 0 < low < high < {nyquist:.0f} Hz (the Nyquist frequency).")
        cutoffs: tuple[float, ...] = (low_hz, high_hz)
    else:
        cutoff = low_hz if kind == "high-pass" else high_hz
        if not 0 < cutoff < nyquist:
            raise ValueError(f"The cut-off must lie between 0 and {nyquist:.0f} Hz (the Nyquist frequency).")
        cutoffs = (cutoff,)
    btype = {"low-pass": "lowpass", "high-pass": "highpass", "band-pass": "bandpass"}[kind]
    sos = butter(order, cutoffs if len(cutoffs) == 2 else cutoffs[0], btype=btype, fs=sr, output="sos")
    freqs, response = sosfreqz(sos, worN=2048, fs=sr)
    # Zero-phase (forward and backward): the learner hears the magnitude response without phase smear.
    filtered = sosfiltfilt(sos, samples).astype(np.float32)
    energy_in = max(float(np.sum(samples.astype(np.float64) ** 2)), 1e-20)
    return FilterResult(
        kind=kind,
        cutoffs_hz=cutoffs,
        order=order,
        frequencies_hz=freqs,
        response_db=20 * np.log10(np.maximum(np.abs(response), 1e-8)),
        filtered=filtered,
        energy_kept=float(np.sum(filtered.astype(np.float64) ** 2)) / energy_in,
    )
