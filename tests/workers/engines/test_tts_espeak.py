"""eSpeak NG formant synthesis: voices, duration, speed, pitch, phonemes."""

import numpy as np
import pytest

from workers.engines.base import EngineError, JobInputs
from workers.engines.tts_espeak import EspeakSynthesizer

SENTENCE = "The quick brown fox jumps over the lazy dog near the river."


@pytest.fixture(scope="module")
def espeak_engine() -> EspeakSynthesizer:
    engine = EspeakSynthesizer()
    engine.ensure_loaded()
    return engine


def seconds(result) -> float:
    return len(result.audio) / result.sample_rate


def test_espeak_lists_english_voices(espeak_engine):
    ids = {v.id for v in espeak_engine.voices()}
    assert {"en-us", "en-gb"} <= ids


def test_espeak_speaks_a_sentence_in_plausible_time(espeak_engine):
    result = espeak_engine.synthesize(SENTENCE)
    assert 1.5 <= seconds(result) <= 6.0
    assert np.max(np.abs(result.audio)) > 0.1


def test_espeak_faster_speed_is_shorter(espeak_engine):
    assert seconds(espeak_engine.synthesize(SENTENCE, speed=1.5)) < 0.85 * seconds(
        espeak_engine.synthesize(SENTENCE)
    )


def test_espeak_phonemes_are_its_ascii_mnemonics(espeak_engine):
    assert "kw'Ik" in espeak_engine.synthesize(SENTENCE).phonemes


def test_espeak_pitch_shift_follows_the_request(espeak_engine):
    import pyworld

    def median_f0(result):
        f0, _ = pyworld.dio(result.audio.astype(np.float64), result.sample_rate)
        return np.median(f0[f0 > 0])

    ratio = median_f0(espeak_engine.synthesize(SENTENCE, pitch_semitones=5)) / median_f0(
        espeak_engine.synthesize(SENTENCE)
    )
    assert 12 * np.log2(ratio) == pytest.approx(5, abs=1.5)


def test_espeak_text_is_never_an_option(espeak_engine):
    assert seconds(espeak_engine.synthesize("-v --help")) > 0.3


def test_espeak_rejects_unknown_voice_and_empty_job(espeak_engine):
    with pytest.raises(EngineError):
        espeak_engine.synthesize(SENTENCE, voice="klingon")
    with pytest.raises(EngineError):
        espeak_engine.infer(JobInputs(text="  "))


def test_espeak_variant_voice_works(espeak_engine):
    assert seconds(espeak_engine.synthesize("Hello there.", voice="en-us+f3")) > 0.5
