"""Speech-enhancement scores, each against the clean reference: SI-SDR (dB), wideband PESQ (MOS-LQO,
about 1–4.64) and STOI (0–1). Pure functions of 16 kHz float arrays of equal length."""

from dataclasses import dataclass

import numpy as np

SR = 16000  # PESQ wideband is defined at 16 kHz


def si_sdr(reference: np.ndarray, estimate: np.ndarray) -> float:
    """Scale-invariant signal-to-distortion ratio (Le Roux et al., 2019), both signals zero-meaned:
    the estimate is split into alpha·reference (the target) plus the rest (the distortion), and the
    ratio of their energies is in dB. Rescaling the estimate changes nothing; +inf when exact."""
    s = np.asarray(reference, dtype=np.float64)
    s_hat = np.asarray(estimate, dtype=np.float64)
    if s.shape != s_hat.shape:
        raise ValueError(f"Reference and estimate differ in length ({len(s)} vs {len(s_hat)} samples).")
    s, s_hat = s - s.mean(), s_hat - s_hat.mean()
    if not np.any(s):
        raise ValueError("The reference is silent: SI-SDR needs a signal.")
    target = (s_hat @ s) / (s @ s) * s
    distortion = s_hat - target
    if not np.any(distortion):
        return float("inf")
    return float(10 * np.log10((target @ target) / (distortion @ distortion)))


def pesq_wb(reference: np.ndarray, degraded: np.ndarray, sr: int = SR) -> float:
    """ITU-T P.862.2 wideband PESQ (the `pesq` package), MOS-LQO from about 1 to 4.64."""
    from pesq import pesq

    if sr != SR:
        raise ValueError("Wideband PESQ is computed at 16 kHz.")
    return float(pesq(SR, np.asarray(reference, np.float64), np.asarray(degraded, np.float64), "wb"))


def stoi(reference: np.ndarray, degraded: np.ndarray, sr: int = SR) -> float:
    """Short-time objective intelligibility (Taal et al., 2011; `pystoi`), about 0 to 1."""
    from pystoi import stoi as pystoi_stoi

    return float(
        pystoi_stoi(np.asarray(reference, np.float64), np.asarray(degraded, np.float64), sr, extended=False)
    )


@dataclass(frozen=True)
class Scores:
    si_sdr: float
    pesq: float
    stoi: float


def score(clean: np.ndarray, processed: np.ndarray) -> Scores:
    return Scores(si_sdr(clean, processed), pesq_wb(clean, processed), stoi(clean, processed))


def scores_table(noisy: Scores, enhanced: Scores) -> list[list]:
    """Rows for a table: metric, noisy, enhanced, change."""
    return [
        [name, round(a, 2), round(b, 2), f"{b - a:+.2f}"]
        for name, a, b in (
            ("SI-SDR (dB)", noisy.si_sdr, enhanced.si_sdr),
            ("PESQ wideband (about 1–4.64)", noisy.pesq, enhanced.pesq),
            ("STOI (0–1)", noisy.stoi, enhanced.stoi),
        )
    ]
