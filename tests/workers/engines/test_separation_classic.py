"""HPSS, REPET-SIM and NMF on a synthetic mix: the shipped C-major scale plus a click track."""

import numpy as np
import pytest

from tests.workers.engines._signal_fixtures import click_track
from tests.workers.engines.conftest import si_sdr
from workers.engines._signal_common import resample
from workers.engines.base import EngineError, JobInputs
from workers.engines.separation_classic import HpssSeparator, NmfSeparator, RepetSeparator

SR = 22050


@pytest.fixture(scope="module")
def mix(scale_16k) -> tuple[np.ndarray, np.ndarray]:
    """(tones, tones + clicks at equal energy), 22.05 kHz."""
    tones = resample(scale_16k, 16000, SR)
    clicks = click_track(len(tones), SR)
    clicks *= np.sqrt(np.mean(tones**2) / np.mean(clicks**2))
    return tones, (tones + clicks).astype(np.float32)


def test_hpss_harmonic_stem_is_closer_to_the_tones_than_the_mix(mix) -> None:
    tones, mixture = mix
    stems = HpssSeparator().separate(mixture).stems
    assert sorted(stems) == ["harmonic", "percussive"]
    assert si_sdr(tones, stems["harmonic"]) > si_sdr(tones, mixture) + 6.0


@pytest.mark.parametrize(
    ("cls", "names"),
    [(RepetSeparator, ["background", "foreground"]), (NmfSeparator, ["source_1", "source_2"])],
)
def test_two_stem_separators_conserve_length_and_energy(cls, names, mix) -> None:
    _, mixture = mix
    stems = cls().separate(mixture).stems
    assert sorted(stems) == names
    assert all(len(s) == len(mixture) and s.dtype == np.float32 for s in stems.values())
    energy = sum(float(np.sum(s**2)) for s in stems.values())
    assert energy == pytest.approx(float(np.sum(mixture**2)), rel=0.2)
    assert np.allclose(sum(stems.values()), mixture, atol=1e-3)


def test_nmf_puts_the_clicks_and_tones_in_different_stems(mix) -> None:
    tones, mixture = mix
    stems = NmfSeparator().separate(mixture).stems
    best = max(stems.values(), key=lambda s: si_sdr(tones, s))
    assert si_sdr(tones, best) > si_sdr(tones, mixture) + 3.0


def test_separation_job_returns_stems_at_22k(mix) -> None:
    output = HpssSeparator().infer(JobInputs(audio={"audio": mix[1]}, sample_rate=SR))
    assert output.data["stems"] == ["harmonic", "percussive"]
    assert {rate for _, rate in output.audio.values()} == {SR}


def test_separation_rejects_clips_under_a_second() -> None:
    with pytest.raises(EngineError, match="too short"):
        RepetSeparator().separate(np.zeros(SR // 2, dtype=np.float32))
