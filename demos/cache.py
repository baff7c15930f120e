"""Deleting old files from the demos' Gradio upload folder (uploads, recordings, result copies): the
voice-recording retention covers them too. Runs in a worker (Celery beat); imports no Gradio."""

import datetime as dt
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

KEEP_MANIFEST = ".keep"  # written by the web process at mount time: files the demos need while they run


def demo_cache_max_age_seconds() -> float:
    """How long an uploaded or cached demo file lives: DEMO_CACHE_MAX_AGE_HOURS, never longer than the
    voice-recording retention (a demo upload may be someone's voice)."""
    hours = min(settings.DEMO_CACHE_MAX_AGE_HOURS, settings.VOICE_CLONING_RETENTION_HOURS)
    return hours * 3600


def demo_cache_purge(*, now: dt.datetime | None = None, max_age_seconds: float | None = None) -> int:
    """Delete every file in DEMO_UPLOAD_DIR older than the limit (by the later of its modification
    and status-change times, so a copy that kept an old mtime still counts from when it arrived),
    except those listed in the keep manifest; then remove emptied folders. Returns files deleted."""
    root = Path(settings.DEMO_UPLOAD_DIR)
    if not root.is_dir():
        return 0
    limit = demo_cache_max_age_seconds() if max_age_seconds is None else max_age_seconds
    cutoff = (now or timezone.now()).timestamp() - limit
    manifest = root / KEEP_MANIFEST
    keep = set(manifest.read_text().split("\n")) if manifest.exists() else set()
    deleted = 0
    for folder, _dirs, files in os.walk(root, topdown=False):
        emptied = False
        for name in files:
            path = Path(folder) / name
            if path == manifest or str(path) in keep:
                continue
            info = path.lstat()
            if max(info.st_mtime, info.st_ctime) < cutoff:
                path.unlink(missing_ok=True)
                deleted += 1
                emptied = True
        # A folder that was just made empty, or has stood empty past the limit; never one an upload
        # created a moment ago and is about to move its file into.
        here = Path(folder)
        if here != root and not any(here.iterdir()) and (emptied or here.stat().st_mtime < cutoff):
            here.rmdir()
    return deleted
