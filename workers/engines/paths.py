"""Leaf helpers every engine module may import without cycles: where models live, and file hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from webapp.env import env  # the one reader of settings (no Django setup)

_REPO_DIR = Path(__file__).resolve().parents[2]
HASH_CHUNK = 1 << 20


def model_root() -> Path:
    """Where trained models live: $SOUNDPATH_MODEL_DIR, else $SOUNDPATH_VAR_DIR/models, else var/models."""
    explicit = env.str("SOUNDPATH_MODEL_DIR", default="")
    if explicit:
        return Path(explicit)
    return Path(env.str("SOUNDPATH_VAR_DIR", default="") or _REPO_DIR / "var") / "models"


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
