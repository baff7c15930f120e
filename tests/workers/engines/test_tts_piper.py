"""Piper with the packaged joe voice: plausible durations, speed, pauses, pitch, phonemes."""

import numpy as np
import pytest

from workers.engines.base import EngineError
from workers.engines.tts_piper import PiperSynthesizer, split_pauses

SENTENCE = "The quick brown fox jumps over the lazy dog near the river."  # 11 words


@pytest.fixture(scope="module")
def piper() -> PiperSynthesizer:
    engine = PiperSynthesizer()
    engine.ensure_loaded()
    return engine


def seconds(result) -> float:
    return len(result.audio) / result.sample_rate


def test_piper_is_available():
    assert PiperSynthesizer.availability().available


def test_piper_speaks_a_sentence_in_plausible_time(piper):
    result = piper.synthesize(SENTENCE)
    assert result.sample_rate == 22050
    assert result.audio.dtype == np.float32
    assert 1.5 <= seconds(result) <= 6.0
    assert np.max(np.abs(result.audio)) > 0.1


def test_piper_faster_speed_is_shorter(piper):
    assert seconds(piper.synthesize(SENTENCE, speed=1.5)) < 0.85 * seconds(piper.synthesize(SENTENCE))


def test_piper_returns_espeak_phonemes(piper):
    phonemes = piper.synthesize(SENTENCE).phonemes
    assert phonemes
    assert "kwˈɪk" in phonemes


def test_piper_pause_markup_adds_silence(piper):
    plain = seconds(piper.synthesize("Wait for it. Now."))
    paused = seconds(piper.synthesize("Wait for it. [pause 800ms] Now."))
    assert paused - plain == pytest.approx(0.8, abs=0.25)


def test_split_pauses_reads_ellipsis_and_tags():
    assert split_pauses("Hello... there [pause 1.5s] you") == ["Hello", 0.5, " there ", 1.5, " you"]


def test_piper_pitch_shift_raises_f0():
    """Without VITS's sampled noise (`varies` off), so both renderings are the same speech each run:
    with it, the shift measured on one pair of samples once came out at 2.5 semitones, not 4."""
    import pyworld

    piper = PiperSynthesizer()
    piper.varies = False

    def median_f0(audio, sr):
        f0, _ = pyworld.dio(audio.astype(np.float64), sr)
        return np.median(f0[f0 > 0])

    base = piper.synthesize(SENTENCE)
    up = piper.synthesize(SENTENCE, pitch_semitones=4)
    ratio = median_f0(up.audio, up.sample_rate) / median_f0(base.audio, base.sample_rate)
    assert 12 * np.log2(ratio) == pytest.approx(4, abs=1.5)


def test_piper_rejects_unknown_voice_and_bad_speed(piper):
    with pytest.raises(EngineError):
        piper.synthesize(SENTENCE, voice="nobody")
    with pytest.raises(EngineError):
        piper.synthesize(SENTENCE, speed=0)
