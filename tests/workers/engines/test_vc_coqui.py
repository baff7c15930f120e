"""FreeVC backend: availability reasons and input checks (no offline FreeVC + WavLM-Large weights)."""

import json

import numpy as np
import pytest

from workers.engines.base import EngineError
from workers.engines.vc_coqui import ENV_VAR, WAVLM_FILE, FreeVcConverter


def test_freevc_unavailable_without_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert ENV_VAR in FreeVcConverter.availability().reason


def test_freevc_needs_wavlm_file(monkeypatch, tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_args": {"use_spk": False}}))
    (tmp_path / "model.pth").write_bytes(b"")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert WAVLM_FILE in FreeVcConverter.availability().reason
    (tmp_path / WAVLM_FILE).write_bytes(b"")
    assert FreeVcConverter.availability().available


def test_freevc_refuses_configs_that_would_download(monkeypatch, tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_args": {"use_spk": True}}))
    (tmp_path / "model.pth").write_bytes(b"")
    (tmp_path / WAVLM_FILE).write_bytes(b"")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert "use_spk" in FreeVcConverter.availability().reason


def test_freevc_rejects_short_clips():
    with pytest.raises(EngineError, match="too short"):
        FreeVcConverter().convert(np.zeros(8000, np.float32), np.zeros(32000, np.float32))
