"""What the voice-conversion demo measures on each clip: the F0 contour and the average spectral
envelope (WORLD's analysis, the same the converter uses), and a few numbers that summarise them."""

from dataclasses import dataclass

import numpy as np

SR = 16000  # the WORLD converter's rate


@dataclass(frozen=True)
class VoiceProfile:
    times: np.ndarray  # (frames,) s, 5 ms apart
    f0_hz: np.ndarray  # (frames,) NaN where unvoiced
    frequencies_hz: np.ndarray  # (bins,)
    envelope_db: np.ndarray  # (bins,) mean power envelope over voiced frames, dB
    centroid_hz: float  # formant-band centroid of the envelope, tilt removed (the converter's warp cue)

    @property
    def median_f0(self) -> float:
        voiced = self.f0_hz[np.isfinite(self.f0_hz)]
        return float(np.median(voiced)) if voiced.size else float("nan")

    @property
    def f0_spread_semitones(self) -> float:
        """Standard deviation of the voiced F0 in semitones: how much the intonation moves."""
        voiced = self.f0_hz[np.isfinite(self.f0_hz)]
        return float(np.std(12 * np.log2(voiced))) if voiced.size else float("nan")


def semitones(from_hz: float, to_hz: float) -> float:
    return float(12 * np.log2(to_hz / from_hz))


def voice_profile(audio: np.ndarray, sr: int = SR) -> VoiceProfile:
    """DIO + StoneMask F0 and CheapTrick envelope (pyworld), averaged over voiced frames."""
    from workers.engines.vc_world import FRAME_MS, analyse, envelope_centroid

    features = analyse(audio, sr)
    if not features.voiced.any():
        raise ValueError("This clip has no voiced frames: there is no pitch or envelope to show.")
    times = np.arange(len(features.f0)) * FRAME_MS / 1000
    f0 = np.where(features.voiced, features.f0, np.nan)
    envelope = features.envelope[features.voiced].mean(axis=0)
    frequencies = np.linspace(0, sr / 2, len(envelope))
    centroid = envelope_centroid(features, sr)
    return VoiceProfile(times, f0, frequencies, 10 * np.log10(envelope + 1e-12), centroid)


def profiles_summary(profiles: dict[str, VoiceProfile]) -> str:
    """One line per clip, then how far the conversion moved pitch and formants toward the target."""
    lines = [
        f"{name}: median F0 {p.median_f0:.0f} Hz (spread {p.f0_spread_semitones:.1f} semitones), "
        f"envelope centroid {p.centroid_hz:.0f} Hz."
        for name, p in profiles.items()
    ]
    source, target, result = profiles["source"], profiles["target"], profiles["converted"]
    asked = semitones(source.median_f0, target.median_f0)
    moved = semitones(source.median_f0, result.median_f0)
    lines.append(
        f"Pitch: the target sits {asked:+.1f} semitones from the source; the conversion moved the median "
        f"F0 by {moved:+.1f} semitones. Envelope centroid: source {source.centroid_hz:.0f} Hz → converted "
        f"{result.centroid_hz:.0f} Hz (target {target.centroid_hz:.0f} Hz)."
    )
    return "\n".join(lines)
