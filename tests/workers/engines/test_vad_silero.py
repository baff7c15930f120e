import json

import numpy as np
import pytest

from tests.workers.engines.speech_clips import SR, speech_gap_speech
from workers.engines.base import EngineError, JobInputs
from workers.engines.vad_silero import FRAME_SAMPLES, SileroVad

TOLERANCE_SECONDS = 0.3


@pytest.fixture(scope="module")
def vad() -> SileroVad:
    engine = SileroVad()
    engine.ensure_loaded()
    return engine


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return speech_gap_speech(tmp_path_factory.mktemp("silero"))


def test_silero_availability_finds_packaged_onnx():
    availability = SileroVad.availability()
    assert availability.available
    assert availability.weights_path.endswith("silero_vad.onnx")


def test_silero_segments_match_known_speech(vad, clip):
    audio, ((first_start, first_end), (second_start, second_end)) = clip
    segments = vad.detect(audio).segments
    assert segments[0].start == pytest.approx(first_start, abs=TOLERANCE_SECONDS)
    assert segments[-1].end == pytest.approx(second_end, abs=TOLERANCE_SECONDS)
    # The gap splits the speech: one segment ends near the first sentence's end, the next
    # starts near the second's start, and nothing is found inside the gap.
    ends = [s.end for s in segments if s.end < second_start]
    starts = [s.start for s in segments if s.start > first_end]
    assert ends[-1] == pytest.approx(first_end, abs=TOLERANCE_SECONDS)
    assert starts[0] == pytest.approx(second_start, abs=TOLERANCE_SECONDS)
    assert all(
        s.end <= first_end + TOLERANCE_SECONDS or s.start >= second_start - TOLERANCE_SECONDS
        for s in segments
    )


def test_silero_probabilities_one_per_window(vad, clip):
    audio, ((_, first_end), (second_start, _)) = clip
    result = vad.detect(audio)
    assert len(result.probabilities) == -(-len(audio) // FRAME_SAMPLES)
    assert result.frame_seconds == FRAME_SAMPLES / SR
    probabilities = np.array(result.probabilities)
    assert probabilities.min() >= 0.0 and probabilities.max() <= 1.0
    gap = probabilities[
        int((first_end + 0.3) * SR / FRAME_SAMPLES) : int((second_start - 0.3) * SR / FRAME_SAMPLES)
    ]
    assert gap.max() < 0.2


def test_silero_silence_has_no_segments(vad):
    result = vad.detect(np.zeros(2 * SR, dtype=np.float32))
    assert result.segments == ()


def test_silero_infer_is_json_safe(vad, clip):
    output = vad.infer(JobInputs(audio={"audio": clip[0]}, params={"threshold": 0.5}))
    assert output.data["speech_seconds"] > 3.0
    json.dumps(output.data)


def test_silero_rejects_stereo(vad):
    with pytest.raises(EngineError, match="mono"):
        vad.detect(np.zeros((2, SR), dtype=np.float32))
