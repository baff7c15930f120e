"""Transformers x-vector backend with a tiny WavLMForXVector built offline from a config."""

import numpy as np
import pytest

from workers.engines.base import EngineError, JobInputs
from workers.engines.speaker_xvector import ENV_VAR, TransformersXVectorEncoder


@pytest.fixture(scope="module")
def tiny_xvector_dir(tmp_path_factory):
    from transformers import Wav2Vec2FeatureExtractor, WavLMConfig, WavLMForXVector

    config = WavLMConfig(
        hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
        conv_dim=(16, 16), conv_stride=(5, 4), conv_kernel=(10, 8), num_conv_pos_embeddings=16,
        num_conv_pos_embedding_groups=2, tdnn_dim=(32, 32, 64), tdnn_kernel=(5, 3, 1),
        tdnn_dilation=(1, 2, 1), xvector_output_dim=24,
    )  # fmt: skip
    folder = tmp_path_factory.mktemp("tiny_xvector")
    WavLMForXVector(config).save_pretrained(folder)
    Wav2Vec2FeatureExtractor(sampling_rate=16000, return_attention_mask=True).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def encoder(tiny_xvector_dir):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_VAR, str(tiny_xvector_dir))
        engine = TransformersXVectorEncoder()
        engine.ensure_loaded()
        yield engine


def test_xvector_unavailable_without_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert not TransformersXVectorEncoder.availability().available


def test_xvector_tiny_model_embeds_unit_vector(encoder, speech_16k):
    vector = encoder.embed(speech_16k)
    assert vector.shape == (24,) and vector.dtype == np.float32
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-4)


def test_xvector_job_scores_a_pair(encoder, speech_16k):
    out = encoder.infer(JobInputs(audio={"enrolment": speech_16k, "test": speech_16k}))
    assert out.data["score"] == pytest.approx(1.0, abs=1e-3)


def test_xvector_rejects_short_clip(encoder):
    with pytest.raises(EngineError):
        encoder.embed(np.zeros(1000, dtype=np.float32))
