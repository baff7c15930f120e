"""DeepFilterNet3 on real speech (film clips shipped in gradio, pyannote's telephone sample) in noise;
its native library and model archive are refused when they differ from the pinned hashes."""

import shutil

import numpy as np
import pytest

from benchmarks.devset.sources import load, package_file, pyannote_sample
from tests.workers.engines.conftest import add_noise, si_sdr
from workers.engines.base import EngineError, JobInputs
from workers.engines.enhancement_deepfilternet import DeepFilterNetEnhancer, asset_paths, load_library


@pytest.fixture(scope="module")
def engine() -> DeepFilterNetEnhancer:
    engine = DeepFilterNetEnhancer()
    engine.ensure_loaded()
    return engine


@pytest.fixture(scope="module")
def real_speech() -> np.ndarray:
    return load(package_file("gradio", "media_assets/audio/cate_blanch.mp3"))


def test_raises_si_sdr_of_real_speech_in_white_noise(engine, real_speech):
    for snr in (0.0, 5.0):
        noisy = add_noise(real_speech, snr)
        assert si_sdr(real_speech, engine.enhance(noisy)) >= si_sdr(real_speech, noisy) + 4.0


def test_keeps_length_and_timing(engine):
    """No shift: the 30 ms look-ahead of the model is taken out (a shift would sink SI-SDR)."""
    audio, _reference, _rows = pyannote_sample()
    clip = add_noise(audio[16000 * 10 : 16000 * 14 + 123], 10.0)
    enhanced = engine.enhance(clip)
    assert enhanced.dtype == np.float32 and len(enhanced) == len(clip)
    lags = np.arange(-40, 41)
    corr = [np.dot(enhanced[100 + lag : len(clip) - 100 + lag], clip[100:-100]) for lag in lags]
    assert abs(int(lags[int(np.argmax(corr))])) <= 2


def test_job_returns_enhanced_audio(engine, real_speech):
    output = engine.infer(JobInputs(audio={"audio": add_noise(real_speech, 5.0)}))
    audio, rate = output.audio["enhanced"]
    assert rate == 16000 and len(audio) == len(real_speech)


def test_rejects_an_empty_clip(engine):
    with pytest.raises(EngineError, match="too short"):
        engine.enhance(np.zeros(10, dtype=np.float32))


def test_a_changed_native_library_is_not_loaded(tmp_path):
    library, _model = asset_paths()
    copy = tmp_path / "libdeepfilter.so"
    shutil.copyfile(library, copy)
    with open(copy, "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(EngineError, match="bytes, expected"):
        load_library(copy)
