"""RnnoiseEnhancer: real enhancement of espeak-ng speech in white noise."""

import numpy as np
import pytest

from tests.workers.engines.conftest import add_noise, si_sdr
from workers.engines.base import EngineError, JobInputs
from workers.engines.enhancement_rnnoise import RnnoiseEnhancer

MIN_GAIN_DB = 3.0


@pytest.fixture(scope="module")
def engine() -> RnnoiseEnhancer:
    engine = RnnoiseEnhancer()
    engine.ensure_loaded()
    return engine


def test_rnnoise_is_available() -> None:
    assert RnnoiseEnhancer.availability().available


def test_rnnoise_raises_si_sdr_of_noisy_speech(engine, speech_16k) -> None:
    noisy = add_noise(speech_16k, 5.0)
    enhanced = engine.enhance(noisy)
    assert si_sdr(speech_16k, enhanced) >= si_sdr(speech_16k, noisy) + MIN_GAIN_DB


def test_rnnoise_keeps_the_input_length(engine, speech_16k) -> None:
    clip = add_noise(speech_16k[:12345], 10.0)
    enhanced = engine.enhance(clip)
    assert enhanced.dtype == np.float32
    assert len(enhanced) == len(clip)


def test_rnnoise_job_returns_enhanced_audio(engine, speech_16k) -> None:
    output = engine.infer(JobInputs(audio={"audio": add_noise(speech_16k, 5.0)}))
    audio, rate = output.audio["enhanced"]
    assert rate == 16000
    assert output.data["duration"] == round(len(speech_16k) / 16000, 3)
    assert len(audio) == len(speech_16k)


def test_rnnoise_rejects_an_empty_clip(engine) -> None:
    with pytest.raises(EngineError, match="too short"):
        engine.enhance(np.zeros(10, dtype=np.float32))
