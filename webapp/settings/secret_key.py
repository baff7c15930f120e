"""The embedded default's SECRET_KEY: random, made once, kept in var/ readable by its owner only."""

import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret-key"  # in $SOUNDPATH_VAR_DIR


def secret_key_load_or_create(*, var_dir: Path) -> str:
    """The key kept in `var_dir`, made now if missing.

    A fixed development key would let anyone who read the source forge sessions and password-reset
    links of a `make run` left open on a network. O_EXCL makes the web process and the worker, which
    start together, agree on one key: the loser of the race reads the winner's file.
    """
    path = var_dir / SECRET_KEY_FILE
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if len(key) < 50:
            raise RuntimeError(f"{path} holds no usable secret key: delete it to make a new one.") from None
        return key
    key = secrets.token_urlsafe(64)
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return key
