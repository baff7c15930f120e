"""WORLD conversion moves a voice toward the target (resemblyzer similarity)."""

import numpy as np
import pytest

from tests.workers.engines.conftest import espeak
from workers.engines._voice_common import resample
from workers.engines.base import EngineError, JobInputs
from workers.engines.speaker_resemblyzer import ResemblyzerEncoder
from workers.engines.tts_piper import PiperSynthesizer
from workers.engines.vc_world import WorldVoiceConverter, warp_envelope

A = "The quick brown fox jumps over the lazy dog near the river bank."
B = "She sells sea shells by the sea shore every summer morning."


@pytest.fixture(scope="module")
def encoder() -> ResemblyzerEncoder:
    engine = ResemblyzerEncoder()
    engine.ensure_loaded()
    return engine


@pytest.fixture(scope="module")
def piper_a() -> np.ndarray:
    result = PiperSynthesizer().synthesize(A)
    return resample(result.audio, result.sample_rate, 16000)


@pytest.mark.parametrize("voice", ["en-us", "en-us+f3"])
def test_world_conversion_moves_toward_target(encoder, piper_a, tmp_path, voice):
    target = espeak(B, tmp_path / "target", voice=voice)
    converted = WorldVoiceConverter().convert(piper_a, target)
    assert converted.dtype == np.float32
    assert len(converted) == pytest.approx(len(piper_a), abs=160)
    assert encoder.similarity(converted, target) > encoder.similarity(piper_a, target) + 0.05


def test_world_job_returns_audio(piper_a, tmp_path):
    target = espeak(B, tmp_path / "t")
    out = WorldVoiceConverter().infer(JobInputs(audio={"source": piper_a, "target": target}))
    audio, rate = out.audio["converted"]
    assert rate == 16000 and np.max(np.abs(audio)) > 0.1


def test_world_rejects_unvoiced_target(piper_a):
    noise = np.random.default_rng(0).standard_normal(32000).astype(np.float32) * 0.01
    with pytest.raises(EngineError):
        WorldVoiceConverter().convert(piper_a, np.zeros_like(noise))


def test_warp_moves_a_peak_up():
    envelope = np.zeros((1, 101))
    envelope[0, 40] = 1.0
    assert np.argmax(warp_envelope(envelope, 1.2)[0]) == 48
