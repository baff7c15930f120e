"""Attack: fill the disk (and keep people's voices) through files nobody deletes. The demos' upload
folder is emptied of old files by the retention purge, which Celery beat runs hourly."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from demos.cache import KEEP_MANIFEST, demo_cache_purge
from demos.tasks import purge_expired_recordings

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(settings, tmp_path):
    settings.DEMO_UPLOAD_DIR = tmp_path / "uploads"
    settings.DEMO_CACHE_MAX_AGE_HOURS = 6
    settings.VOICE_CLONING_RETENTION_HOURS = 24
    root = settings.DEMO_UPLOAD_DIR
    for name in ["aaa/upload.wav", "bbb/recording.webm", "ccc/example.wav"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"RIFF")
    (root / KEEP_MANIFEST).write_text(f"{root / 'ccc/example.wav'}\n")
    return root


def test_purge_deletes_expired_uploads_and_keeps_examples(folder):
    later = timezone.now() + dt.timedelta(hours=6, minutes=1)

    deleted = demo_cache_purge(now=later)

    assert deleted == 2
    remaining = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
    assert remaining == [KEEP_MANIFEST, "ccc", "ccc/example.wav"]  # emptied folders go too


def test_purge_keeps_files_younger_than_the_limit(folder):
    (folder / "ddd").mkdir()  # an upload's folder, made a moment before its file moves in

    assert demo_cache_purge(now=timezone.now() + dt.timedelta(hours=5)) == 0
    assert (folder / "ddd").is_dir()


def test_voice_retention_caps_the_cache_age(folder, settings):
    settings.VOICE_CLONING_RETENTION_HOURS = 1

    assert demo_cache_purge(now=timezone.now() + dt.timedelta(hours=1, minutes=1)) == 2


def test_an_old_mtime_kept_by_a_copy_does_not_make_a_new_file_expire(folder):
    old = (timezone.now() - dt.timedelta(days=30)).timestamp()
    os.utime(folder / "aaa" / "upload.wav", (old, old))  # e.g. shutil.copy2 of an old file

    assert demo_cache_purge() == 0  # it arrived now (status-change time)


def test_the_retention_task_purges_the_demo_cache(folder, monkeypatch):
    two_days_later = timezone.now() + dt.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: two_days_later)

    report = purge_expired_recordings.apply().get()

    assert report["demo_cache_files"] == 2
    assert set(report) == {"recordings", "challenges", "job_files", "demo_cache_files"}


def test_beat_runs_the_retention_purge_hourly():
    from workers.celery import app

    entry = app.conf.beat_schedule["purge-expired-recordings"]

    assert entry["task"] == "demos.purge_expired_recordings"
    assert entry["schedule"] == 3600.0
