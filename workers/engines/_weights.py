"""Weight files from split or native packages, checked against pinned SHA-256 hashes before loading.

A wheel's RECORD hashes only prove the wheel was installed as built; anything can rewrite the files
afterwards, and a native library (DeepFilterNet's `.so`) or a model we join from parts (Whisper
base) runs with the worker's rights. So each such file is hashed and compared with the hash pinned
in our code immediately before it is loaded; a mismatch refuses to load.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from workers.engines.base import EngineError
from workers.engines.paths import sha256_of

CHUNK = 1 << 20  # hash 1 MiB at a time: model files are 10-150 MB


def verified_file(path: str | Path, *, sha256: str, size: int | None = None) -> Path:
    """`path`, once its size and SHA-256 match the pinned values; EngineError otherwise."""
    path = Path(path)
    if not path.is_file():
        raise EngineError(f"Weight file missing: {path}")
    if size is not None and path.stat().st_size != size:
        raise EngineError(
            f"Refusing to load {path.name}: {path.stat().st_size} bytes, expected {size} (a changed or "
            "truncated file)."
        )
    found = sha256_of(path)
    if found != sha256:
        raise EngineError(
            f"Refusing to load {path.name}: SHA-256 {found[:16]}… does not match the pinned {sha256[:16]}… "
            "(the file was changed after installation)."
        )
    return path


def verified_bytes(path: str | Path, *, sha256: str) -> bytes:
    """The file's bytes, hashed in memory: what is checked is exactly what gets loaded."""
    data = Path(path).read_bytes()
    found = hashlib.sha256(data).hexdigest()
    if found != sha256:
        raise EngineError(
            f"Refusing to load {Path(path).name}: SHA-256 {found[:16]}… does not match the pinned "
            f"{sha256[:16]}…."
        )
    return data


def joined_file(parts: list[Path], target: Path, *, sha256: str, size: int) -> Path:
    """Join `parts` into `target` once (atomically, via a temporary file), then verify it.

    A half-written or tampered join fails the check and is rebuilt from the parts once; if the
    parts themselves are wrong the check fails again and the model is refused.
    """
    for attempt in range(2):
        if not target.is_file() or attempt:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
            with open(partial, "wb") as out:
                for part in parts:
                    with open(part, "rb") as handle:
                        while chunk := handle.read(CHUNK):
                            out.write(chunk)
            os.replace(partial, target)
        try:
            return verified_file(target, sha256=sha256, size=size)
        except EngineError:
            if attempt:
                raise
    raise AssertionError("unreachable")
