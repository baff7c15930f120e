"""Submissions are read without trusting them: each malformed kind gets its own clear refusal."""

import io
import stat
import zipfile

import pytest

from webapp.challenges.catalog.base import SubmissionError
from webapp.challenges.submissions import MAX_MEMBERS, submission_read


def _zip(
    members: list[tuple[str, bytes]], *, symlink: str | None = None, level: int = zipfile.ZIP_DEFLATED
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=level) as archive:
        for name, data in members:
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def _corrupted() -> bytes:
    data = bytearray(_zip([("loop1.txt", b"0.5\n1.0\n1.5\n" * 20)], level=zipfile.ZIP_STORED))
    data[40:60] = b"X" * 20  # inside the member's bytes: its CRC no longer matches
    return bytes(data)


def test_a_single_file_and_a_zip_with_one_folder_are_read():
    assert submission_read(b"1.0\n", filename="../../loop1.txt") == {"loop1.txt": b"1.0\n"}
    data = _zip([("mine/loop1.txt", b"1"), ("mine/loop2.txt", b"2"), ("__MACOSX/._loop1.txt", b"x")])
    assert submission_read(data, filename="s.zip") == {"loop1.txt": b"1", "loop2.txt": b"2"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (_zip([("../evil.txt", b"x")]), "leaves the archive"),
        (_zip([("/etc/evil.txt", b"x")]), "leaves the archive"),
        (_zip([("ok.txt", b"x")], symlink="link.txt"), "symbolic links"),
        (_zip([("bomb.txt", b"0" * 5_000_000)]), "zip bomb"),
        (_zip([(f"f{i}.txt", b"x") for i in range(MAX_MEMBERS + 1)]), "entries"),
        (_zip([("a/x.txt", b"1"), ("b/y.txt", b"2")]), "several folders"),
        (_corrupted(), "damaged"),
    ],
)
def test_malformed_archives_are_refused_with_the_reason(data, message):
    with pytest.raises(SubmissionError, match=message):
        submission_read(data, filename="submission.zip")
