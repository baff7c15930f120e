"""The symbolic music Transformer: a short real training run on a few music21 chorales, then sampling."""

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pretty_midi
import pytest

from workers.engines._music_events import SECONDS_PER_STEP, decode_tokens, encode_notes
from workers.engines.base import EngineError, JobInputs
from workers.engines.music_symbolic import SymbolicTransformerGenerator, latest_checkpoint, train


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Iterator[Path]:
    """Train 24 steps on 4 chorales into a temporary model dir, visible through SOUNDPATH_MODEL_DIR.
    One torch thread: this tiny model gains nothing from more, and the test machine's 2 cores are shared."""
    import torch

    root = tmp_path_factory.mktemp("models")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOUNDPATH_MODEL_DIR", str(root))
        yield train(
            steps=24, out_dir=root / "music-generation", seed=0, max_files=4, batch_size=8, device="cpu"
        )
    torch.set_num_threads(threads)


def test_event_encoding_round_trips_notes() -> None:
    notes = [(0, 4, 60), (0, 8, 64), (4, 40, 67)]  # a chord, then a note longer than 16 steps
    decoded = decode_tokens(encode_notes(notes).tolist())
    steps = [(n.pitch, round(n.start / SECONDS_PER_STEP), round(n.end / SECONDS_PER_STEP)) for n in decoded]
    assert steps == [(60, 0, 4), (64, 0, 8), (67, 4, 40)]


def test_symbolic_is_unavailable_before_training(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(tmp_path))
    availability = SymbolicTransformerGenerator.availability()
    assert not availability.available
    assert availability.reason == "not trained yet: run the training job"


def test_symbolic_training_lowers_the_loss_and_saves_a_checkpoint(trained) -> None:
    summary = json.loads((trained / "training.json").read_text())
    losses = summary["loss"]
    assert len(losses) == 24 and summary["files"] == 4
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5 - 0.5
    assert latest_checkpoint(trained.parent) == trained / "model.pt"


def test_symbolic_generates_parseable_midi_that_depends_on_the_seed(trained, monkeypatch) -> None:
    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(trained.parent.parent))
    assert SymbolicTransformerGenerator.availability().available
    engine = SymbolicTransformerGenerator(device="cpu")
    first, again = engine.generate(length_steps=64, seed=1), engine.generate(length_steps=64, seed=1)
    other = engine.generate(length_steps=64, seed=2)
    midi = pretty_midi.PrettyMIDI(io.BytesIO(first.midi))
    assert len(first.notes) > 0 and len(midi.instruments[0].notes) == len(first.notes)
    assert first.notes == again.notes
    assert first.notes != other.notes


def test_symbolic_job_returns_notes_and_a_midi_file(trained, monkeypatch) -> None:
    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(trained.parent.parent))
    output = SymbolicTransformerGenerator().infer(JobInputs(params={"length_steps": 32, "seed": 3}))
    assert output.files["generated.mid"].startswith(b"MThd")
    assert all(21 <= n["pitch"] <= 108 for n in output.data["notes"])


def test_symbolic_rejects_a_zero_temperature(trained, monkeypatch) -> None:
    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(trained.parent.parent))
    with pytest.raises(EngineError, match="temperature"):
        SymbolicTransformerGenerator().generate(temperature=0)
