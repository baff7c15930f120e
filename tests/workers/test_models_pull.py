"""manage.py models pull against a local HTTP server standing in for the hub (HF_ENDPOINT): files
land checked, an interrupted download is retried, a file whose hash differs is refused, and the hub
backend reports available afterwards."""

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from workers.engines.diarization_pyannote import PyannoteDiarizer
from workers.engines.hub_pull import CATALOGUE, MARKER

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class FakeHub:
    """Serves `files` of one repo as the hub does: HEAD with ETag (SHA-256) and size, GET with Range."""

    def __init__(self, repo: str, files: dict[str, bytes]):
        self.repo, self.files = repo, files
        self.wrong_hash: set[str] = set()
        self.cut_once: set[str] = set()  # these are cut halfway on their first GET
        self.requests: list[tuple[str, str, str]] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _file(self):
                prefix = f"/{hub.repo}/resolve/main/"
                name = self.path[len(prefix) :] if self.path.startswith(prefix) else None
                return name, hub.files.get(name) if name else None

            def _headers(self, name, data, status=200, length=None):
                self.send_response(status)
                digest = hashlib.sha256(b"other" if name in hub.wrong_hash else data).hexdigest()
                self.send_header("ETag", f'"{digest}"')
                self.send_header("X-Repo-Commit", COMMIT)
                self.send_header("Content-Length", str(len(data) if length is None else length))
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()

            def do_HEAD(self):
                name, data = self._file()
                hub.requests.append(("HEAD", name or self.path, ""))
                if data is None:
                    self.send_error(404)
                    return
                self._headers(name, data)

            def do_GET(self):
                name, data = self._file()
                wanted = self.headers.get("Range", "")
                hub.requests.append(("GET", name or self.path, wanted))
                if data is None:
                    self.send_error(404)
                    return
                start = int(wanted.split("=")[1].split("-")[0]) if wanted else 0
                if start:
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                    self.send_header("Content-Length", str(len(data) - start))
                    self.send_header("ETag", f'"{hashlib.sha256(data).hexdigest()}"')
                    self.send_header("X-Repo-Commit", COMMIT)
                    self.end_headers()
                    self.wfile.write(data[start:])
                    return
                self._headers(name, data)
                if name in hub.cut_once:
                    hub.cut_once.discard(name)
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def hub(tmp_path, monkeypatch):
    model = CATALOGUE["pyannote-community-1"]
    files = {name: (f"{name} ".encode() * 40_000)[: 100_000 + i] for i, name in enumerate(model.files)}
    fake = FakeHub(model.repo_id, files)
    monkeypatch.setenv("HF_ENDPOINT", fake.url)
    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.delenv("SOUNDPATH_PYANNOTE_PIPELINE_PATH", raising=False)
    monkeypatch.setenv("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    yield fake
    fake.server.shutdown()


def test_pull_checks_every_file_and_enables_the_backend(hub, tmp_path):
    assert not PyannoteDiarizer.availability().available
    call_command("models", "pull", "pyannote-community-1")
    folder = tmp_path / "models" / "hub" / "pyannote-community-1"
    for name, data in hub.files.items():
        assert (folder / name).read_bytes() == data
    assert (folder / MARKER).is_file()
    found = PyannoteDiarizer.availability()
    assert found.available and found.weights_path == str(folder)


def test_an_interrupted_download_is_retried_and_completes(hub, tmp_path):
    """The connection drops halfway through a file: huggingface_hub retries (with a Range request
    when it had written part of it), and the file that lands is whole and checked."""
    hub.cut_once.add("segmentation/pytorch_model.bin")
    try:
        call_command("models", "pull", "pyannote-community-1")
    except CommandError:
        call_command("models", "pull", "pyannote-community-1")  # a second run resumes the partial file
    folder = tmp_path / "models" / "hub" / "pyannote-community-1"
    assert (folder / "segmentation/pytorch_model.bin").read_bytes() == hub.files[
        "segmentation/pytorch_model.bin"
    ]
    gets = [name for method, name, _range in hub.requests if method == "GET"]
    assert gets.count("segmentation/pytorch_model.bin") == 2
    assert (folder / MARKER).is_file()


def test_a_file_whose_hash_differs_is_refused(hub, tmp_path):
    hub.wrong_hash.add("embedding/pytorch_model.bin")
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("models", "pull", "pyannote-community-1")
    folder = tmp_path / "models" / "hub" / "pyannote-community-1"
    assert not (folder / "embedding/pytorch_model.bin").exists()
    assert not (folder / MARKER).exists()
    assert not PyannoteDiarizer.availability().available


def test_a_non_commercial_licence_must_be_accepted(hub):
    with pytest.raises(CommandError, match="--accept-licence CPML"):
        call_command("models", "pull", "xtts-v2")


def test_a_pulled_ctranslate2_whisper_enables_the_hub_asr_backend(tmp_path, monkeypatch):
    """The Whisper files pulled are a CTranslate2 folder; the hub ASR backend finds it with no setting."""
    from workers.engines.asr_whisper_base import FasterWhisperHubRecognizer

    model = CATALOGUE["whisper-small-ct2"]
    fake = FakeHub(model.repo_id, {name: f"{name}\n".encode() * 1000 for name in model.files})
    monkeypatch.setenv("HF_ENDPOINT", fake.url)
    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.delenv("SOUNDPATH_FASTER_WHISPER_MODEL_PATH", raising=False)
    try:
        assert not FasterWhisperHubRecognizer.availability().available
        call_command("models", "pull", "whisper-small-ct2")
        found = FasterWhisperHubRecognizer.availability()
        assert found.available and found.weights_path.endswith("hub/whisper-small-ct2")
    finally:
        fake.server.shutdown()
