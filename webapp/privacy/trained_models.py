"""Models a learner trained: a version only they made and staff never promoted is theirs, and goes
with their account (its local folder and its copy in storage); a promoted version belongs to the
platform and stays."""

import contextlib
from pathlib import Path


def own_unpromoted_version_files(user) -> list[str]:
    """Absolute paths (local model folder) and storage names of the user's unpromoted versions."""
    from workers.model_store import PREFIX, storage_files_under
    from workers.promotion import TRAINED, _folder, _own_versions, promoted_version

    found: list[str] = []
    for capability, trained in TRAINED.items():
        promoted = promoted_version(capability=capability)
        for version in _own_versions(user=user, capability=capability):
            if not version or version == promoted or "/" in version or version.startswith("."):
                continue
            local = _folder(capability) / version
            if local.is_dir():
                found += [str(p) for p in sorted(local.rglob("*")) if p.is_file()]
            prefix = f"{PREFIX}/{trained.folder}/{version}"
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                found += storage_files_under(prefix)
    return found


def prune_empty_version_folders(paths: list[str]) -> None:
    """After deletion, remove the version folders left empty (engines then stop listing them)."""
    for folder in sorted(
        {Path(p).parent for p in paths if Path(p).is_absolute()}, key=lambda f: -len(f.parts)
    ):
        try:
            folder.rmdir()
        except OSError:
            continue
