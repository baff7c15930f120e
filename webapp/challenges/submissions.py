"""Reading an uploaded submission without trusting it: a single file or a zip, whose members must be
plain files with plain relative names, within size limits that make a zip bomb harmless. Nothing is
written to disk: members are read into memory up to the limits."""

import stat
import zipfile
from io import BytesIO
from pathlib import PurePosixPath

from webapp.challenges.catalog.base import SubmissionError

MAX_MEMBERS = 200
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # uncompressed, all members together
MAX_RATIO = 200  # a member that inflates more than this is a bomb, not audio or text


def _member_name(info: zipfile.ZipInfo) -> str | None:
    """The member's safe name, None for folders; SubmissionError for anything that could escape."""
    raw = info.filename
    if raw.endswith("/"):
        return None
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise SubmissionError(f"{raw}: symbolic links are not accepted in a submission.")
    path = PurePosixPath(raw.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise SubmissionError(f"{raw}: a path that leaves the archive is not accepted.")
    if path.name.startswith(".") or "__MACOSX" in path.parts:
        return None  # hidden files and Finder litter are ignored, not errors
    return str(path)


def submission_read(data: bytes, *, filename: str) -> dict[str, bytes]:
    """{name: bytes}: a zip's members (a single top folder is flattened), or the single file itself."""
    if not data:
        raise SubmissionError("The uploaded file is empty.")
    if not zipfile.is_zipfile(BytesIO(data)):
        name = PurePosixPath(filename.replace("\\", "/")).name or "submission"
        return {name: data}
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise SubmissionError(f"The zip file is damaged ({exc}).") from exc
    if len(infos) > MAX_MEMBERS:
        raise SubmissionError(f"The zip holds {len(infos)} entries; at most {MAX_MEMBERS} are accepted.")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_TOTAL_BYTES:
        raise SubmissionError(
            f"The zip unpacks to {declared / 1e6:.0f} MB; at most {MAX_TOTAL_BYTES / 1e6:.0f} MB."
        )
    files: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = _member_name(info)
        if name is None:
            continue
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise SubmissionError(
                f"{info.filename}: compresses {info.file_size // info.compress_size}:1 — refused as a zip bomb."
            )
        try:
            with archive.open(info) as member:
                content = member.read(info.file_size + 1)  # never more than declared (+1 to notice lies)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise SubmissionError(f"{info.filename}: the zip file is damaged ({exc}).") from exc
        if len(content) > info.file_size:
            raise SubmissionError(f"{info.filename}: holds more than its header says — refused.")
        total += len(content)
        if total > MAX_TOTAL_BYTES:
            raise SubmissionError("The zip unpacks to more than the limit.")
        if name in files:
            raise SubmissionError(f"{name}: appears twice in the zip.")
        files[name] = content
    if not files:
        raise SubmissionError("The zip holds no files.")
    return _flatten_single_folder(files)


def _flatten_single_folder(files: dict[str, bytes]) -> dict[str, bytes]:
    """Files at the top of the zip, or all in one folder (as zipping a folder makes): flat names."""
    parts = {name: PurePosixPath(name).parts for name in files}
    if all(len(p) == 1 for p in parts.values()):
        return files
    folders = {p[0] for p in parts.values()}
    if len(folders) == 1 and all(len(p) == 2 for p in parts.values()):
        return {p[1]: files[name] for name, p in parts.items()}
    raise SubmissionError("Put the files at the top of the zip (or in one folder), not in several folders.")
