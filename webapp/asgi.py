"""The whole ASGI app in one process: Gradio demos under /demos/<slug>/, static files, and Django for
the rest. `make run` (webapp/serve.py) runs it as the one demo process on a private unix socket, behind
the page processes (webapp/asgi_pages.py); on its own under uvicorn it serves everything."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings.base")

from django.conf import settings
from django.core.asgi import get_asgi_application

django_app = get_asgi_application()  # first: sets Django up before anything imports models


def _redirect_to(url: str):
    from fastapi.responses import RedirectResponse

    def redirect() -> RedirectResponse:
        return RedirectResponse(url)

    return redirect


def build_application():
    from fastapi import FastAPI

    from webapp.static_files import static_files_app

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", static_files_app(), name="static")
    upload_dir = None
    if settings.DEMOS_ENABLED:
        from demos.mounting import cache_keep_manifest_write, demo_mount, demo_upload_dir

        upload_dir = demo_upload_dir()
        # Gradio reads its upload folder and cache from the environment whenever it picks them
        # (each Blocks, each App): always DEMO_UPLOAD_DIR, set before any demo is built.
        os.environ.update(GRADIO_TEMP_DIR=str(upload_dir))
        from demos.registry import available_demo_slugs, build_demo

        mounted = []
        for slug in sorted(available_demo_slugs()):
            # Without the slash the request would fall through to Django's 404.
            app.add_api_route(f"/demos/{slug}", _redirect_to(f"/demos/{slug}/"), include_in_schema=False)
            blocks = build_demo(slug)
            demo_mount(app, blocks, slug=slug, upload_dir=upload_dir)
            mounted.append(blocks)
        cache_keep_manifest_write(blocks_list=mounted, upload_dir=upload_dir)
    app.mount("/", django_app)
    from webapp.middleware import DemoHeadersMiddleware, DemoUploadGuardMiddleware, request_size_limited

    inner = DemoHeadersMiddleware(app)
    if upload_dir is not None:
        inner = DemoUploadGuardMiddleware(
            inner, max_files=settings.DEMO_UPLOAD_MAX_FILES, upload_dir=upload_dir
        )
    return request_size_limited(inner)


application = build_application()
