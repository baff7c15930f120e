"""Predict-then-run exercise of the enhancement demo, measured with the real engines the worker hands in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from demos.exercise import Exercise
from workers.procedures import EngineNeed

if TYPE_CHECKING:
    from workers.engines.capabilities import Enhancer

CHOICES = ("NSNet2", "Spectral gating", "About the same (within 0.5 dB)")
SAME_DB = 0.5


def si_sdr_gains(kind: str, snr: float, enhancers: tuple[Enhancer, ...]) -> tuple[float, dict[str, float]]:
    """SI-SDR of the noisy shipped speech clip, and the gain each enhancer makes on it (dB, by backend)."""
    from demos.enhancement.metrics import si_sdr
    from demos.enhancement.mixing import SR, mix_at_snr, noise_clip
    from demos.samples import SPEECH_EN
    from workers.audio_io import load_audio

    clean = load_audio(SPEECH_EN, target_sr=SR).samples
    noisy, _ = mix_at_snr(clean, noise_clip(kind, len(clean)), snr)
    before = si_sdr(clean, noisy)
    return before, {e.backend: si_sdr(clean, e.enhance(noisy)) - before for e in enhancers}


def _babble_experiment(nsnet2: Enhancer, gating: Enhancer) -> tuple[str, dict]:
    before, gains = si_sdr_gains("babble", 5.0, (nsnet2, gating))
    nsnet, gated = gains[nsnet2.backend], gains[gating.backend]
    answer = CHOICES[2] if abs(nsnet - gated) < SAME_DB else CHOICES[0] if nsnet > gated else CHOICES[1]
    return answer, {
        "SI-SDR of the noisy clip (babble, 5 dB)": f"{before:.2f} dB",
        "NSNet2 gain": f"{nsnet:+.2f} dB",
        "spectral gating gain": f"{gated:+.2f} dB",
    }


EXERCISES = (
    Exercise(
        id="babble-nsnet2-vs-gating",
        demo="enhancement",
        topic="speech-enhancement",
        question=(
            "Babble (six other voices) is added to the shipped speech clip at 5 dB SNR. Which enhancer gains "
            "more SI-SDR on it: the NSNet2 network or classic spectral gating?"
        ),
        choices=CHOICES,
        experiment=_babble_experiment,
        engines=(EngineNeed("enhancement", "nsnet2"), EngineNeed("enhancement", "spectral-gating")),
        explanation=(
            "Spectral gating learns a noise profile from the quietest frames and passes whatever stands above "
            "it, so noise that looks like speech gets through. NSNet2 was trained on thousands of noise types to "
            "predict a gain per frequency bin from context. Babble is the hardest case for both: the noise *is* "
            "speech. Try white noise too: stationary noise is where gating does best."
        ),
    ),
)
