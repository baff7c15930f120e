"""Pinned-hash checks of weight files: an untouched file passes, a changed or truncated copy is refused."""

import shutil

import pytest

from workers.engines._weights import joined_file, sha256_of, verified_bytes, verified_file
from workers.engines.base import EngineError
from workers.engines.speaker_dvector import EMBEDDER_BYTES, EMBEDDER_SHA256, embedder_path


def _tampered_copy(tmp_path, flip_at: int = 1000):
    copy = tmp_path / "embedder.int8.onnx"
    shutil.copyfile(embedder_path(), copy)
    with open(copy, "r+b") as handle:
        handle.seek(flip_at)
        byte = handle.read(1)
        handle.seek(flip_at)
        handle.write(bytes([byte[0] ^ 0xFF]))
    return copy


def test_installed_embedder_matches_its_pinned_hash():
    assert verified_file(embedder_path(), sha256=EMBEDDER_SHA256, size=EMBEDDER_BYTES) == embedder_path()
    assert len(verified_bytes(embedder_path(), sha256=EMBEDDER_SHA256)) == EMBEDDER_BYTES


def test_one_changed_byte_is_refused(tmp_path):
    copy = _tampered_copy(tmp_path)
    with pytest.raises(EngineError, match="does not match the pinned"):
        verified_file(copy, sha256=EMBEDDER_SHA256, size=EMBEDDER_BYTES)
    with pytest.raises(EngineError, match="does not match the pinned"):
        verified_bytes(copy, sha256=EMBEDDER_SHA256)


def test_a_truncated_file_is_refused_by_size(tmp_path):
    copy = tmp_path / "short.onnx"
    copy.write_bytes(embedder_path().read_bytes()[:-10])
    with pytest.raises(EngineError, match="bytes, expected"):
        verified_file(copy, sha256=EMBEDDER_SHA256, size=EMBEDDER_BYTES)


def test_joined_parts_are_verified_and_a_bad_part_refused(tmp_path):
    data = embedder_path().read_bytes()
    first, second = tmp_path / "a.part", tmp_path / "b.part"
    first.write_bytes(data[:5_000_000])
    second.write_bytes(data[5_000_000:])
    target = tmp_path / "cache" / "joined.onnx"
    assert joined_file([first, second], target, sha256=EMBEDDER_SHA256, size=len(data)).read_bytes() == data
    target.write_bytes(b"stale")  # a damaged earlier join is rebuilt from the parts
    assert (
        sha256_of(joined_file([first, second], target, sha256=EMBEDDER_SHA256, size=len(data)))
        == EMBEDDER_SHA256
    )
    second.write_bytes(data[5_000_000:-1] + b"\x00")
    target.unlink()  # a first join from a tampered part
    with pytest.raises(EngineError, match="does not match the pinned"):
        joined_file([first, second], target, sha256=EMBEDDER_SHA256, size=len(data))
