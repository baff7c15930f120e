"""Safe defaults of `make run`: a random SECRET_KEY kept in var/ (0600), DEBUG off, static finders off in
production, rate limits counted in a shared cache."""

import json
import stat
import subprocess
import sys

from tests.processes import ROOT
from webapp.settings.secret_key import secret_key_load_or_create

SHOW = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'key': s.SECRET_KEY, 'debug': s.DEBUG, 'finders': s.WHITENOISE_USE_FINDERS, "
    "'cache': s.CACHES['default']['BACKEND']}))"
)


def _settings(module: str, var_dir, **env: str) -> dict:
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": module,
        "SOUNDPATH_VAR_DIR": str(var_dir),
    }
    done = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env={**environment, **env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_secret_key_is_made_once_and_readable_by_its_owner_only(tmp_path):
    first = secret_key_load_or_create(var_dir=tmp_path)
    again = secret_key_load_or_create(var_dir=tmp_path)

    path = tmp_path / "secret-key"
    assert first == again == path.read_text().strip()
    assert len(first) >= 80
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key_load_or_create(var_dir=tmp_path / "other") != first  # random, not a constant


def test_embedded_default_has_its_own_key_and_no_debug(tmp_path):
    shown = _settings("webapp.settings.base", tmp_path)

    assert shown["key"] == (tmp_path / "secret-key").read_text().strip()
    assert "insecure" not in shown["key"]
    assert shown["debug"] is False and shown["finders"] is False
    assert shown["cache"] == "webapp.db_cache.SingleStatementDatabaseCache"  # a table every process shares


def test_debug_only_when_asked_for_and_never_in_production(tmp_path):
    assert _settings("webapp.settings.base", tmp_path, DEBUG="true")["finders"] is True

    production = _settings(
        "webapp.settings.production", tmp_path, DEBUG="true", SECRET_KEY="k" * 60, ALLOWED_HOSTS="example.org"
    )

    assert production["debug"] is False
    assert production["finders"] is False  # was True: base evaluated it before production turned DEBUG off
    assert production["key"] == "k" * 60


def test_rate_limits_count_in_redis_where_the_broker_is_redis(tmp_path):
    shown = _settings("webapp.settings.base", tmp_path, CELERY_BROKER_URL="redis://127.0.0.1:6379/3")

    assert shown["cache"] == "webapp.redis_cache.ProcessSharedRedisCache"
