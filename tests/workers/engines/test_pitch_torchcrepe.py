"""CREPE tiny (torchcrepe) on a synthetic 220→440 Hz glide and on silence."""

import numpy as np
import pytest

from tests.workers.engines._signal_fixtures import glide
from workers.engines.base import EngineError, JobInputs
from workers.engines.pitch_torchcrepe import CrepePitchTracker


@pytest.fixture(scope="module")
def engine() -> CrepePitchTracker:
    engine = CrepePitchTracker(device="cpu")
    engine.ensure_loaded()
    return engine


def test_torchcrepe_tracks_a_glide_within_5_percent(engine) -> None:
    audio, f0 = glide()
    track = engine.track(audio)
    voiced = np.isfinite(track.f0_hz)
    assert voiced.mean() > 0.9
    error = np.abs(track.f0_hz[voiced] - f0(track.times[voiced])) / f0(track.times[voiced])
    assert np.median(error) < 0.05
    assert track.f0_hz[voiced][-10:].mean() > 1.7 * track.f0_hz[voiced][:10].mean()  # it rises an octave


def test_torchcrepe_confidence_is_periodicity(engine) -> None:
    audio, _ = glide()
    noise = np.random.default_rng(0).standard_normal(16000).astype(np.float32) * 0.1
    assert engine.track(audio).confidence.mean() > 0.7
    assert engine.track(noise).confidence.mean() < 0.4


def test_torchcrepe_job_reports_the_median_pitch(engine) -> None:
    audio, _ = glide()
    data = engine.infer(JobInputs(audio={"audio": audio})).data
    assert data["median_f0_hz"] == pytest.approx(311, rel=0.05)  # geometric middle of 220..440 Hz
    assert len(data["times"]) == len(data["f0_hz"]) == len(data["confidence"])


def test_torchcrepe_rejects_an_empty_clip(engine) -> None:
    with pytest.raises(EngineError):
        engine.track(np.zeros(0, dtype=np.float32))
