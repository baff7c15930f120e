"""pYIN (librosa) on a synthetic 220→440 Hz glide and on silence."""

import numpy as np
import pytest

from tests.workers.engines._signal_fixtures import glide
from workers.engines.base import EngineError
from workers.engines.pitch_pyin import PyinPitchTracker


def test_pyin_tracks_a_glide_within_5_percent() -> None:
    audio, f0 = glide()
    track = PyinPitchTracker().track(audio)
    voiced = np.isfinite(track.f0_hz)
    assert voiced.mean() > 0.9
    error = np.abs(track.f0_hz[voiced] - f0(track.times[voiced])) / f0(track.times[voiced])
    assert np.median(error) < 0.05


def test_pyin_finds_no_pitch_in_silence() -> None:
    track = PyinPitchTracker().track(np.zeros(16000, dtype=np.float32))
    assert not np.isfinite(track.f0_hz).any()
    assert len(track.times) == len(track.confidence)


def test_pyin_rejects_a_stereo_array() -> None:
    with pytest.raises(EngineError, match="mono"):
        PyinPitchTracker().track(np.zeros((2, 16000), dtype=np.float32))
