"""The /static/ mount of the ASGI app: Starlette's StaticFiles, plus what collectstatic prepared —
the Brotli or gzip copy when the browser takes it, and a ten-year immutable lifetime for hashed names."""

import re

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# ManifestStaticFilesStorage names: app.3f2a1b4c5d6e.css (12 hex digits of the content's MD5).
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
IMMUTABLE = "public, max-age=315360000, immutable"  # ten years: a changed file gets a new name
SHORT = "public, max-age=60"  # a plain name may change under the same URL
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))  # preferred first


class CompressedStaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await self._compressed_response(path, scope) or await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = IMMUTABLE if HASHED_NAME.search(path) else SHORT
            response.headers["Vary"] = "Accept-Encoding"
        return response

    async def _compressed_response(self, path: str, scope: Scope) -> Response | None:
        accepted = Headers(scope=scope).get("accept-encoding", "")
        for encoding, suffix in ENCODINGS:
            if encoding not in accepted or path.endswith(suffix):
                continue
            try:
                response = await super().get_response(path + suffix, scope)
            except HTTPException:  # no compressed copy of this file
                continue
            # The copy's type is the original's (mimetypes reads .css.br as text/css, encoding br).
            response.headers["Content-Encoding"] = encoding
            return response
        return None


def static_files_app() -> CompressedStaticFiles:
    """The /static/ app over STATIC_ROOT (`manage.py collectstatic`'s output); an empty folder
    answers 404s rather than 500s."""
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    return CompressedStaticFiles(directory=settings.STATIC_ROOT)
