"""Whisper base (multilingual) on real speech: film clips shipped in gradio, pyannote's telephone
sample; no text from a near-silent track that only carries another talker's bleed; language id."""

import shutil

import numpy as np
import pytest

from benchmarks.devset.score import wer
from benchmarks.devset.sources import SOURCES, load, package_file, pyannote_sample
from tests.workers.engines.conftest import espeak
from workers.engines.asr_whisper_base import SIDE_FILES, WhisperBaseRecognizer, prepared_model_dir
from workers.engines.base import EngineError


@pytest.fixture(scope="module")
def recognizer() -> WhisperBaseRecognizer:
    engine = WhisperBaseRecognizer()
    engine.ensure_loaded()
    return engine


def _source(name: str):
    return next(s for s in SOURCES if s.name == name)


def test_real_film_clips_transcribed_and_english_detected(recognizer):
    for name in ("cate-2", "heath"):
        source = _source(name)
        result = recognizer.transcribe(load(package_file(source.package, source.relative)))
        assert result.language == "en"
        assert wer([source.text], [result.text]) <= 0.2, result.text


def test_real_telephone_conversation(recognizer):
    audio, _reference, rows = pyannote_sample()
    result = recognizer.transcribe(audio)
    assert wer([" ".join(r[3] for r in rows)], [result.text]) <= 0.35, result.text
    assert all(0 <= w.start <= w.end <= 30.1 for w in result.words)


def test_near_silent_track_with_bleed_gives_no_text(recognizer):
    """A close-talk microphone while its wearer is silent: hiss at -60 dBFS and another talker's
    real speech 40 dB below full scale. The reference for such a track is empty."""
    source = _source("cate-1")
    other = load(package_file(source.package, source.relative))
    track = (np.random.default_rng(0).standard_normal(16000 * 12) * 1e-3).astype(np.float32)
    track[16000 * 2 : 16000 * 2 + len(other)] += other / np.abs(other).max() * 10 ** (-40 / 20)
    assert recognizer.transcribe(track).text == ""
    assert recognizer.transcribe(track[: 16000 * 2]).words == ()


def test_language_identified_on_german(recognizer, tmp_path):
    """Synthetic (espeak-ng) German: no real German speech ships in any installed package."""
    audio = espeak(
        "Guten Morgen. Heute scheint die Sonne und wir gehen in den Park.", tmp_path / "de.wav", voice="de"
    )
    assert recognizer.transcribe(audio).language == "de"


def test_changed_side_file_in_the_cache_is_refused(recognizer, tmp_path):
    cache = tmp_path / "whisper"
    prepared = prepared_model_dir()
    cache.mkdir()
    for name in ("model.bin", *SIDE_FILES):
        shutil.copyfile(prepared / name, cache / name)
    assert prepared_model_dir(cache) == cache
    (cache / "config.json").write_text("{}")
    with pytest.raises(EngineError, match="does not match the pinned"):
        prepared_model_dir(cache)
