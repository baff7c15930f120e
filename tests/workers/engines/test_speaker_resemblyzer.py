"""Resemblyzer: same-voice pairs score above different-voice pairs."""

import numpy as np
import pytest

from tests.workers.engines.conftest import espeak
from workers.engines._voice_common import resample
from workers.engines.base import EngineError, JobInputs
from workers.engines.speaker_resemblyzer import ResemblyzerEncoder
from workers.engines.tts_piper import PiperSynthesizer

A = "The quick brown fox jumps over the lazy dog near the river bank."
B = "She sells sea shells by the sea shore every summer morning."


@pytest.fixture(scope="module")
def encoder() -> ResemblyzerEncoder:
    engine = ResemblyzerEncoder()
    engine.ensure_loaded()
    return engine


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, np.ndarray]:
    folder = tmp_path_factory.mktemp("voices")
    piper = PiperSynthesizer()

    def piper_16k(text: str) -> np.ndarray:
        result = piper.synthesize(text)
        return resample(result.audio, result.sample_rate, 16000)

    return {
        "espeak_a": espeak(A, folder / "ea"),
        "espeak_b": espeak(B, folder / "eb"),
        "espeak_female_b": espeak(B, folder / "ef", voice="en-us+f3"),
        "espeak_high_b": espeak(B, folder / "eh", pitch=90),
        "piper_a": piper_16k(A),
        "piper_b": piper_16k(B),
    }


def test_resemblyzer_embedding_is_unit_256(encoder, clips):
    vector = encoder.embed(clips["espeak_a"])
    assert vector.shape == (256,)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-4)


def test_resemblyzer_same_voice_beats_different_voice(encoder, clips):
    sim = encoder.similarity
    same = [sim(clips["espeak_a"], clips["espeak_b"]), sim(clips["piper_a"], clips["piper_b"])]
    different = [
        sim(clips["espeak_a"], clips["piper_b"]),
        sim(clips["espeak_b"], clips["piper_a"]),
        sim(clips["espeak_a"], clips["espeak_female_b"]),
        sim(clips["espeak_a"], clips["espeak_high_b"]),
    ]
    assert min(same) > max(different)


def test_resemblyzer_verification_job(encoder, clips):
    out = encoder.infer(JobInputs(audio={"enrolment": clips["piper_a"], "test": clips["piper_b"]}))
    assert out.data["same_speaker"] is True


def test_resemblyzer_rejects_silence(encoder):
    with pytest.raises(EngineError):
        encoder.embed(np.zeros(32000, dtype=np.float32))


def test_resemblyzer_spans_keep_times(encoder, clips):
    audio = np.concatenate([clips["espeak_a"], clips["piper_a"]])
    cut = len(clips["espeak_a"]) / 16000
    spans = [(0.5, 2.0), (cut + 0.5, cut + 2.0)]
    vectors = encoder.embed_spans(audio, spans)
    assert vectors.shape == (2, 256)
    whole = encoder.embed(clips["piper_a"])
    assert float(vectors[1] @ whole) > float(vectors[0] @ whole)
