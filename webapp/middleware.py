"""Security headers: a Content-Security-Policy for Django pages, and the headers the Gradio demos
get in the ASGI app (they are not Django responses, so Django's middleware never sees them); and a
short 503 page while the database cannot be reached; and the ASGI guards in front of everything: a
bounded request body, and sign-in, declared size and a file count for demo uploads."""

import asyncio
import json
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware:
    """Adds CONTENT_SECURITY_POLICY and PERMISSIONS_POLICY to every Django response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


DATABASE_UNAVAILABLE_RETRY_AFTER = 10  # seconds: a database restart or fail-over takes about that long
DATABASE_UNAVAILABLE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Soundpath is briefly unavailable</title></head>
<body><h1>Soundpath is briefly unavailable</h1>
<p>The database cannot be reached right now. Nothing you saved is lost; try again in a few seconds.</p>
</body></html>
"""


class DatabaseUnavailableMiddleware:
    """Turns a lost database (connection refused or dropped) into a short 503 page with
    Retry-After instead of a 500 with a traceback. Last in MIDDLEWARE, so its process_exception
    is asked first; Django closes the broken connection at the end of the request and the next
    request connects afresh (CONN_HEALTH_CHECKS)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.warning("database unavailable for %s %s: %s", request.method, request.path, exception)
        response = HttpResponse(
            DATABASE_UNAVAILABLE_PAGE, status=503, content_type="text/html; charset=utf-8"
        )
        response["Retry-After"] = str(DATABASE_UNAVAILABLE_RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response


# Demos may be framed only by our own pages; Gradio needs inline scripts and styles of its own.
DEMO_HEADERS = [
    (b"content-security-policy", b"frame-ancestors 'self'; object-src 'none'; base-uri 'self'"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"microphone=(self), camera=(), geolocation=()"),
]


class DemoHeadersMiddleware:
    """ASGI middleware: adds DEMO_HEADERS to every HTTP response under /demos/<slug>/."""

    def __init__(self, app, prefix: str = "/demos/"):
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope, receive, send):
        if (
            scope["type"] != "http"
            or not scope["path"].startswith(self.prefix)
            or scope["path"] == self.prefix
        ):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in DEMO_HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _too_large_page(max_bytes: int) -> bytes:
    return (
        "<!doctype html><title>Too large</title><h1>That upload is too large</h1>"
        f"<p>The limit is {max_bytes / 1e6:.0f} MB. Choose a shorter recording.</p>"
    ).encode()


async def _respond(send, status: int, body: bytes, content_type: bytes = b"text/html; charset=utf-8") -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope, name: bytes) -> bytes | None:
    return dict(scope.get("headers", [])).get(name)


def _content_length(scope) -> int | None:
    declared = _header(scope, b"content-length")
    return int(declared) if declared is not None and declared.isdigit() else None


async def _body_within(receive, max_bytes: int) -> bytes | None:
    """The whole request body, or None once it passes `max_bytes` (or the client goes away)."""
    parts, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        size += len(message.get("body", b""))
        if size > max_bytes:
            return None
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(parts)


async def _drain_refused_body(receive, *, max_bytes: int, idle_s: float = 0.25, max_s: float = 2.0) -> None:
    """Read and drop what the client still sends of a refused body, for a bounded time and size,
    before the 413 goes out. The server closes the connection after that answer; closing a socket
    with unread bytes in it makes the kernel send a reset, which can reach the client before the
    413 does (the client sees "connection reset", not the reason). A lingering close, as HTTP
    servers do."""
    loop = asyncio.get_running_loop()
    deadline, drained = loop.time() + max_s, 0
    while drained <= max_bytes:
        timeout = min(idle_s, deadline - loop.time())
        if timeout <= 0:
            return
        try:
            message = await asyncio.wait_for(receive(), timeout)
        except TimeoutError:
            return  # the client has stopped sending (and waits for the answer)
        if message["type"] != "http.request":
            return
        drained += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _replayed(body: bytes, receive):
    """A receive that gives the body read ahead once, then whatever the client says next (its
    disconnect)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay():
        return pending.pop() if pending else await receive()

    return replay


class RequestSizeLimitMiddleware:
    """ASGI middleware, outermost: bounds every request body for Django and Gradio alike. A declared
    Content-Length past `max_bytes` is refused before a byte is read; every body is also counted as
    it arrives. One without a declared length (chunked) is read whole first, in memory, up to
    `max_unannounced_bytes` (below Django's in-memory spool size, so it never reaches the disk): past
    that the app never runs, whether or not it would have read the body (Django's WSGI handler reads
    none without a declared length). Past a limit the app is told the client went away, whatever
    it started to answer is dropped, and the client gets 413 once what it still sends of the body begun
    has been read and dropped for a moment (see `_drain_refused_body`). Browsers always declare the length of
    a form or file upload."""

    def __init__(self, app, max_bytes: int, max_unannounced_bytes: int | None = None):
        self.app = app
        self.max_bytes = max_bytes
        self.max_unannounced_bytes = max_bytes if max_unannounced_bytes is None else max_unannounced_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _respond(send, 413, _too_large_page(self.max_bytes))
            return
        if declared is None and _header(scope, b"transfer-encoding") is not None:
            body = await _body_within(receive, self.max_unannounced_bytes)
            if body is None:
                log.info("chunked body past %d bytes refused: %s %s", self.max_unannounced_bytes,
                         scope.get("method"), scope["path"])  # fmt: skip
                await _drain_refused_body(receive, max_bytes=self.max_unannounced_bytes)
                await _respond(send, 413, _too_large_page(self.max_unannounced_bytes))
                return
            receive = _replayed(body, receive)
        limit = self.max_bytes if declared is not None else self.max_unannounced_bytes
        state = {"received": 0, "over": False, "started": False}

        async def counting_receive():
            if state["over"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["over"] = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message):
            if state["over"]:
                return  # the app's answer to a cut-off body (an error page) is replaced by the 413
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not state["over"]:
                raise
            log.info("request body past %d bytes cut off: %s %s", limit, scope.get("method"), scope["path"])
        if state["over"] and not state["started"]:
            await _drain_refused_body(receive, max_bytes=self.max_unannounced_bytes)
            await _respond(send, 413, _too_large_page(limit))


def request_size_limited(app) -> RequestSizeLimitMiddleware:
    """`app` behind the request size limit of the settings: the largest upload plus a form."""
    largest_request = settings.JOB_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # A body without a declared length stays under Django's in-memory spool size: never on disk.
    return RequestSizeLimitMiddleware(
        app, max_bytes=largest_request, max_unannounced_bytes=settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    )


# /demos/<slug>/gradio_api/upload (and Gradio's older /upload): where demo files are stored.
DEMO_UPLOAD_PATH = re.compile(r"^/demos/[a-z0-9-]+/(gradio_api/)?upload/?$")
DEMO_FILE_URL_PATH = re.compile(r"^/demos/[a-z0-9-]+/gradio_api/file=(https?:|//)", re.IGNORECASE)


class DemoUploadGuardMiddleware:
    """ASGI middleware for the Gradio demos' upload route: a signed-in user (Django's own session
    validation), a declared Content-Length (so the size check happens before anything is stored) and
    at most `max_files` files per request (a request with more is refused and what Gradio stored for
    it is deleted). Also refuses `file=<URL>`, which would make the server fetch other sites."""

    def __init__(self, app, *, max_files: int, upload_dir):
        self.app = app
        self.max_files = max_files
        self.upload_dir = upload_dir

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if DEMO_FILE_URL_PATH.match(path):
            await _respond(send, 403, b"Not served here.", b"text/plain; charset=utf-8")
            return
        if not DEMO_UPLOAD_PATH.match(path) or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        from django.http import parse_cookie

        from webapp.sessions import asession_user

        cookies = parse_cookie(dict(scope.get("headers", [])).get(b"cookie", b"").decode("latin-1"))
        if await asession_user(session_key=cookies.get(settings.SESSION_COOKIE_NAME)) is None:
            await _respond(send, 401, b"Sign in to upload files to the demos.", b"text/plain; charset=utf-8")
            return
        if _content_length(scope) is None:
            await _respond(
                send, 411, b"Uploads must declare their Content-Length.", b"text/plain; charset=utf-8"
            )
            return
        messages: list[dict] = []

        async def hold(message):  # Gradio's answer (a short JSON list of stored paths) waits for the count
            messages.append(message)

        await self.app(scope, receive, hold)
        stored = self._stored_paths(messages)
        if len(stored) > self.max_files:
            for stored_path in stored:
                self._delete(stored_path)
            body = f"At most {self.max_files} files per upload.".encode()
            await _respond(send, 413, body, b"text/plain; charset=utf-8")
            return
        for message in messages:
            await send(message)

    @staticmethod
    def _stored_paths(messages: list[dict]) -> list[str]:
        start = next((m for m in messages if m["type"] == "http.response.start"), None)
        if start is None or start["status"] != 200:
            return []
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        try:
            paths = json.loads(body)
        except ValueError:
            return []
        return [p for p in paths if isinstance(p, str)] if isinstance(paths, list) else []

    def _delete(self, stored_path: str) -> None:
        real = Path(os.path.realpath(stored_path))
        if real.is_relative_to(self.upload_dir) and real.is_file():
            real.unlink()
