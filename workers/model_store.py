"""Models trained in the platform, shared through Django storage. A training job writes its version
folder under $SOUNDPATH_MODEL_DIR on the worker that ran it; publishing copies it to storage
(models/<capability>/<version>/…, a COMPLETE marker last), and any other process — a second worker,
the web process listing versions — syncs complete versions into its own model folder before use.
With object storage (MEDIA_STORAGE=s3) this is what lets workers on different hosts share models."""

import logging
import shutil
import uuid
from pathlib import Path, PurePosixPath

from django.core.files.base import File
from django.core.files.storage import default_storage

from workers.engines._signal_common import model_root

log = logging.getLogger(__name__)
PREFIX = PurePosixPath("models")
COMPLETE = "COMPLETE"  # written last: a version without it is still uploading
# Which trained-model folder each capability's engines read.
CAPABILITY_DIRS = {"music-generation": "music-generation", "keyword-spotting": "keyword-spotting"}


def trained_version_publish(*, checkpoint_dir: Path) -> list[str]:
    """Copy one version folder (model_root/<capability>/<version>) to storage; returns the names."""
    relative = PurePosixPath(checkpoint_dir.resolve().relative_to(model_root().resolve()).as_posix())
    target = PREFIX / relative
    names = []
    for path in sorted(p for p in checkpoint_dir.rglob("*") if p.is_file()):
        name = str(target / path.relative_to(checkpoint_dir).as_posix())
        if default_storage.exists(name):  # a re-delivered job publishing again: same bytes
            default_storage.delete(name)
        with path.open("rb") as handle:
            names.append(default_storage.save(name, File(handle)))
    marker = str(target / COMPLETE)
    if not default_storage.exists(marker):
        default_storage.save(marker, File(_bytes_io(b"ok")))
    return names


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def storage_files_under(prefix: str) -> list[str]:
    """Every file name below `prefix` in storage (listdir is one level deep on every backend)."""
    folders, files = default_storage.listdir(prefix)
    found = [f"{prefix}/{name}" for name in files]
    for folder in folders:
        found += storage_files_under(f"{prefix}/{folder}")
    return found


def trained_versions_sync(*, capability: str) -> list[str]:
    """Fetch complete versions that storage has and this process's model folder lacks."""
    folder_name = CAPABILITY_DIRS.get(capability)
    if folder_name is None:
        return []
    prefix = str(PREFIX / folder_name)
    try:
        versions = default_storage.listdir(prefix)[0]
    except (FileNotFoundError, NotADirectoryError):
        return []
    local_root = model_root() / folder_name
    fetched = []
    for version in sorted(versions):
        if version.startswith(".") or (local_root / version).exists():
            continue
        if not default_storage.exists(f"{prefix}/{version}/{COMPLETE}"):
            continue  # still being published
        partial = local_root / f".part-{version}-{uuid.uuid4().hex[:8]}"
        try:
            for name in storage_files_under(f"{prefix}/{version}"):
                local = partial / PurePosixPath(name).relative_to(f"{prefix}/{version}")
                local.parent.mkdir(parents=True, exist_ok=True)
                with default_storage.open(name, "rb") as source, local.open("wb") as sink:
                    shutil.copyfileobj(source, sink)
            partial.rename(local_root / version)  # atomic: engines never see half a version
            fetched.append(version)
        except OSError:
            log.exception("could not fetch trained version %s/%s", folder_name, version)
            shutil.rmtree(partial, ignore_errors=True)
    return fetched
