"""Attack: fill the disk. The old guard read only Content-Length, so a chunked body went through
and Django spooled it to disk; Gradio's upload took many large files per request without an
account. Each is replayed here against the real server (and Django's ASGI handler in-process for
the spool check)."""

import asyncio
import socket
import tempfile
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.conf import settings

from tests.security.conftest import MAX_FILES, UPLOAD_LIMIT, signed_in_cookies, stored_files
from webapp.middleware import RequestSizeLimitMiddleware

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

UPLOAD = "/demos/fundamentals/gradio_api/upload"


def wav_part(name: str, size: int = 1000) -> tuple:
    return ("files", (name, b"RIFF" + b"\0" * (size - 4), "audio/wav"))


def test_anonymous_upload_is_refused_and_nothing_is_stored(server, upload_dir):
    before = stored_files(upload_dir)

    response = httpx.post(server + UPLOAD, files=[wav_part("a.wav")], timeout=30)

    assert response.status_code == 401 and "Sign in" in response.text
    assert stored_files(upload_dir) == before


def test_signed_in_upload_is_stored_in_the_upload_folder(server, upload_dir):
    response = httpx.post(
        server + UPLOAD, files=[wav_part("mine.wav")], cookies=signed_in_cookies(), timeout=30
    )

    assert response.status_code == 200
    [stored] = response.json()
    assert stored.endswith("mine.wav") and stored.startswith(str(upload_dir))


def test_too_many_files_in_one_upload_are_refused_and_none_kept(server, upload_dir):
    before = stored_files(upload_dir)
    files = [wav_part(f"clip{n}.wav", 2000 + n) for n in range(MAX_FILES + 1)]

    response = httpx.post(server + UPLOAD, files=files, cookies=signed_in_cookies(), timeout=30)

    assert response.status_code == 413 and f"At most {MAX_FILES} files" in response.text
    assert stored_files(upload_dir) == before


def test_upload_without_a_declared_length_is_refused_before_storing(server, upload_dir):
    before = stored_files(upload_dir)
    body = b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.wav"\r\n\r\nRIFF\r\n--b--\r\n'
    headers = {"content-type": "multipart/form-data; boundary=b"}

    response = httpx.post(
        server + UPLOAD, content=iter([body]), headers=headers, cookies=signed_in_cookies(), timeout=30
    )

    assert response.status_code == 411
    assert stored_files(upload_dir) == before


def raw_post(base: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, str]:
    """POST over a plain socket, sending exactly `body` and then reading the answer: the client never
    sends more than the server reads, so the server's early close cannot reset the connection and
    lose the answer (an HTTP client library would keep sending the rest of a refused body)."""
    host, port = base.removeprefix("http://").split(":")
    head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    with socket.create_connection((host, int(port)), timeout=60) as conn:
        conn.sendall(head.encode() + body)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.decode("latin-1")


def test_declared_length_over_the_limit_is_refused_before_reading(server, upload_dir):
    before = stored_files(upload_dir)
    cookie = "; ".join(f"{k}={v}" for k, v in signed_in_cookies().items())
    too_big = UPLOAD_LIMIT + settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    headers = {
        "Content-Length": str(too_big),
        "Content-Type": "multipart/form-data; boundary=b",
        "Cookie": cookie,
    }

    status, text = raw_post(server, UPLOAD, headers)  # the headers only: no byte of the body is needed

    assert status == 413 and "too large" in text
    assert stored_files(upload_dir) == before


@pytest.mark.parametrize("path", ["/accounts/login/", "/demos/asr/gradio_api/queue/join"])
def test_chunked_body_over_the_limit_is_cut_off_with_413(server, upload_dir, path):
    """A body without a declared length, just past the limit and never finished: answered 413."""
    before = stored_files(upload_dir)
    piece = b"x" * 65536
    pieces = settings.FILE_UPLOAD_MAX_MEMORY_SIZE // len(piece) + 1
    body = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(pieces))  # no final 0-chunk

    status, text = raw_post(server, path, {"Transfer-Encoding": "chunked"}, body)

    assert status == 413 and "too large" in text
    assert stored_files(upload_dir) == before


def test_chunked_body_over_the_limit_never_reaches_django_spool_on_disk(monkeypatch):
    """Django's ASGI handler spools a body into a SpooledTemporaryFile that moves to disk past
    FILE_UPLOAD_MAX_MEMORY_SIZE; the guard stops a chunked body before that, and the view never runs."""
    from django.core.asgi import get_asgi_application
    from django.core.handlers import asgi as django_asgi

    rolled_over: list[int] = []

    class WatchedSpool(tempfile.SpooledTemporaryFile):
        def rollover(self):
            rolled_over.append(self.tell())
            super().rollover()

    monkeypatch.setattr(django_asgi.tempfile, "SpooledTemporaryFile", WatchedSpool)
    app = RequestSizeLimitMiddleware(
        get_asgi_application(), max_bytes=10 * settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
        max_unannounced_bytes=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
    )  # fmt: skip
    pieces = [b"x" * 65536] * (4 * settings.FILE_UPLOAD_MAX_MEMORY_SIZE // 65536)
    pulled = {"n": 0}

    async def receive():
        pulled["n"] += 1
        if pulled["n"] > len(pieces):
            return {"type": "http.disconnect"}
        return {
            "type": "http.request",
            "body": pieces[pulled["n"] - 1],
            "more_body": pulled["n"] < len(pieces),
        }

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/accounts/login/", "raw_path": b"/accounts/login/",
             "query_string": b"", "headers": [(b"host", b"testserver")], "server": ("testserver", 80),
             "client": ("127.0.0.1", 1), "scheme": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "root_path": ""}  # fmt: skip
    # A thread of its own: the browser tests' Playwright loop may be running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()

    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert rolled_over == []  # nothing was written to disk
    # Kept up to the limit; past it, at most a bounded amount is read and dropped (the lingering close).
    assert pulled["n"] * 65536 <= 2 * settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 2 * 65536


def test_the_rest_of_a_refused_body_is_read_before_the_413_goes_out():
    """A client still sending when the 413 goes out would see the server's close as a reset (the
    kernel resets a socket closed with unread bytes), which can overtake the answer. What it still
    sends is read and dropped first; once it stops sending, the 413 goes out."""
    limit = 4 * 65536
    app = RequestSizeLimitMiddleware(lambda *args: None, max_bytes=10 * limit, max_unannounced_bytes=limit)
    pieces = [b"x" * 65536] * 7  # past the limit, and never finished: the client then waits
    events: list[str] = []

    async def receive():
        if len(events) < len(pieces):
            events.append("read")
            return {"type": "http.request", "body": pieces[len(events) - 1], "more_body": True}
        await asyncio.Event().wait()  # the client sends nothing more and waits for the answer

    async def send(message):
        events.append(message["type"])

    scope = {"type": "http", "method": "POST", "path": "/x", "headers": [(b"transfer-encoding", b"chunked")]}
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()

    assert events == ["read"] * 7 + ["http.response.start", "http.response.body"]
