"""The music training job: a tiny real run through the ModelTrainer interface, a versioned checkpoint,
and the generation engine loading that version (or the newest)."""

import io
import json
import re
from pathlib import Path

import pretty_midi
import pytest

from workers.engines.base import EngineError, JobInputs
from workers.engines.music_symbolic import SymbolicTransformerGenerator, trained_versions
from workers.engines.registry import BACKENDS
from workers.engines.train_music import MusicTransformerTrainer

TINY = {"steps": 30, "max_files": 4, "batch_size": 8, "seed": 0}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOUNDPATH_MODEL_DIR", str(root))
        yield root


@pytest.fixture(scope="module")
def trained(model_dir):
    """One tiny training job: 30 steps on 4 chorales (about 10 s here), with its progress messages."""
    messages: list[tuple[float, str]] = []
    output = MusicTransformerTrainer(device="cpu").infer(
        JobInputs(params=TINY), progress=lambda f, m: messages.append((f, m))
    )
    return output, messages


def test_trainer_is_the_training_backend_music_transformer():
    assert "workers.engines.train_music:MusicTransformerTrainer" in BACKENDS["training"]
    assert MusicTransformerTrainer.backend == "music-transformer"
    assert MusicTransformerTrainer.capability == "training"
    assert MusicTransformerTrainer.availability().available


def test_training_lowers_the_loss_and_reports_each_step(trained):
    output, messages = trained
    losses = output.data["losses"]

    assert len(losses) == 30
    metrics = output.data["metrics"]
    assert metrics["last_loss_mean_10"] < metrics["first_loss_mean_10"] - 0.5
    assert metrics["steps"] == 30 and metrics["files"] == 4 and metrics["batch_size"] == 8
    step_messages = [m for _, m in messages if m.startswith("step ")]
    assert len(step_messages) == 30
    assert step_messages[-1] == f"step 30/30: loss {losses[-1]:.3f}"
    assert messages[-1] == (
        1.0,
        f"saved version {output.data['version']}: loss {losses[0]:.3f} → {losses[-1]:.3f}",
    )


def test_training_creates_a_version_folder(trained, model_dir):
    output, _ = trained
    folder = Path(output.data["checkpoint_dir"])

    assert folder == model_dir / "music-generation" / output.data["version"]
    assert (folder / "model.pt").stat().st_size > 1_000_000
    assert json.loads((folder / "training.json").read_text())["loss"] == output.data["losses"]
    assert json.loads(output.files["training.json"])["version"] == output.data["version"]
    assert trained_versions() == [output.data["version"]]


def test_generation_engine_loads_the_trained_version(trained):
    output, _ = trained
    engine = SymbolicTransformerGenerator(device="cpu")

    result = engine.infer(
        JobInputs(params={"length_steps": 64, "seed": 1, "version": output.data["version"]})
    )

    assert result.data["version"] == output.data["version"]
    midi = pretty_midi.PrettyMIDI(io.BytesIO(result.files["generated.mid"]))
    assert len(midi.instruments[0].notes) == len(result.data["notes"]) > 0


def test_a_loaded_engine_switches_to_a_newer_version(trained):
    first, _ = trained
    engine = SymbolicTransformerGenerator(device="cpu")
    engine.infer(JobInputs(params={"length_steps": 8}))
    assert engine.checkpoint.parent.name == first.data["version"]

    second = MusicTransformerTrainer(device="cpu").infer(JobInputs(params={**TINY, "steps": 2}))
    newest = engine.infer(JobInputs(params={"length_steps": 8}))
    older = engine.infer(JobInputs(params={"length_steps": 8, "version": first.data["version"]}))

    assert trained_versions() == [first.data["version"], second.data["version"]]
    assert (newest.data["version"], older.data["version"]) == (second.data["version"], first.data["version"])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"steps": 0}, "'steps' must be between 1 and 20000"),
        ({"steps": "many"}, "'steps' must be a whole number"),
        ({"max_files": 1000}, "'max_files' must be between 1 and 433"),
        ({"batch_size": -1}, "'batch_size' must be between 1 and 128"),
    ],
)
def test_training_refuses_bad_params(params, message, model_dir):
    with pytest.raises(EngineError, match=message):
        MusicTransformerTrainer(device="cpu").train(params=params)


def test_generation_refuses_an_unknown_version(trained):
    with pytest.raises(EngineError, match=re.escape("no trained version '../../etc'")):
        SymbolicTransformerGenerator(device="cpu").infer(JobInputs(params={"version": "../../etc"}))
