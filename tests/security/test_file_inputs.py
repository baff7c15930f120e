"""Attack: read a server file through a demo. Gradio copies any path named in a FileData input of a
mounted app into its cache and serves it back (`file=`, `deep_link`). Replayed here against the
real server for every demo, every event and every input: a secret in var/, the repository, /proc,
/etc, `../` traversal, a symlink inside the upload folder, http:// and file:// URLs. Nothing may be
copied into the upload folder, and nothing of the files may come back."""

import os
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from demos.mounting import REFUSED_FILE_MESSAGE
from demos.registry import DEMO_BUILDERS
from tests.security.conftest import demo_config, run_event, signed_in_cookies, stored_files

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

MARKER = "SOUNDPATH-SECURITY-TEST-SECRET"
FILE_TYPES = {"audio", "file", "image", "video", "uploadbutton", "gallery", "model3d"}


@pytest.fixture(scope="module")
def planted(django_db_setup) -> dict[str, str]:
    """A secret file in var/ and a symlink to it planted inside the upload folder; yields the paths
    an attacker would name (the symlink as if an upload had been swapped for one)."""
    upload_dir = Path(settings.DEMO_UPLOAD_DIR).resolve()
    secret = Path(settings.VAR_DIR).resolve() / "security-test-secret.wav"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(f"{MARKER}\n")
    link_dir = upload_dir / "planted-symlink"
    link_dir.mkdir(parents=True, exist_ok=True)
    link = link_dir / "clip.wav"
    link.unlink(missing_ok=True)
    link.symlink_to(secret)
    depth = len(upload_dir.parts) - 1
    paths = {
        "secret": str(secret),
        "traversal": str(upload_dir) + "/.." * depth + str(secret),
        "symlink": str(link),
        "repository": str(settings.BASE_DIR / "demos" / "samples" / "speech_en.wav"),
        "proc": "/proc/self/environ",
        "etc": "/etc/passwd",
        "file-url": f"file://{secret}",
        "http-url": "http://127.0.0.1:1/secret.wav",
        "https-url": "https://example.com/clip.wav",
    }
    yield paths
    link.unlink(missing_ok=True)
    link_dir.rmdir()
    secret.unlink(missing_ok=True)


def file_data(path: str) -> dict:
    return {"path": path, "orig_name": os.path.basename(path), "meta": {"_type": "gradio.FileData"}}


def attacks(config: dict, planted: dict[str, str]):
    """(fn_index, data) pairs: the secret in every input of every event, and every variant in the
    first file input of each event that has one."""
    components = {c["id"]: c for c in config["components"]}
    for dep in config["dependencies"]:
        if not dep["backend_fn"] or not dep["inputs"]:
            continue
        types = [components[i]["type"] for i in dep["inputs"]]
        slots = [n for n, kind in enumerate(types) if kind != "state"]
        file_slots = [n for n in slots if types[n] in FILE_TYPES]
        for slot in slots:
            yield (
                dep["id"],
                slot,
                "secret",
                [file_data(planted["secret"]) if n == slot else None for n in range(len(types))],
            )
        for slot in file_slots[:1]:
            for variant, path in planted.items():
                yield (
                    dep["id"],
                    slot,
                    variant,
                    [file_data(path) if n == slot else None for n in range(len(types))],
                )


@pytest.mark.parametrize("slug", sorted(DEMO_BUILDERS))
def test_no_server_file_is_copied_or_served_through_any_input(server, upload_dir, planted, slug):
    config = demo_config(server, slug)
    cookies = signed_in_cookies()  # an account is free: the attacker has one
    before = stored_files(upload_dir)

    replies = [
        (fn, slot, variant, run_event(server, slug, fn, data, cookies=cookies))
        for fn, slot, variant, data in attacks(config, planted)
    ]

    assert replies, f"{slug}: no event takes an input"
    for fn, slot, variant, reply in replies:
        assert reply["success"] is False, (slug, fn, slot, variant, reply)
        assert reply["output"]["error"] == REFUSED_FILE_MESSAGE, (slug, fn, slot, variant, reply)
        assert MARKER not in str(reply) and "root:" not in str(reply), (slug, fn, variant)
    assert stored_files(upload_dir) == before  # nothing copied into Gradio's cache


def test_file_route_serves_nothing_outside_the_upload_folder(server, upload_dir, planted):
    base = f"{server}/demos/fundamentals/gradio_api"
    for variant, path in planted.items():
        response = httpx.get(f"{base}/file={path}", timeout=30)
        assert response.status_code in (403, 404), (variant, response.status_code)
        assert MARKER not in response.text and "root:" not in response.text
    # The app's own database and settings files, named directly.
    for path in [
        settings.BASE_DIR / "webapp" / "settings" / "base.py",
        settings.VAR_DIR / "soundpath.sqlite3",
    ]:
        assert httpx.get(f"{base}/file={path}", timeout=30).status_code in (403, 404)


def test_routes_the_demos_do_not_use_are_gone(server):
    base = f"{server}/demos/asr"
    assert (
        httpx.get(f"{base}/gradio_api/deep_link", params={"session_hash": "x"}, timeout=30).status_code == 404
    )
    assert httpx.get(f"{base}/gradio_api/file=https://example.com/a.wav", timeout=30).status_code == 403
    assert httpx.get(f"{base}/gradio_api/proxy=https://example.com/a.wav", timeout=30).status_code == 404
    assert httpx.post(f"{base}/gradio_api/process_recording", timeout=30).status_code == 404
    assert httpx.get(f"{base}/monitoring", timeout=30).status_code == 404
    body = {"session_hash": "x", "component_id": 1, "fn_name": "ls", "data": ["/"]}
    assert httpx.post(f"{base}/gradio_api/component_server", json=body, timeout=30).status_code == 404
    assert httpx.post(f"{base}/gradio_api/vibe-edit", json={"prompt": "x"}, timeout=30).status_code == 404
    # what the page itself needs is still there
    assert httpx.get(f"{base}/config", timeout=30).status_code == 200


def test_the_attack_from_the_issue_through_the_call_api(server, upload_dir, planted):
    """The reported reproduction: POST /demos/fundamentals/gradio_api/call/analyse with a server path,
    without an account (the event does nothing) and with one (refused)."""
    config = demo_config(server, "fundamentals")
    dep = next(d for d in config["dependencies"] if d["api_name"] == "analyse")
    data = [file_data(planted["secret"])] + [None] * (len(dep["inputs"]) - 1)
    base = f"{server}/demos/fundamentals/gradio_api/call/analyse"
    before = stored_files(upload_dir)

    streams = {}
    for who, cookies in [("visitor", None), ("learner", signed_in_cookies())]:
        event_id = httpx.post(base, json={"data": data}, cookies=cookies, timeout=30).json()["event_id"]
        streams[who] = httpx.get(f"{base}/{event_id}", cookies=cookies, timeout=60).text

    assert "event: complete" in streams["visitor"] and "security-test-secret" not in streams["visitor"]
    assert "event: error" in streams["learner"] and MARKER not in streams["learner"]
    assert stored_files(upload_dir) == before


def _tone_wav() -> bytes:
    """One second of a 440 Hz tone, 16 kHz 16-bit mono (32 kB: under the test server's upload limit)."""
    import io
    import wave

    import numpy as np

    samples = (0.3 * 32767 * np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(16000), wav.writeframes(samples.tobytes())
    return out.getvalue()


def test_uploads_and_example_clips_still_run(server):
    """The guard lets through what the page itself sends: an upload of this user, a shipped example."""
    cookies = signed_in_cookies()
    uploaded = httpx.post(
        f"{server}/demos/fundamentals/gradio_api/upload",
        files=[("files", ("tone.wav", _tone_wav(), "audio/wav"))], cookies=cookies, timeout=30,
    ).json()[0]  # fmt: skip
    config = demo_config(server, "fundamentals")
    dep = next(d for d in config["dependencies"] if d["api_name"] == "analyse")
    components = {c["id"]: c for c in config["components"]}
    # Clicking a shipped example: the server answers with its copy in the upload folder.
    dataset = next(c["id"] for c in config["components"] if c["type"] == "dataset")
    loader = next(d for d in config["dependencies"] if d["inputs"] == [dataset] and d["backend_fn"])
    loaded = run_event(server, "fundamentals", loader["id"], [0], cookies=cookies)["output"]["data"][0]
    example = loaded.get("value", loaded)  # a component update carrying the clip, or the clip
    assert example["path"].startswith(str(Path(settings.DEMO_UPLOAD_DIR).resolve()))

    for path in [uploaded, example["path"]]:
        data = [file_data(path) if components[i]["type"] == "audio" else components[i]["props"].get("value")
                for i in dep["inputs"]]  # fmt: skip
        reply = run_event(server, "fundamentals", dep["id"], data, cookies=cookies, timeout=120)
        assert reply["success"] is True, reply
