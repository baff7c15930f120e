"""Every challenge, by id. Adding one: a module here with a Challenge subclass, listed below."""

from webapp.challenges.catalog.asr import SpeechRecognition
from webapp.challenges.catalog.base import Challenge
from webapp.challenges.catalog.beats import BeatTracking
from webapp.challenges.catalog.classification import AudioClassification
from webapp.challenges.catalog.diarization import Diarization
from webapp.challenges.catalog.enhancement import Enhancement
from webapp.challenges.catalog.intelligibility import TtsIntelligibility
from webapp.challenges.catalog.resampling import Resampling
from webapp.challenges.catalog.separation import Separation
from webapp.challenges.catalog.spotting import KeywordSpotting
from webapp.challenges.catalog.transcription import MusicTranscription
from webapp.challenges.catalog.vad import VoiceActivity
from webapp.challenges.catalog.verification import SpeakerVerification

CHALLENGES: dict[str, Challenge] = {
    c.slug: c
    for c in (
        Resampling(), VoiceActivity(), SpeechRecognition(), Diarization(), Enhancement(), Separation(),
        BeatTracking(), SpeakerVerification(), MusicTranscription(), AudioClassification(), KeywordSpotting(),
        TtsIntelligibility(),
    )
}  # fmt: skip


def challenge_get(slug: str) -> Challenge:
    try:
        return CHALLENGES[slug]
    except KeyError:
        raise KeyError(f"No challenge {slug!r}; known: {', '.join(sorted(CHALLENGES))}") from None
