"""Basic Pitch (ONNX) on the shipped C-major scale: every note, at the right time, in a real MIDI file."""

import io

import numpy as np
import pretty_midi
import pytest

from workers.engines._signal_common import resample
from workers.engines.base import JobInputs
from workers.engines.midi_basic_pitch import BasicPitchTranscriber

SCALE = [60, 62, 64, 65, 67, 69, 71, 72]  # C4..C5, 0.45 s per note
NOTE_SECONDS = 0.45


@pytest.fixture(scope="module")
def engine() -> BasicPitchTranscriber:
    engine = BasicPitchTranscriber()
    engine.ensure_loaded()
    return engine


@pytest.fixture(scope="module")
def scale_22k(scale_16k) -> np.ndarray:
    return resample(scale_16k, 16000, 22050)


def test_basic_pitch_uses_the_onnx_model(engine) -> None:
    assert engine._model.model_type.name == "ONNX"


def test_basic_pitch_finds_every_note_of_the_scale_on_time(engine, scale_22k) -> None:
    notes = engine.transcribe_notes(scale_22k).notes
    for index, pitch in enumerate(SCALE):
        onsets = [n.start for n in notes if n.pitch == pitch]
        assert onsets, f"MIDI note {pitch} not found"
        assert min(abs(t - index * NOTE_SECONDS) for t in onsets) < 0.08


def test_basic_pitch_midi_file_holds_the_same_notes(engine, scale_22k) -> None:
    result = engine.transcribe_notes(scale_22k)
    midi = pretty_midi.PrettyMIDI(io.BytesIO(result.midi))
    assert sorted(n.pitch for n in midi.instruments[0].notes) == sorted(n.pitch for n in result.notes)


def test_basic_pitch_job_attaches_the_midi(engine, scale_22k) -> None:
    output = engine.infer(JobInputs(audio={"audio": scale_22k}, sample_rate=22050))
    assert output.files["transcription.mid"].startswith(b"MThd")
    assert {n["pitch"] for n in output.data["notes"]} >= set(SCALE)


def test_basic_pitch_finds_no_notes_in_silence(engine) -> None:
    assert engine.transcribe_notes(np.zeros(22050, dtype=np.float32)).notes == ()
