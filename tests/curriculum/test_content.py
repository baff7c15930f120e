"""The real curriculum in curriculum/content: it imports cleanly and covers the seed roadmaps."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from curriculum.content_loader import load_curriculum

SEED_URLS = Path(__file__).resolve().parent.parent / "data" / "seed_urls.txt"

# Every area the roadmap must teach (from the five seed documents), as topic ids.
REQUIRED_TOPICS = {
    "sampling-nyquist", "quantisation-bit-depth", "audio-formats-channels", "stft-spectrograms", "mel-mfcc-chroma",
    "digital-filters", "classical-classifiers", "cnn-spectrograms", "ctc", "attention-asr", "wav2vec2-ssl", "whisper",
    "conformer", "streaming-asr", "tacotron", "fastspeech", "neural-vocoders", "end-to-end-tts", "prosody-control",
    "multi-speaker-tts", "voice-cloning", "voice-conversion", "speaker-verification", "speaker-diarization",
    "voice-activity-detection", "speech-enhancement", "source-separation", "audio-classification", "keyword-spotting",
    "speech-emotion-recognition", "music-transcription", "beat-tracking-melody", "music-generation",
    "self-supervised-audio", "audio-language-models", "real-time-processing", "model-optimisation", "serving-deployment",
}  # fmt: skip


@pytest.fixture(scope="module")
def curriculum():
    return load_curriculum(Path(settings.CURRICULUM_CONTENT_DIR))


def test_real_curriculum_loads_without_problems(curriculum):
    assert len(curriculum.phases) == 13
    assert [p.order for p in sorted(curriculum.phases, key=lambda p: p.order)] == list(range(1, 14))
    assert len(curriculum.topics) >= 60


def test_every_required_area_has_a_topic(curriculum):
    assert sorted(REQUIRED_TOPICS - {t.slug for t in curriculum.topics}) == []


def test_every_seed_link_appears_on_a_topic(curriculum):
    urls = {r.url for t in curriculum.topics for r in t.resources}
    missing = [u for u in SEED_URLS.read_text().split() if u not in urls]

    assert missing == []


def test_every_phase_has_topics_and_every_topic_has_substance(curriculum):
    phases_with_topics = {t.phase for t in curriculum.topics}
    assert phases_with_topics == {p.slug for p in curriculum.phases}
    for topic in curriculum.topics:
        words = len(re.findall(r"\w+", topic.body))
        assert words >= 300, f"{topic.path} has only {words} words"
        assert "## Check yourself" in topic.body, topic.path
        assert topic.resources, topic.path
        assert "TBD" not in topic.body, topic.path
