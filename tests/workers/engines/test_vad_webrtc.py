import numpy as np
import pytest

from tests.workers.engines.speech_clips import SR, speech_gap_speech
from workers.engines.base import EngineError
from workers.engines.vad_webrtc import FRAME_SECONDS, WebRtcVad, aggressiveness

TOLERANCE_SECONDS = 0.5  # hard 30 ms decisions plus gap bridging: looser than Silero


@pytest.fixture(scope="module")
def vad() -> WebRtcVad:
    engine = WebRtcVad()
    engine.ensure_loaded()
    return engine


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return speech_gap_speech(tmp_path_factory.mktemp("webrtc"))


def test_webrtc_segments_match_known_speech(vad, clip):
    audio, ((first_start, first_end), (second_start, second_end)) = clip
    segments = vad.detect(audio).segments
    assert len(segments) == 2
    assert segments[0].start == pytest.approx(first_start, abs=TOLERANCE_SECONDS)
    assert segments[0].end == pytest.approx(first_end, abs=TOLERANCE_SECONDS)
    assert segments[1].start == pytest.approx(second_start, abs=TOLERANCE_SECONDS)
    assert segments[1].end == pytest.approx(second_end, abs=TOLERANCE_SECONDS)


def test_webrtc_probabilities_are_hard_decisions(vad, clip):
    audio = clip[0]
    result = vad.detect(audio)
    assert result.frame_seconds == FRAME_SECONDS
    assert len(result.probabilities) == len(audio) // int(FRAME_SECONDS * SR)
    assert set(result.probabilities) == {0.0, 1.0}


def test_webrtc_silence_has_no_segments(vad):
    result = vad.detect(np.zeros(2 * SR, dtype=np.float32))
    assert result.segments == ()
    assert set(result.probabilities) == {0.0}


def test_webrtc_threshold_maps_to_aggressiveness():
    assert [aggressiveness(t) for t in (0.0, 0.3, 0.5, 0.8, 1.0)] == [0, 1, 2, 3, 3]


def test_webrtc_rejects_empty_audio(vad):
    with pytest.raises(EngineError, match="empty"):
        vad.detect(np.zeros(0, dtype=np.float32))
