"""Predict-then-run exercises of the fundamentals lab; each experiment measures its answer."""

from demos.exercise import Exercise
from demos.fundamentals.quantisation import quantise
from demos.fundamentals.sampling import dominant_frequency, naive_downsample, tone

ALIAS_CHOICES = ("6 kHz, unchanged", "2 kHz", "4 kHz", "It disappears")


def _alias_experiment() -> tuple[str, dict]:
    sr, target = 16000, 8000
    aliased = naive_downsample(tone(6000, sr), sr, target)
    heard = dominant_frequency(aliased, target)
    answer = min(
        ALIAS_CHOICES[:3], key=lambda c: abs(float(c.split(" ")[0]) * 1000 - heard)
    )  # the choice nearest the measured peak
    return answer, {
        "tone played": "6000 Hz",
        "new sample rate": "8000 Hz (Nyquist 4000 Hz)",
        "peak heard": f"{heard:.0f} Hz",
    }


BIT_CHOICES = ("about 8 dB", "about 24 dB", "about 48 dB", "about 96 dB")


def _bits_experiment() -> tuple[str, dict]:
    sine = tone(440, 16000, amplitude=0.999)
    snr16, snr8 = quantise(sine, 16).snr_db, quantise(sine, 8).snr_db
    drop = snr16 - snr8
    answer = min(BIT_CHOICES, key=lambda c: abs(float(c.split(" ")[1]) - drop))
    return answer, {
        "SNR at 16 bits": f"{snr16:.1f} dB",
        "SNR at 8 bits": f"{snr8:.1f} dB",
        "drop": f"{drop:.1f} dB",
    }


EXERCISES = (
    Exercise(
        id="alias-6k-at-8k",
        demo="fundamentals",
        topic="sampling-nyquist",
        question="A 6 kHz tone is sampled at 8 kHz with no anti-aliasing filter. Which frequency do you hear?",
        choices=ALIAS_CHOICES,
        experiment=_alias_experiment,
        explanation="Nyquist is 4 kHz; a 6 kHz tone mirrors around it to 8 − 6 = 2 kHz. That is why converters "
        "put an analogue low-pass filter before the sampler.",
    ),
    Exercise(
        id="bits-16-to-8",
        demo="fundamentals",
        topic="quantisation-bit-depth",
        question="A full-scale sine goes from 16-bit to 8-bit samples. By how much does its signal-to-noise ratio drop?",
        choices=BIT_CHOICES,
        experiment=_bits_experiment,
        explanation="Each bit halves the step size and buys about 6 dB: 8 fewer bits cost about 8 × 6.02 ≈ 48 dB.",
    ),
)
