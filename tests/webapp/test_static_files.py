"""Static files as the platform serves them (DEBUG off, after collectstatic): hashed names, gzip and
Brotli copies, and a far-future immutable Cache-Control on the hashed URL — checked in a child process
with the platform's own settings (the test settings keep plain names)."""

import gzip
import json
import os
import subprocess
import sys

from tests.processes import ROOT

PROBE = """
import gzip
import json
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
url = static("css/app.css")
client = Client()
hashed = client.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
plain = client.get("/static/css/app.css")
print(json.dumps({"url": url, "status": hashed.status_code, "cache": hashed["Cache-Control"],
                  "encoding": hashed.get("Content-Encoding", ""), "plain_cache": plain["Cache-Control"]}))
"""


def test_static_files_are_hashed_compressed_and_cached_far_ahead(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "webapp.settings.base", "SOUNDPATH_VAR_DIR": str(tmp_path),
           "STATIC_ROOT": str(tmp_path / "static"), "SECRET_KEY": "static-files-test", "DEBUG": "false"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])

    assert found["url"].startswith("/static/css/app.") and found["url"] != "/static/css/app.css"
    assert found["status"] == 200
    assert found["encoding"] == "br"
    assert "immutable" in found["cache"] and "max-age=315360000" in found["cache"]
    assert "immutable" not in found["plain_cache"]  # an unhashed name may change: short lifetime
    assert (tmp_path / "static" / "staticfiles.json").exists()


def _static_app(folder):
    import brotli
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.testclient import TestClient

    from webapp.static_files import CompressedStaticFiles

    css = b"body { color: #123456; }\n" * 40
    (folder / "app.css").write_bytes(css)
    (folder / "app.0123456789ab.css").write_bytes(css)
    (folder / "app.0123456789ab.css.gz").write_bytes(gzip.compress(css))
    (folder / "app.0123456789ab.css.br").write_bytes(brotli.compress(css))
    app = Starlette(
        routes=[Mount("/static", app=CompressedStaticFiles(directory=folder))]
    )  # as asgi.py mounts it
    return TestClient(app), css


def test_asgi_static_mount_serves_the_compressed_copy_the_browser_takes(tmp_path):
    client, css = _static_app(tmp_path)

    brotli = client.get("/static/app.0123456789ab.css", headers={"Accept-Encoding": "br, gzip"})
    gzipped = client.get("/static/app.0123456789ab.css", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/static/app.0123456789ab.css", headers={"Accept-Encoding": "identity"})

    assert (brotli.status_code, brotli.headers["content-encoding"]) == (200, "br")
    assert brotli.headers["content-type"].startswith("text/css") and brotli.content == css
    assert gzipped.headers["content-encoding"] == "gzip" and gzipped.content == css  # decoded by the client
    assert "content-encoding" not in plain.headers and plain.content == css
    assert all(r.headers["vary"] == "Accept-Encoding" for r in (brotli, gzipped, plain))


def test_asgi_static_mount_caches_hashed_names_for_years_and_plain_names_briefly(tmp_path):
    client, _ = _static_app(tmp_path)

    hashed = client.get("/static/app.0123456789ab.css")
    plain = client.get("/static/app.css", headers={"Accept-Encoding": "br"})  # no compressed copy: the file

    assert hashed.headers["cache-control"] == "public, max-age=315360000, immutable"
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    assert plain.headers["cache-control"] == "public, max-age=60"
    assert client.get("/static/missing.css").status_code == 404
