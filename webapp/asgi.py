"""The one ASGI app: Gradio demos under /demos/<slug>/, static files, and Django for the rest."""

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
    from starlette.staticfiles import StaticFiles

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    # Files come from `manage.py collectstatic`; an empty folder answers 404s rather than 500s.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    app.mount("/static", StaticFiles(directory=settings.STATIC_ROOT), name="static")
    if settings.DEMOS_ENABLED:
        import gradio as gr

        from demos.page import gradio_page_options
        from demos.registry import available_demo_slugs, build_demo

        for slug in sorted(available_demo_slugs()):
            # Without the slash the request would fall through to Django's 404.
            app.add_api_route(f"/demos/{slug}", _redirect_to(f"/demos/{slug}/"), include_in_schema=False)
            # An explicit root path: without it, file URLs of examples lose the /demos/<slug> prefix.
            # Gradio refuses (413) an upload past the jobs' size limit while it streams in.
            gr.mount_gradio_app(
                app, build_demo(slug), path=f"/demos/{slug}", root_path=f"/demos/{slug}",
                max_file_size=settings.JOB_UPLOAD_MAX_BYTES, **gradio_page_options(),
            )  # fmt: skip
    app.mount("/", django_app)
    from webapp.middleware import DemoHeadersMiddleware, RequestSizeLimitMiddleware

    largest_request = settings.JOB_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return RequestSizeLimitMiddleware(DemoHeadersMiddleware(app), max_bytes=largest_request)


application = build_application()
