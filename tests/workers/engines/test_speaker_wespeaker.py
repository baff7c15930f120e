"""WeSpeaker ONNX backend, run through pyannote.audio with a tiny ONNX graph built here: the fbank's
maximum over frames times a fixed matrix. The real ResNet34 lives on the hub (`manage.py models pull wespeaker-resnet34`);
this checks the backend's own work: finding the file, the fbank front end, batching, normalising."""

import numpy as np
import pytest

from workers.engines.base import EngineError, JobInputs
from workers.engines.hub_catalogue import CATALOGUE
from workers.engines.speaker_wespeaker import ENV_VAR, MODEL_FILE, WeSpeakerEncoder

DIM = 12
MELS = 80


def _projection() -> np.ndarray:
    return np.random.default_rng(7).standard_normal((MELS, DIM)).astype(np.float32)


@pytest.fixture(scope="module")
def tiny_wespeaker_dir(tmp_path_factory):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    feats = helper.make_tensor_value_info("feats", TensorProto.FLOAT, ["batch", "frames", MELS])
    embs = helper.make_tensor_value_info("embs", TensorProto.FLOAT, ["batch", DIM])
    weights = numpy_helper.from_array(_projection(), name="w")
    pooled = helper.make_node("ReduceMax", ["feats", "axes"], ["pooled"], keepdims=0)
    axes = numpy_helper.from_array(np.array([1], dtype=np.int64), name="axes")
    project = helper.make_node("MatMul", ["pooled", "w"], ["embs"])
    graph = helper.make_graph([pooled, project], "tiny-wespeaker", [feats], [embs], [weights, axes])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    folder = tmp_path_factory.mktemp("tiny_wespeaker")
    onnx.save(model, folder / MODEL_FILE)
    return folder


@pytest.fixture(scope="module")
def encoder(tiny_wespeaker_dir):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_VAR, str(tiny_wespeaker_dir))
        engine = WeSpeakerEncoder()
        engine.ensure_loaded()
        yield engine


def test_wespeaker_unavailable_without_a_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(tmp_path))
    assert not WeSpeakerEncoder.availability().available
    monkeypatch.setenv(ENV_VAR, str(tmp_path))  # a folder without the model file
    found = WeSpeakerEncoder.availability()
    assert not found.available and MODEL_FILE in found.reason


def test_wespeaker_is_a_pullable_hub_model():
    model = CATALOGUE["wespeaker-resnet34"]
    assert model.env_var == ENV_VAR and MODEL_FILE in model.files


def test_wespeaker_embedding_is_the_graph_applied_to_pyannotes_fbank(encoder, speech_16k):
    import torch

    vector = encoder.embed(speech_16k)
    assert vector.shape == (DIM,) and vector.dtype == np.float32
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)
    # the same computation by hand: WeSpeaker's mean-normalised Kaldi fbank, its maximum per band, projected
    fbank = encoder._model.compute_fbank(torch.from_numpy(speech_16k.astype(np.float32))[None, None])
    expected = fbank[0].numpy().max(axis=0) @ _projection()
    np.testing.assert_allclose(vector, expected / np.linalg.norm(expected), atol=1e-4)


def test_wespeaker_job_scores_a_pair_by_the_cosine_of_its_embeddings(encoder, speech_16k):
    same = encoder.infer(JobInputs(audio={"enrolment": speech_16k, "test": speech_16k}))
    assert same.data["score"] == pytest.approx(1.0, abs=1e-3) and same.data["same_speaker"]
    noise = np.random.default_rng(3).standard_normal(len(speech_16k)).astype(np.float32) * 0.05
    other = encoder.infer(JobInputs(audio={"enrolment": speech_16k, "test": noise}))
    expected = float(np.dot(encoder.embed(speech_16k), encoder.embed(noise)))
    assert other.data["score"] == pytest.approx(expected, abs=1e-3) and other.data["score"] < 0.999


def test_wespeaker_rejects_a_short_clip(encoder):
    with pytest.raises(EngineError, match="too short"):
        encoder.embed(np.zeros(1000, dtype=np.float32))
