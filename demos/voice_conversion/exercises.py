"""Predict-then-run exercise of the voice-conversion demo, measured with the real engines on a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from demos.exercise import Exercise
from workers.procedures import EngineNeed

if TYPE_CHECKING:
    from workers.engines.capabilities import SpeakerEncoder

CHOICES = ("Yes: it rises by more than 0.05", "No: it rises by 0.05 or less (or falls)")
RISE = 0.05


def similarity_rise(encoder: SpeakerEncoder, source_path, target_path) -> dict[str, float]:
    """Cosine similarities (speaker encoder) of source and of WORLD-converted speech to the target."""
    from workers.audio_io import load_audio
    from workers.engines.runner import engine_infer

    converted = engine_infer(
        "voice-conversion", backend="world", audio_paths={"source": source_path, "target": target_path}
    ).output.audio["converted"][0]
    source, target = (
        load_audio(p, target_sr=encoder.sample_rate).samples for p in (source_path, target_path)
    )
    return {
        "before": encoder.similarity(source, target),
        "after": encoder.similarity(converted, target),
        "to source": encoder.similarity(converted, source),
    }


def _rise_experiment(encoder: SpeakerEncoder) -> tuple[str, dict]:
    from demos.samples import SPEECH_EN, SPEECH_EN_F

    s = similarity_rise(encoder, SPEECH_EN, SPEECH_EN_F)
    rise = s["after"] - s["before"]
    return CHOICES[0] if rise > RISE else CHOICES[1], {
        "similarity of the source to the target": f"{s['before']:.3f}",
        "similarity of the converted clip to the target": f"{s['after']:.3f}",
        "rise": f"{rise:+.3f}",
        "similarity of the converted clip to the source": f"{s['to source']:.3f}",
    }


EXERCISES = (
    Exercise(
        id="conversion-similarity-rise",
        demo="voice-conversion",
        topic="voice-conversion",
        question=(
            "WORLD converts the shipped male clip (speech_en.wav) toward the female voice (speech_en_f.wav). "
            "After conversion, will its speaker similarity to the target rise by more than 0.05?"
        ),
        choices=CHOICES,
        experiment=_rise_experiment,
        engines=(EngineNeed("speaker-embedding"),),
        explanation=(
            "The encoder hears pitch and formant scale, which WORLD does move, but also voice quality, "
            "rhythm and articulation, which it leaves as the source's. Look at the similarity to the source "
            "as well: a converter that moves toward the target while staying close to the source has "
            "changed the surface of the voice, not the identity."
        ),
    ),
)
