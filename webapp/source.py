"""The source of the running version, offered to every network user (AGPL-3.0 section 13):
its version and commit for the footer, and a tar.gz of the tree on disk served by the app."""

import functools
import os
import subprocess
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Runtime and secret files never go into the archive (the same things .gitignore keeps out of git).
EXCLUDED_NAMES = frozenset({
    ".git", ".venv", "var", "media", "staticfiles", "node_modules", "__pycache__", ".env", ".pytest_cache",
    ".ruff_cache", ".mypy_cache", "control",
})  # fmt: skip
EXCLUDED_SUFFIXES = (".pyc", ".sqlite3", ".egg-info")


@dataclass(frozen=True)
class RunningVersion:
    version: str
    commit: str | None

    @property
    def label(self) -> str:
        return f"version {self.version}, commit {self.commit}" if self.commit else f"version {self.version}"


@functools.cache
def running_version() -> RunningVersion:
    """Read once per process: the code cannot change under a running server."""
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
        )
        commit = done.stdout.strip() if done.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):  # no git in a container image
        commit = None
    return RunningVersion(version=version, commit=commit or None)


def _included(name: str) -> bool:
    return name not in EXCLUDED_NAMES and not name.endswith(EXCLUDED_SUFFIXES)


def source_files() -> list[Path]:
    """Every file of the tree on disk (so local changes are included), minus runtime files and secrets."""
    found = []
    for folder, dirs, files in os.walk(ROOT):  # os.walk never follows the .venv symlink
        dirs[:] = [d for d in dirs if _included(d)]
        found += [Path(folder) / f for f in files if _included(f) and not os.path.islink(Path(folder) / f)]
    return sorted(found)


def source_archive_path() -> Path:
    """Build the archive once per version and commit; later requests reuse the file."""
    current = running_version()
    name = f"soundpath-{current.version}-{current.commit or 'tree'}"
    target = Path(settings.VAR_DIR) / "source" / f"{name}.tar.gz"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with tarfile.open(partial, "w:gz") as archive:
        for path in source_files():
            archive.add(path, arcname=f"{name}/{path.relative_to(ROOT)}", recursive=False)
    partial.replace(target)  # atomic: a concurrent request never serves half an archive
    return target
