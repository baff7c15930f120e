"""Security headers: a Content-Security-Policy for Django pages, and the headers the Gradio demos
get in the ASGI app (they are not Django responses, so Django's middleware never sees them)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Adds CONTENT_SECURITY_POLICY and PERMISSIONS_POLICY to every Django response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
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
