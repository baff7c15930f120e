"""The ASGI app of the page processes (`webapp/serve.py` starts several): static files and Django,
with every demo path handed to the one demo process (`webapp.asgi:application` on a private unix
socket, named by SOUNDPATH_DEMO_SOCKET) through a streaming proxy. Gradio is never imported here.

Django runs here as a WSGI app on a fixed pool of WEB_THREADS threads (a2wsgi), not through its
ASGI handler: that handler gives every request a thread of its own and hands it between the event
loop and threads several times (asgiref), which cost about 2.5 ms of CPU per request against
Django's whole cached page at about 2 ms (in process, cached roadmap). Its views are all
synchronous, so nothing is lost. And with threads that live on, a SQLite connection per thread
is kept between requests instead of opened, with its pragmas, for each one (PAGE_SQLITE_CONN_MAX_AGE_S).
"""

import gc
import os
import re

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings.base")

from django.conf import settings

# A kept SQLite connection per pool thread: bounded by WEB_THREADS, unlike under ASGI (the demo
# process, the tests), where connections stay per request.
PAGE_SQLITE_CONN_MAX_AGE_S = 300


def _keep_sqlite_connections() -> None:
    """Before Django is set up (its connections read the settings on first use)."""
    for database in settings.DATABASES.values():  # the main file, and the cache's own file
        if database["ENGINE"] == "django.db.backends.sqlite3":
            database["CONN_MAX_AGE"] = PAGE_SQLITE_CONN_MAX_AGE_S


def _request_state_per_thread() -> None:
    """Django keeps each request's cache handles, URL prefix and urlconf, language and time zone
    in asgiref Locals that are not thread-critical: every read takes a lock shared by all the
    process's threads, so that the values can follow a request across sync_to_async hops. Here a
    request runs whole in one pool thread, and with 32 of them under one GIL those locks formed
    convoys: a thread switched out while holding one kept the rest waiting (py-spy: 51 s of thread
    time in 12 s of one process on those locks, and p99 spikes of 2–3 s even for a page from
    Django's cache). Thread-critical Locals are plain thread-locals in these threads: no lock."""
    from asgiref.local import Local
    from django.core.cache import caches
    from django.urls import base as urls_base
    from django.utils import timezone
    from django.utils.translation import trans_real

    caches._connections = Local(thread_critical=True)
    urls_base._prefixes = Local(thread_critical=True)
    urls_base._urlconfs = Local(thread_critical=True)
    trans_real._active = Local(thread_critical=True)
    timezone._active = Local(thread_critical=True)


def _django_pages_app():
    from a2wsgi import WSGIMiddleware
    from django.core.wsgi import get_wsgi_application

    _keep_sqlite_connections()
    application = get_wsgi_application()
    _request_state_per_thread()
    return WSGIMiddleware(application, workers=settings.WEB_THREADS)


django_app = _django_pages_app()  # first: sets Django up before anything imports models

from webapp.warm_up import django_warm_up  # noqa: E402 - needs Django set up

# /demos/<slug> and everything under it; /demos/ itself is Django's index of the demos.
DEMO_PATH = re.compile(r"^/demos/[^/]+")


def build_application(*, demo_socket: str | None):
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from webapp.middleware import request_size_limited
    from webapp.proxy import DemoProxy
    from webapp.static_files import static_files_app

    # Starlette only for /static/ (its 404s and errors); Django's pages go straight to the WSGI
    # bridge: Starlette's routing and error layers cost ~10 % of a cached page's CPU here.
    static = Starlette(routes=[Mount("/static", static_files_app())])
    proxy = DemoProxy(socket_path=demo_socket) if demo_socket else None

    async def application(scope, receive, send):
        path = scope.get("path", "")
        if proxy is not None and scope["type"] in ("http", "websocket") and DEMO_PATH.match(path):
            await proxy(scope, receive, send)
        elif scope["type"] == "http" and not path.startswith("/static/"):
            await django_app(scope, receive, send)
        else:
            await static(scope, receive, send)  # /static/, and lifespan or websocket (refused there)

    # The demo process applies the demo guards (upload sign-in and file count, headers) itself.
    return request_size_limited(application)


application = build_application(
    demo_socket=os.environ.get("SOUNDPATH_DEMO_SOCKET") if settings.DEMOS_ENABLED else None
)
django_warm_up()  # URL patterns, tag libraries and templates: before the first request, not in it
# What start-up loaded (modules, settings, URL patterns) lives as long as the process: frozen, the
# collector stops walking it, and a full collection under load pauses a few ms instead of ~90 ms
# (measured with the 200-learner dashboard's rebuild).
gc.freeze()
