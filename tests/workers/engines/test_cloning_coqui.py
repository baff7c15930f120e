"""XTTS backend: never a default, availability reasons, and reference checks (no offline weights)."""

import pytest

from workers.engines.base import EngineError
from workers.engines.cloning_coqui import ENV_VAR, XttsCloner
from workers.engines.registry import BACKENDS


def test_xtts_is_not_the_default_cloner():
    assert not BACKENDS["voice-cloning"][0].endswith("XttsCloner")
    assert "NON-COMMERCIAL" in XttsCloner.card.licence


def test_xtts_unavailable_without_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert ENV_VAR in XttsCloner.availability().reason


def test_xtts_names_missing_files(monkeypatch, tmp_path):
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    reason = XttsCloner.availability().reason
    assert "model.pth" in reason and "vocab.json" in reason


def test_xtts_rejects_short_reference_before_loading(speech_16k):
    with pytest.raises(EngineError, match="at least 3 s"):
        XttsCloner().clone("Hello there.", speech_16k[:16000])
