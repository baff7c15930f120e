"""`manage.py models pull <name>`: named hub models downloaded into $SOUNDPATH_MODEL_DIR/hub/<name>,
each file checked against the size and SHA-256 the hub reports (its ETag of a large file is the file's
SHA-256; small files carry a git blob SHA-1), after which the matching hub backend finds the folder.

The only place in the project that downloads weights, and only when an operator runs it. The hub's
address comes from HF_ENDPOINT (huggingface_hub's own setting), so a mirror or a test server can stand in.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from webapp.env import env  # the one reader of settings (HF_ENDPOINT, huggingface_hub's own name)
from workers.engines.base import EngineError
from workers.engines.hub_catalogue import CATALOGUE, MARKER, HubModel, pulled_dir  # noqa: F401 - re-exported
from workers.engines.paths import model_root, sha256_of

SHA256 = re.compile(r"^[0-9a-f]{64}$")
SHA1 = re.compile(r"^[0-9a-f]{40}$")


def _git_blob_sha1(path: Path) -> str:
    digest = hashlib.sha1(f"blob {path.stat().st_size}\0".encode())  # git's object id, not a security hash
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _check(path: Path, *, size: int | None, etag: str | None) -> str:
    """The file's SHA-256 once its size and the hub's hash agree with it; EngineError otherwise."""
    if size is not None and path.stat().st_size != size:
        raise EngineError(f"{path.name}: {path.stat().st_size} bytes, the hub says {size}")
    expected = (etag or "").strip('"').removeprefix("W/").strip('"').lower()
    digest = sha256_of(path)
    if SHA256.match(expected) and digest != expected:
        raise EngineError(f"{path.name}: SHA-256 {digest[:16]}… differs from the hub's {expected[:16]}…")
    if SHA1.match(expected) and _git_blob_sha1(path) != expected:
        raise EngineError(f"{path.name}: content differs from the hub's blob id {expected[:16]}…")
    if not (SHA256.match(expected) or SHA1.match(expected)):
        raise EngineError(f"{path.name}: the hub gave no content hash to check it against")
    return digest


def pull(
    model: HubModel, *, accept_licence: str = "", endpoint: str | None = None, token: str | None = None
) -> Path:
    """Download every file of `model` (resuming partial files), check each, then mark the folder done."""
    if model.acknowledge and accept_licence != model.acknowledge:
        raise EngineError(
            f"{model.name} is under the {model.licence}. Re-run with --accept-licence {model.acknowledge} "
            "to confirm you accept it."
        )
    from huggingface_hub import constants

    # The platform runs with HF_HUB_OFFLINE=1 so that nothing downloads by accident; this command is
    # the operator asking for a download, so offline mode is lifted for its duration only.
    offline, constants.HF_HUB_OFFLINE = constants.HF_HUB_OFFLINE, False
    try:
        return _pull(model, endpoint=endpoint or env.str("HF_ENDPOINT", default="") or None, token=token)
    finally:
        constants.HF_HUB_OFFLINE = offline


def _pull(model: HubModel, *, endpoint: str | None, token: str | None) -> Path:
    from huggingface_hub import get_hf_file_metadata, hf_hub_download, hf_hub_url

    target = model_root() / "hub" / model.name
    (target / MARKER).unlink(missing_ok=True)
    hashes = {}
    for name in model.files:
        url = hf_hub_url(model.repo_id, name, revision=model.revision, endpoint=endpoint)
        meta = get_hf_file_metadata(url, token=token)
        path = Path(hf_hub_download(model.repo_id, name, revision=model.revision, local_dir=target,
                                    endpoint=endpoint, token=token))  # fmt: skip
        try:
            hashes[name] = _check(path, size=meta.size, etag=meta.etag)
        except EngineError:
            path.unlink(missing_ok=True)  # a bad file is never left where a backend would load it
            shutil.rmtree(target / ".cache", ignore_errors=True)
            raise
    (target / MARKER).write_text(
        json.dumps({"repo": model.repo_id, "revision": model.revision, "sha256": hashes}, indent=1)
    )
    return target
