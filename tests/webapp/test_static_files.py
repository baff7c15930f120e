"""Static files as the platform serves them (DEBUG off, after collectstatic): hashed names, gzip and
Brotli copies, and a far-future immutable Cache-Control on the hashed URL — checked in a child process
with the platform's own settings (the test settings keep plain names)."""

import json
import os
import subprocess
import sys

from tests.processes import ROOT

PROBE = """
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
