"""Security headers: a Content-Security-Policy for Django pages, and the headers the Gradio demos
get in the ASGI app (they are not Django responses, so Django's middleware never sees them); and a
short 503 page while the database cannot be reached."""

import logging
from collections.abc import Callable

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


class RequestSizeLimitMiddleware:
    """ASGI middleware: refuse a request whose declared body is larger than any upload we accept,
    before a byte of it is read (Django's ASGI handler would first spool it all to disk)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
            if declared.isdigit() and int(declared) > self.max_bytes:
                body = (
                    "<!doctype html><title>Too large</title><h1>That upload is too large</h1>"
                    f"<p>The limit is {self.max_bytes / 1e6:.0f} MB. Choose a shorter recording.</p>"
                ).encode()
                headers = [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ]
                await send({"type": "http.response.start", "status": 413, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
