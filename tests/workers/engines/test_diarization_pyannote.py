"""pyannote pipeline backend: availability reasons and input checks (the gated weights are not here)."""

import numpy as np
import pytest

from workers.engines.base import EngineError
from workers.engines.diarization_pyannote import ENV_VAR, PyannoteDiarizer, annotation_of


def test_pyannote_unavailable_without_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    found = PyannoteDiarizer.availability()
    assert not found.available and ENV_VAR in found.reason


def test_pyannote_unavailable_without_config_yaml(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert "config.yaml" in PyannoteDiarizer.availability().reason


def test_pyannote_rejects_bad_speaker_count():
    with pytest.raises(EngineError):
        PyannoteDiarizer().diarize(np.zeros(16000, dtype=np.float32), num_speakers=0)


def test_pyannote_load_fails_clearly_when_unavailable(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    with pytest.raises(EngineError, match="not available"):
        PyannoteDiarizer().ensure_loaded()


def test_pyannote_reads_both_result_shapes():
    from pyannote.audio.pipelines.speaker_diarization import DiarizeOutput
    from pyannote.core import Annotation, Segment

    annotation = Annotation()
    annotation[Segment(0, 1)] = "A"
    assert annotation_of(annotation) is annotation
    assert annotation_of(DiarizeOutput(annotation, annotation)) is annotation
