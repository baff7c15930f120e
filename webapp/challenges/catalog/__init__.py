"""Every challenge, by id. Adding one: a module here with a Challenge subclass, listed below."""

from webapp.challenges.catalog.asr import SpeechRecognition
from webapp.challenges.catalog.base import Challenge
from webapp.challenges.catalog.beats import BeatTracking
from webapp.challenges.catalog.diarization import Diarization
from webapp.challenges.catalog.enhancement import Enhancement
from webapp.challenges.catalog.resampling import Resampling
from webapp.challenges.catalog.separation import Separation
from webapp.challenges.catalog.vad import VoiceActivity

CHALLENGES: dict[str, Challenge] = {
    c.slug: c
    for c in (
        Resampling(), VoiceActivity(), SpeechRecognition(), Diarization(), Enhancement(), Separation(),
        BeatTracking(),
    )
}  # fmt: skip


def challenge_get(slug: str) -> Challenge:
    try:
        return CHALLENGES[slug]
    except KeyError:
        raise KeyError(f"No challenge {slug!r}; known: {', '.join(sorted(CHALLENGES))}") from None
