"""The ASGI size guard answers 413 from the declared length, before any of the body is read."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from webapp.middleware import RequestSizeLimitMiddleware


def _call(content_length: int) -> tuple[list[dict], bool]:
    reached = {"inner": False}

    async def inner(scope, receive, send):
        reached["inner"] = True
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive():
        raise AssertionError("the body must not be read")

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "path": "/jobs/new/asr/",
        "headers": [(b"content-length", str(content_length).encode())],
    }
    app = RequestSizeLimitMiddleware(inner, max_bytes=1000)
    # A thread of its own: the browser tests' Playwright loop may be running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent, reached["inner"]


def test_oversized_request_gets_413_without_reading_the_body():
    sent, reached = _call(5000)

    assert sent[0]["status"] == 413 and not reached
    assert b"too large" in sent[1]["body"]


def test_request_within_the_limit_passes_through():
    sent, reached = _call(999)

    assert reached and sent[0]["status"] == 200
