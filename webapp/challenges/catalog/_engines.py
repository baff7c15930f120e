"""Baselines that run the platform's own default engine (on the worker that scores or measures)."""

import tempfile
from pathlib import Path


def engine_output(
    capability: str, data: bytes, *, backend: str | None = None, name: str = "audio", **extra: bytes
):
    """Run one engine on WAV bytes (and extra named inputs); returns its EngineOutput."""
    from workers.engines.runner import engine_infer

    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for key, value in {name: data, **extra}.items():
            paths[key] = Path(folder) / f"{key}.wav"
            paths[key].write_bytes(value)
        return engine_infer(capability, backend=backend, audio_paths=paths).output
