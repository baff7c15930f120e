"""Coqui TTS backend with a tiny, randomly initialised VITS built offline from a VitsConfig."""

import numpy as np
import pytest

from workers.engines.base import EngineError
from workers.engines.tts_coqui import ENV_VAR, CoquiSynthesizer


@pytest.fixture(scope="module")
def tiny_vits_dir(tmp_path_factory):
    import torch
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig
    from TTS.tts.models.vits import Vits

    args = VitsArgs(
        hidden_channels=16, hidden_channels_ffn_text_encoder=32, num_heads_text_encoder=2,
        num_layers_text_encoder=1, num_layers_flow=1, num_layers_posterior_encoder=1,
        upsample_rates_decoder=[8, 8, 4], upsample_initial_channel_decoder=32,
        upsample_kernel_sizes_decoder=[16, 16, 8], resblock_kernel_sizes_decoder=[3],
        resblock_dilation_sizes_decoder=[[1, 3, 5]], use_sdp=False, init_discriminator=False,
    )  # fmt: skip
    config = VitsConfig(
        model_args=args, use_phonemes=True, phonemizer="espeak", phoneme_language="en-us",
        text_cleaner="phoneme_cleaners",
    )  # fmt: skip
    # The untrained decoder makes noise-like audio, which Coqui's silence trimming would cut at random
    # places; without trimming the output length depends on the durations alone.
    config.audio.do_trim_silence = False
    folder = tmp_path_factory.mktemp("tiny_vits")
    config.save_json(str(folder / "config.json"))
    model = Vits.init_from_config(config)
    # an untrained duration predictor gives ~1 frame per token, too short for speed to show:
    # pin it to e^1.5 ≈ 4.5 frames per token
    torch.nn.init.zeros_(model.duration_predictor.proj.weight)
    torch.nn.init.constant_(model.duration_predictor.proj.bias, 1.5)
    torch.save({"model": model.state_dict()}, folder / "model.pth")
    return folder


@pytest.fixture(scope="module")
def coqui(tiny_vits_dir):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_VAR, str(tiny_vits_dir))
        engine = CoquiSynthesizer()
        engine.ensure_loaded()
        yield engine


def test_coqui_unavailable_without_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert ENV_VAR in CoquiSynthesizer.availability().reason


def test_coqui_unavailable_without_checkpoint(monkeypatch, tmp_path):
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert "checkpoint" in CoquiSynthesizer.availability().reason


def test_coqui_tiny_vits_speaks_with_phonemes(coqui):
    result = coqui.synthesize("Hello world. This is a test.")
    assert result.sample_rate == 22050
    assert result.audio.dtype == np.float32 and result.audio.ndim == 1 and len(result.audio) > 2000
    assert "həlˈoʊ" in result.phonemes
    assert [v.id for v in coqui.voices()] == ["default"]


def test_coqui_speed_shortens_output(coqui):
    text = "The quick brown fox jumps over the lazy dog."
    lengths = [len(coqui.synthesize(text, speed=s).audio) for s in (2.0, 1.0, 0.5)]
    assert lengths == sorted(lengths) and lengths[0] < 0.8 * lengths[1]


def test_coqui_rejects_unknown_voice(coqui):
    with pytest.raises(EngineError):
        coqui.synthesize("Hello.", voice="nobody")
