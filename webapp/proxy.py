"""A small streaming ASGI reverse proxy: the page processes hand /demos/<slug>/… to the one demo
process on its private unix socket (webapp/serve.py). Gradio's queue lives in one process, so every
demo request must reach that same process; the Django pages run in several.

Requests and answers stream both ways (uploads in, Server-Sent Events out, chunk by chunk), and the
upstream request is dropped as soon as the browser goes away, so an abandoned event stream holds
nothing open. The path is forwarded byte for byte (`raw_path`), so the demo process routes and
guards exactly what the browser sent; dot segments are refused here first.
"""

import logging
from urllib.parse import unquote

import anyio
import httpx

log = logging.getLogger(__name__)

# Meaningful for one connection only (RFC 9110 §7.6.1); uvicorn writes its own date and server.
HOP_BY_HOP = frozenset(
    {
        b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te", b"trailer",
        b"transfer-encoding", b"upgrade",
    }
)  # fmt: skip
# X-Forwarded-* are set by the proxy itself; Expect: 100-continue was answered by this server already.
NOT_FORWARDED_UP = HOP_BY_HOP | {b"x-forwarded-for", b"x-forwarded-proto", b"expect"}
NOT_FORWARDED_DOWN = HOP_BY_HOP | {b"date", b"server"}
UNAVAILABLE_PAGE = (
    b"<!doctype html><title>Demos starting</title><h1>The demos are starting</h1>"
    b"<p>They take a moment after the server starts. Try again in a few seconds.</p>"
)
UNAVAILABLE_RETRY_AFTER = b"5"  # seconds: the demo process builds every demo before it listens


class _ClientGone(Exception):
    """The browser disconnected while its request body was being forwarded."""


def has_dot_segment(path: str) -> bool:
    """`.` or `..` as a path segment once percent-decoding is undone (twice: %252e too)."""
    decoded = unquote(unquote(path))
    return any(segment in (".", "..") for segment in decoded.replace("\\", "/").split("/"))


class DemoProxy:
    """ASGI app forwarding HTTP requests to an HTTP server on a unix socket."""

    def __init__(self, *, socket_path: str):
        # httpx logs every request at INFO: a second line for each one uvicorn's access log has.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        self.socket_path = socket_path
        self.client = httpx.AsyncClient(
            transport=httpx.AsyncHTTPTransport(uds=socket_path),
            # No read timeout: an event stream stays open while a job runs (Gradio sends heartbeats).
            timeout=httpx.Timeout(connect=5.0, read=None, write=60.0, pool=30.0),
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=32),
        )

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":  # the demos use no WebSockets (Gradio's queue is SSE)
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            return
        raw_path = scope.get("raw_path") or scope["path"].encode()
        if has_dot_segment(raw_path.decode("latin-1")):
            await _respond(send, 404, b"Not found.", [(b"content-type", b"text/plain; charset=utf-8")])
            return
        request = self._upstream_request(scope, receive, raw_path)
        try:
            response = await self.client.send(request, stream=True)
        except _ClientGone:
            return
        except httpx.TransportError as exc:
            log.warning("demo process unreachable at %s: %s", self.socket_path, exc)
            headers = [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"retry-after", UNAVAILABLE_RETRY_AFTER),
            ]
            await _respond(send, 503, UNAVAILABLE_PAGE, headers)
            return
        try:
            await self._stream_back(response, receive, send)
        finally:
            await response.aclose()

    def _upstream_request(self, scope, receive, raw_path: bytes) -> httpx.Request:
        headers = [(k, v) for k, v in scope["headers"] if k not in NOT_FORWARDED_UP]
        client = scope.get("client")
        if client:
            headers.append((b"x-forwarded-for", client[0].encode("latin-1")))
        headers.append((b"x-forwarded-proto", scope.get("scheme", "http").encode("latin-1")))
        names = {k for k, _ in scope["headers"]}
        has_body = b"transfer-encoding" in names or any(
            k == b"content-length" and v.strip() not in (b"", b"0") for k, v in scope["headers"]
        )

        async def body():
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise _ClientGone
                yield message.get("body", b"")
                if not message.get("more_body", False):
                    return

        query = scope.get("query_string", b"")
        target = raw_path + (b"?" + query if query else b"")
        # The URL's host is a placeholder (the socket is the address); the browser's Host header is
        # forwarded, so Gradio builds its URLs for the address the browser used.
        url = httpx.URL("http://demo-process", raw_path=target)
        return self.client.build_request(
            scope["method"], url, headers=headers, content=body() if has_body else None
        )

    @staticmethod
    async def _stream_back(response: httpx.Response, receive, send) -> None:
        headers = [(k.lower(), v) for k, v in response.headers.raw if k.lower() not in NOT_FORWARDED_DOWN]
        await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
        async with anyio.create_task_group() as group:

            async def cancel_on_disconnect() -> None:
                while (await receive())["type"] != "http.disconnect":
                    pass  # the rest of a body the demo process did not read
                group.cancel_scope.cancel()

            group.start_soon(cancel_on_disconnect)
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            group.cancel_scope.cancel()


async def _respond(send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
