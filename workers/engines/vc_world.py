"""WORLD vocoder voice conversion: F0 statistics mapping plus spectral-envelope frequency warping."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workers.engines.base import Availability, EngineError, ModelCard, ProgressFn, check_imports, no_progress
from workers.engines.capabilities import VoiceConverter

FRAME_MS = 5.0  # WORLD's usual analysis hop
MIN_VOICED_FRAMES = 40  # 0.2 s of voicing: fewer frames give meaningless F0 statistics
WARP_LIMITS = (0.8, 1.25)  # beyond this vowels turn into other vowels
CENTROID_BAND_HZ = (300.0, 4000.0)  # where the formants that carry vocal-tract length live
EQ_SMOOTH_BINS = 9  # the long-term equaliser follows the spectral tilt, not individual harmonics


@dataclass(frozen=True)
class WorldFeatures:
    f0: np.ndarray  # (frames,) Hz, 0 where unvoiced
    envelope: np.ndarray  # (frames, bins) power spectral envelope (CheapTrick)
    aperiodicity: np.ndarray  # (frames, bins) 0..1 (D4C)

    @property
    def voiced(self) -> np.ndarray:
        return self.f0 > 0


def analyse(audio: np.ndarray, sample_rate: int) -> WorldFeatures:
    """DIO + StoneMask F0, CheapTrick envelope and D4C aperiodicity (float64, as pyworld needs)."""
    import pyworld

    x = np.ascontiguousarray(audio, dtype=np.float64)
    f0, times = pyworld.dio(x, sample_rate, frame_period=FRAME_MS, f0_floor=60.0, f0_ceil=500.0)
    f0 = pyworld.stonemask(x, f0, times, sample_rate)
    envelope = pyworld.cheaptrick(x, f0, times, sample_rate)
    aperiodicity = pyworld.d4c(x, f0, times, sample_rate)
    return WorldFeatures(f0, envelope, aperiodicity)


def map_f0(source: WorldFeatures, target: WorldFeatures) -> np.ndarray:
    """Gaussian mapping in log-F0: the source's mean and spread become the target's."""
    log_s, log_t = np.log(source.f0[source.voiced]), np.log(target.f0[target.voiced])
    scale = log_t.std() / (log_s.std() + 1e-9)
    mapped = np.zeros_like(source.f0)
    mapped[source.voiced] = np.exp((log_s - log_s.mean()) * scale + log_t.mean())
    return mapped


def envelope_centroid(features: WorldFeatures, sample_rate: int) -> float:
    """Centroid of the voiced frames' average envelope in the formant band, spectral tilt removed.

    Without removing the tilt (a straight-line fit in log power) a bright voice would look
    like a short vocal tract; flattened, the centroid follows where the formants sit.
    """
    freqs = np.linspace(0, sample_rate / 2, features.envelope.shape[1])
    band = (freqs >= CENTROID_BAND_HZ[0]) & (freqs <= CENTROID_BAND_HZ[1])
    log_power = np.log(features.envelope[features.voiced].mean(axis=0)[band])
    tilt = np.polyval(np.polyfit(freqs[band], log_power, 1), freqs[band])
    weight = np.exp(log_power - tilt)
    return float(np.sum(freqs[band] * weight) / np.sum(weight))


def warp_envelope(envelope: np.ndarray, alpha: float) -> np.ndarray:
    """Linear frequency warping: the value at f moves to alpha·f (alpha > 1 = shorter vocal tract)."""
    bins = np.arange(envelope.shape[1])
    source_bins = np.clip(bins / alpha, 0, bins[-1])
    return np.stack([np.interp(source_bins, bins, frame) for frame in envelope])


def equalise(envelope: np.ndarray, voiced: np.ndarray, target: WorldFeatures) -> np.ndarray:
    """Give the converted voice the target's long-term spectral tilt (a smooth per-bin gain)."""
    from scipy.ndimage import uniform_filter1d

    log_gap = np.log(target.envelope[target.voiced].mean(axis=0)) - np.log(envelope[voiced].mean(axis=0))
    gain = np.exp(uniform_filter1d(log_gap, EQ_SMOOTH_BINS))
    return envelope * gain


class WorldVoiceConverter(VoiceConverter):
    """Classic statistical voice conversion on the WORLD vocoder (16 kHz).

    Pitch: the source's log-F0 is shifted and scaled to the target's mean and spread.
    Timbre: the envelope is warped by the ratio of the target's to the source's envelope
    centroid (a proxy for formant positions, i.e. vocal-tract length), then given the
    target's long-term spectral tilt. Words, timing and aperiodicity stay the source's.
    """

    backend = "world"
    sample_rate = 16000
    uses_torch = False
    card = ModelCard(
        engine="WORLD analysis–synthesis voice conversion",
        package="pyworld 0.3.5",
        weights="none (classic method)",
        weights_bytes=None,
        licence="pyworld MIT; WORLD modified-BSD",
        training_data="none: statistics of the two clips themselves",
        limits=(
            "Moves pitch, formant scale and spectral tilt only: accent, rhythm and voice quality stay "
            "the source's, and buzzy artefacts grow with the distance between the voices."
        ),
        classic=True,
        paper="https://doi.org/10.1587/transinf.2015EDP7457",
    )

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("pyworld", "scipy")

    def convert(
        self, source: np.ndarray, target: np.ndarray, *, progress: ProgressFn = no_progress
    ) -> np.ndarray:
        progress(0.0, "WORLD analysis of the source")
        src = self._analyse_voiced(source, "source")
        progress(0.35, "WORLD analysis of the target")
        tgt = self._analyse_voiced(target, "target")
        progress(0.7, "mapping pitch and warping the spectral envelope")
        ratio = envelope_centroid(tgt, self.sample_rate) / envelope_centroid(src, self.sample_rate)
        alpha = float(np.clip(ratio, *WARP_LIMITS))
        envelope = equalise(warp_envelope(src.envelope, alpha), src.voiced, tgt)
        import pyworld

        out = pyworld.synthesize(map_f0(src, tgt), envelope, src.aperiodicity, self.sample_rate, FRAME_MS)
        progress(1.0, f"done (warping factor {alpha:.3f})")
        # keep the source's peak level (WORLD's output level depends on the envelope gain)
        peak = min(0.95, float(np.max(np.abs(source))))
        return (out / (np.max(np.abs(out)) + 1e-9) * peak).astype(np.float32)

    def _analyse_voiced(self, audio: np.ndarray, name: str) -> WorldFeatures:
        features = analyse(audio, self.sample_rate)
        if features.voiced.sum() < MIN_VOICED_FRAMES:
            raise EngineError(f"The {name} clip has (almost) no voiced speech to analyse.")
        return features
