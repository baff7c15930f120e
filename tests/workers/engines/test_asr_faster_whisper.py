import itertools
import json

import jiwer
import numpy as np
import pytest

from workers.engines.asr_faster_whisper import FasterWhisperRecognizer
from workers.engines.base import EngineError, JobInputs

SR = 16000
# tiny.en on this espeak-ng sentence: 2 errors in 16 words on Intel CPUs, 3 on AMD EPYC ("is" heard
# as "in", "spectrogram" as "spectacular ramp"): CTranslate2's int8 kernels differ by instruction
# set. The bound allows 4 errors; a broken decoder or wrong sample rate gives far more.
MAX_WER = 0.25
REFERENCE = "Sound is a pressure wave. A spectrogram shows how its energy moves across frequency and time."
normalise = jiwer.Compose(
    [jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip()]
)


def word_error_rate(reference: str, hypothesis: str) -> float:
    return jiwer.wer(normalise(reference), normalise(hypothesis))


@pytest.fixture(scope="module")
def recognizer() -> FasterWhisperRecognizer:
    engine = FasterWhisperRecognizer(device="cpu")
    engine.ensure_loaded()
    return engine


@pytest.fixture(scope="module")
def speech_result(recognizer, speech_16k):
    reports: list[tuple[float, str]] = []
    transcript = recognizer.transcribe(speech_16k, progress=lambda f, m: reports.append((f, m)))
    return transcript, reports


def test_faster_whisper_transcribes_shipped_clip(speech_result):
    transcript, _ = speech_result
    assert word_error_rate(REFERENCE, transcript.text) <= MAX_WER
    assert transcript.language == "en"


def test_faster_whisper_word_timings_monotonic_within_clip(speech_result, speech_16k):
    words = speech_result[0].words
    duration = len(speech_16k) / SR
    assert len(words) >= 14
    assert all(0.0 <= w.start <= w.end <= duration for w in words)
    assert all(a.start <= b.start for a, b in itertools.pairwise(words))
    assert words[-1].end > duration - 1.5  # the last word ends near the end of the speech


def test_faster_whisper_reports_progress_per_segment(speech_result):
    fractions = [f for f, _ in speech_result[1]]
    assert len(fractions) >= 2
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


def test_faster_whisper_silence_is_empty(recognizer):
    transcript = recognizer.transcribe(np.zeros(3 * SR, dtype=np.float32))
    assert transcript.text == ""
    assert transcript.words == ()


def test_faster_whisper_infer_is_json_safe(recognizer, speech_16k):
    output = recognizer.infer(JobInputs(audio={"audio": speech_16k}, params={"language": "en"}))
    assert word_error_rate(REFERENCE, output.data["text"]) <= MAX_WER
    json.dumps(output.data)


def test_faster_whisper_refuses_other_languages(recognizer, speech_16k):
    with pytest.raises(EngineError, match="English"):
        recognizer.transcribe(speech_16k, language="fr")
