"""The embedded default's SQLite connection: WAL (readers don't wait for a writer) and a busy timeout,
checked on a real SQLite file opened by the platform's own settings in a child process."""

import json
import os
import subprocess
import sys

from tests.processes import ROOT

PROBE = """
import json
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_ms = cursor.fetchone()[0]
    cursor.execute("PRAGMA synchronous")
    synchronous = cursor.fetchone()[0]
print(json.dumps({"mode": mode, "busy_ms": busy_ms, "synchronous": synchronous}))
"""


def _probe(tmp_path, **extra_env: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "webapp.settings.base", "SOUNDPATH_VAR_DIR": str(tmp_path),
           "SECRET_KEY": "sqlite-default-test", **extra_env}  # fmt: skip
    env.pop("DATABASE_URL", None)  # the embedded default, as `make run` starts it
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_sqlite_default_uses_wal_with_a_busy_timeout(tmp_path):
    found = _probe(tmp_path)

    assert found == {"mode": "wal", "busy_ms": 20_000, "synchronous": 1}  # 1 = NORMAL
    assert (tmp_path / "soundpath.sqlite3").exists()


def test_sqlite_busy_timeout_follows_its_setting(tmp_path):
    assert _probe(tmp_path, SQLITE_BUSY_TIMEOUT_S="5")["busy_ms"] == 5_000
