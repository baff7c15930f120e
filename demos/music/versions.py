"""Trained versions of the music generator, as the demo lists them (read from the model directory)."""

import json

from workers.engines._signal_common import model_root
from workers.engines.music_symbolic import CAPABILITY_DIR, trained_versions


def versions_newest_first() -> list[str]:
    from workers.model_store import trained_versions_sync

    trained_versions_sync(capability="music-generation")  # trained on a worker, maybe on another host
    return list(reversed(trained_versions()))


def training_summary(version: str) -> dict | None:
    """The training.json the training job saved beside a version's checkpoint, or None."""
    if version not in trained_versions():
        return None
    return json.loads((model_root() / CAPABILITY_DIR / version / "training.json").read_text())


def describe_training(version: str, summary: dict) -> str:
    """Text alternative of the loss curve."""
    losses = summary["loss"]
    window = min(10, len(losses))
    first, last = sum(losses[:window]) / window, sum(losses[-window:]) / window
    return (
        f"Version {version}: {summary['steps']} steps on {summary['files']} scores ({summary['tokens']:,} events), "
        f"batch {summary['batch_size']}, seed {summary['seed']}, {summary['seconds']} s on {summary['device']}. "
        f"Loss fell from {first:.2f} to {last:.2f} (means of the first and last {window} steps)."
    )
