"""Production settings: no secret, no start; with one, Django's deployment checks pass."""

import subprocess
import sys

from tests.processes import ROOT

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "webapp.settings.production",
    "ALLOWED_HOSTS": "soundpath.example.org",
    "PATH": "/usr/bin:/bin",
    "SOUNDPATH_VAR_DIR": str(ROOT / "var"),
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", env=PRODUCTION_ENV)

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_passes_deploy_checks():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "x7!" + "k" * 20 + "q9#Zr2@Lm5$Tn8^Vb1&Hc4*Jd6(Pf3)Ws0"}

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
