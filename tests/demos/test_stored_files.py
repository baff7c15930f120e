"""Demos hand Gradio local paths; with object storage (no local path) they get a copy first."""

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, InMemoryStorage, Storage
from django.db import models
from django.db.models.fields.files import FieldFile

from demos.common import stored_file_local_path


class NoPathStorage(Storage):
    """Like S3Storage: files have names and bytes but no local path (Storage.path raises)."""

    def __init__(self):
        self._inner = InMemoryStorage()

    def _open(self, name, mode="rb"):
        return self._inner._open(name, mode)

    def _save(self, name, content):
        return self._inner._save(name, content)

    def exists(self, name):
        return self._inner.exists(name)


def _field_file(storage, name: str, data: bytes) -> FieldFile:
    field = models.FileField(storage=storage)
    field.name = "file"
    saved = storage.save(name, ContentFile(data))
    return FieldFile(None, field, saved)


def test_object_storage_files_are_copied_into_the_demo_folder(settings, tmp_path):
    settings.DEMO_UPLOAD_DIR = tmp_path / "demo-uploads"
    stored = _field_file(NoPathStorage(), "jobs/42/results-1/out.wav", b"RIFF-result")
    local = Path(stored_file_local_path(stored, folder="results/42"))
    assert local.read_bytes() == b"RIFF-result"
    assert local.is_relative_to(settings.DEMO_UPLOAD_DIR)


def test_local_files_are_used_where_they_are(tmp_path):
    stored = _field_file(FileSystemStorage(location=tmp_path), "a/b.wav", b"RIFF")
    assert stored_file_local_path(stored, folder="x") == str(tmp_path / "a" / "b.wav")
