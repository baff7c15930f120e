"""The ASGI app of the page processes (`webapp/serve.py` starts several): static files and Django,
with every demo path handed to the one demo process (`webapp.asgi:application` on a private unix
socket, named by SOUNDPATH_DEMO_SOCKET) through a streaming proxy. Gradio is never imported here."""

import os
import re

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings.base")

from django.conf import settings
from django.core.asgi import get_asgi_application

django_app = get_asgi_application()  # first: sets Django up before anything imports models

# /demos/<slug> and everything under it; /demos/ itself is Django's index of the demos.
DEMO_PATH = re.compile(r"^/demos/[^/]+")


def build_application(*, demo_socket: str | None):
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from webapp.middleware import request_size_limited
    from webapp.proxy import DemoProxy
    from webapp.static_files import static_files_app

    pages = Starlette(routes=[Mount("/static", static_files_app()), Mount("/", django_app)])
    if not demo_socket:
        return request_size_limited(pages)
    proxy = DemoProxy(socket_path=demo_socket)

    async def application(scope, receive, send):
        if scope["type"] in ("http", "websocket") and DEMO_PATH.match(scope["path"]):
            await proxy(scope, receive, send)
        else:
            await pages(scope, receive, send)

    # The demo process applies the demo guards (upload sign-in and file count, headers) itself.
    return request_size_limited(application)


application = build_application(
    demo_socket=os.environ.get("SOUNDPATH_DEMO_SOCKET") if settings.DEMOS_ENABLED else None
)
