"""Copies of a user's audio in the demos' Gradio upload folder. Gradio names its cache entries by
content, not by user, so a copy is recognised by its bytes: any file there identical to one of the
user's stored files (a job's input or result, a consent recording) is theirs. Uploads never sent
to a job are not recognisable this way; the hourly demo-cache purge removes those."""

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage

from webapp.privacy.ownership import owned_file_names


def _digest(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def demo_cache_copies(user) -> list[str]:
    """Absolute paths of files in DEMO_UPLOAD_DIR whose bytes equal one of the user's stored files."""
    root = Path(settings.DEMO_UPLOAD_DIR)
    if not root.is_dir():
        return []
    theirs: dict[int, set[str]] = {}
    for name in owned_file_names(user):
        try:
            size = default_storage.size(name)
            with default_storage.open(name, "rb") as handle:
                theirs.setdefault(size, set()).add(_digest(handle))
        except FileNotFoundError:
            continue
    found = []
    for folder, _dirs, files in os.walk(root):
        for file_name in files:
            path = Path(folder) / file_name
            if path.is_symlink() or path.stat().st_size not in theirs:
                continue  # sizes first: only files that could match are hashed
            with path.open("rb") as handle:
                if _digest(handle) in theirs[path.stat().st_size]:
                    found.append(str(path))
    return found
