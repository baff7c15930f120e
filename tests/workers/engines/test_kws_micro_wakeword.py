"""microWakeWord: its shipped keywords, no false wake on plain speech, and a wake word spoken by espeak-ng."""

import numpy as np
import pytest

from tests.workers.engines.conftest import espeak
from workers.engines.base import JobInputs
from workers.engines.kws_micro_wakeword import MicroWakeWordSpotter


@pytest.fixture(scope="module")
def engine() -> MicroWakeWordSpotter:
    engine = MicroWakeWordSpotter()
    engine.ensure_loaded()
    return engine


def test_micro_wakeword_lists_its_four_keywords(engine) -> None:
    assert engine.keywords() == ("Okay Nabu", "Hey Jarvis", "Hey Mycroft", "Alexa")


def test_micro_wakeword_stays_quiet_on_plain_speech(engine, speech_16k) -> None:
    assert engine.spot(speech_16k) == ()


def test_micro_wakeword_hears_alexa_at_the_end_of_the_word(engine, tmp_path) -> None:
    word = espeak("alexa", tmp_path / "alexa.wav", speed=130)
    half_second = np.zeros(8000, dtype=np.float32)
    detections = engine.spot(np.concatenate([half_second, word, half_second]))
    assert [d.keyword for d in detections] == ["Alexa"]
    assert 0.5 < detections[0].time < 0.5 + len(word) / 16000 + 0.3


def test_micro_wakeword_job_lists_keywords_and_detections(engine, speech_16k) -> None:
    data = engine.infer(JobInputs(audio={"audio": speech_16k})).data
    assert data == {"keywords": ["Okay Nabu", "Hey Jarvis", "Hey Mycroft", "Alexa"], "detections": []}
