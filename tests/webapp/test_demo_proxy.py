"""The page processes' proxy to the one demo process (webapp/proxy.py), against a small upstream
app on a unix socket: answers stream chunk by chunk, an abandoned stream is dropped upstream,
bodies and headers go through, dot segments and an absent upstream are answered by the proxy."""

import asyncio
import contextlib
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from tests.processes import free_port
from webapp.proxy import DemoProxy, has_dot_segment

WAIT_S = 30  # a safety net so a broken proxy fails the test instead of hanging it; not a timing check


class Upstream:
    """ASGI app standing in for the demo process: /stream sends one event and holds the stream
    open until the test says so (or the client goes); /echo returns what it received."""

    def __init__(self):
        self.release = threading.Event()
        self.saw_disconnect = threading.Event()
        self.requests: list[dict] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.requests.append({**scope, "body": body})
        if scope["path"] == "/demos/x/stream":
            await self._stream(receive, send)
            return
        start = {"type": "http.response.start", "status": 201, "headers": [(b"x-upstream", b"yes")]}
        await send(start)
        await send({"type": "http.response.body", "body": b"echo:" + body})

    async def _stream(self, receive, send):
        headers = [(b"content-type", b"text/event-stream")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"data: first\n\n", "more_body": True})
        waiter = asyncio.ensure_future(receive())
        while not self.release.is_set():
            if waiter.done() and waiter.result()["type"] == "http.disconnect":
                self.saw_disconnect.set()
                return
            await asyncio.sleep(0.02)
        await send({"type": "http.response.body", "body": b"data: last\n\n"})


@contextlib.contextmanager
def serving(app, **where) -> Iterator[None]:
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", **where))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT_S
    while not server.started:
        assert time.monotonic() < deadline, "test server did not start"
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(WAIT_S)


@pytest.fixture
def proxied() -> Iterator[tuple[str, Upstream]]:
    """(base URL of a proxy, the upstream it forwards to on a unix socket)."""
    upstream = Upstream()
    with tempfile.TemporaryDirectory() as folder:
        socket_path = str(Path(folder) / "up.sock")
        port = free_port()
        # proxy_headers off: the test client's own X-Forwarded-For must reach the proxy unread.
        proxy = DemoProxy(socket_path=socket_path)
        with serving(upstream, uds=socket_path), serving(proxy, port=port, proxy_headers=False):
            yield f"http://127.0.0.1:{port}", upstream
        upstream.release.set()


def test_event_stream_arrives_before_the_upstream_finishes(proxied):
    base, upstream = proxied
    with httpx.stream("GET", f"{base}/demos/x/stream", timeout=WAIT_S) as response:
        lines = response.iter_lines()
        first = next(lines)  # a buffering proxy would wait for "last", which needs this line first
        upstream.release.set()
        rest = [line for line in lines if line]

    assert response.status_code == 200 and response.headers["content-type"] == "text/event-stream"
    assert first == "data: first" and rest == ["data: last"]


def test_abandoned_event_stream_is_dropped_upstream(proxied):
    base, upstream = proxied
    with httpx.stream("GET", f"{base}/demos/x/stream", timeout=WAIT_S) as response:
        assert next(response.iter_lines()) == "data: first"
    # The client has gone; the upstream sees its request end without being released.

    assert upstream.saw_disconnect.wait(WAIT_S)
    assert not upstream.release.is_set()


def test_body_path_query_and_forwarded_headers_reach_the_upstream(proxied):
    base, upstream = proxied
    body = b"x" * 200_000  # several chunks
    response = httpx.post(
        f"{base}/demos/x/gradio_api/upload?upload_id=a%2Fb",
        content=body,
        headers={
            "host": "soundpath.example",
            "x-forwarded-for": "6.6.6.6",
            "cookie": "sessionid=abc",
            "expect": "100-continue",
        },
        timeout=WAIT_S,
    )

    assert response.status_code == 201 and response.headers["x-upstream"] == "yes"
    assert response.content == b"echo:" + body
    [seen] = upstream.requests
    headers = dict(seen["headers"])
    assert seen["raw_path"] == b"/demos/x/gradio_api/upload" and seen["query_string"] == b"upload_id=a%2Fb"
    assert seen["method"] == "POST" and seen["body"] == body
    assert headers[b"host"] == b"soundpath.example" and headers[b"cookie"] == b"sessionid=abc"
    # The browser cannot choose the address the demo process believes: the proxy writes it.
    assert headers[b"x-forwarded-for"] == b"127.0.0.1" and headers[b"x-forwarded-proto"] == b"http"
    assert b"expect" not in headers  # answered by the proxy's own server (curl sends it past 1 MB)


def raw_get(base: str, target: str) -> tuple[int, bytes]:
    """GET exactly `target` (an HTTP client would resolve the dot segments before sending)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=WAIT_S) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize(
    "target",
    [
        "/demos/x/../../etc/passwd",
        "/demos/x/%2e%2e/%2e%2e/etc/passwd",
        "/demos/x/gradio_api/file=..%2F..%2Fetc%2Fpasswd",
        "/demos/x/%252e%252e/secret",
        "/demos/x/.\\..\\secret",
    ],
)
def test_dot_segments_are_refused_before_the_upstream(proxied, target):
    base, upstream = proxied

    status, body = raw_get(base, target)

    assert status == 404 and b"root:" not in body
    assert upstream.requests == []


def test_dot_segment_check_leaves_ordinary_paths_alone():
    assert not has_dot_segment("/demos/asr/gradio_api/file=/tmp/soundpath/a.b/clip..wav")
    assert not has_dot_segment("/demos/asr/assets/index-3f2a.js")
    assert has_dot_segment("/demos/asr/%2E%2E/x")


def test_absent_demo_process_answers_503_with_retry_after():
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        with serving(DemoProxy(socket_path=str(Path(folder) / "none.sock")), port=port):
            response = httpx.get(f"http://127.0.0.1:{port}/demos/asr/", timeout=WAIT_S)

    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    assert "The demos are starting" in response.text
