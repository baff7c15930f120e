"""Training job for the symbolic music Transformer: a new, versioned checkpoint and its loss curve."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

from workers.engines.base import Availability, EngineError, ModelCard, ProgressFn, check_imports, no_progress
from workers.engines.capabilities import ModelTrainer, TrainingResult

DEFAULT_STEPS = 300  # about 1.5 minutes on one CPU core here (plus ~2 min to parse the corpus once)
MAX_STEPS = 20_000
CORPUS_FILES = 433  # Bach scores in music21 10.5.1's corpus
DEFAULT_BATCH = 32
MAX_BATCH = 128
SMOOTHING = 10  # steps averaged for the first/last loss in the metrics (one batch's loss is noisy)


def _int_param(params: dict, name: str, default: int | None, low: int, high: int) -> int | None:
    """An integer parameter within [low, high], or an EngineError naming the parameter and its range."""
    value = params.get(name, default)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise EngineError(f"'{name}' must be a whole number.") from None
    if not low <= number <= high:
        raise EngineError(f"'{name}' must be between {low} and {high}.")
    return number


@contextlib.contextmanager
def _one_torch_thread(device: str) -> Iterator[None]:
    """Train on one CPU thread, then restore the setting.

    This model's matrices are tiny (batch 32 × 128 tokens × d=128): with several intra-op threads on a
    machine whose cores other processes also use, the threads spend their time waiting for each other
    at every operation. Measured here: 40× faster on one thread while the box was busy, 1.3× when idle.
    """
    import torch

    if device != "cpu":
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _metrics(losses: list[float], summary: dict) -> dict:
    window = min(SMOOTHING, len(losses))
    first, last = sum(losses[:window]) / window, sum(losses[-window:]) / window
    return {
        "steps": summary["steps"],
        "files": summary["files"],
        "tokens": summary["tokens"],
        "batch_size": summary["batch_size"],
        "seed": summary["seed"],
        "seconds": summary["seconds"],
        "device": summary["device"],
        f"first_loss_mean_{window}": round(first, 4),
        f"last_loss_mean_{window}": round(last, 4),
    }


class MusicTransformerTrainer(ModelTrainer):
    backend = "music-transformer"
    uses_torch = True
    card = ModelCard(
        engine="Training job for the event-based music Transformer (3 layers, d=128)",
        package="torch 2.13.0 + music21 10.5.1 (corpus) + pretty_midi 0.2.11.post0",
        weights="writes $SOUNDPATH_MODEL_DIR/music-generation/<version>/model.pt (1,870,533 bytes) "
        "and training.json",
        weights_bytes=None,  # it makes weights rather than loading any
        licence="code AGPL-3.0-or-later (this project); corpus BSD-3-Clause (music21), Bach chorales public domain",
        training_data="the 433 Bach scores in music21's corpus (or the first max_files), as note-on/off and "
        "time-shift events, randomly transposed within ±5 semitones",
        limits="A few hundred steps on a CPU give locally plausible voice leading, not form; the loss "
        "is measured on training batches (no held-out set), so a low loss is not proof of good music.",
        paper="https://arxiv.org/abs/1809.04281",
    )

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("torch", "music21", "pretty_midi")

    def train(self, *, params: dict, progress: ProgressFn = no_progress) -> TrainingResult:
        """params: steps (default 300), max_files (default all 433), seed (0), batch_size (32)."""
        from workers.engines.music_symbolic import train

        steps = _int_param(params, "steps", DEFAULT_STEPS, 1, MAX_STEPS)
        max_files = _int_param(params, "max_files", None, 1, CORPUS_FILES)
        seed = _int_param(params, "seed", 0, 0, 2**31 - 1)
        batch_size = _int_param(params, "batch_size", DEFAULT_BATCH, 1, MAX_BATCH)
        # The folder is always $SOUNDPATH_MODEL_DIR/music-generation (never a job parameter: a learner's
        # params must not choose where the worker writes).
        with _one_torch_thread(self.device):
            folder = train(
                steps=steps, progress=progress, seed=seed, max_files=max_files, batch_size=batch_size,
                device=self.device,
            )  # fmt: skip
        summary = json.loads((folder / "training.json").read_text())
        losses = [float(x) for x in summary["loss"]]
        progress(1.0, f"saved version {folder.name}: loss {losses[0]:.3f} → {losses[-1]:.3f}")
        return TrainingResult(
            version=folder.name,
            checkpoint_dir=str(folder),
            losses=tuple(losses),
            metrics=_metrics(losses, summary),
        )
