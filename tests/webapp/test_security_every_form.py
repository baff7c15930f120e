"""Security checks over the whole site rather than page by page: every URL refuses a POST without
a CSRF token, and production settings send HSTS and redirect plain HTTP."""

import json
import re
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from tests.factories import UserFactory
from tests.processes import ROOT

DUMMY = {"int": "1", "uuid": "00000000-0000-4000-8000-000000000001", "slug": "x", "str": "x", "path": "x"}


def _route_urls(patterns=None, prefix: str = "") -> list[str]:
    """Every routed URL of the site, its <converter:name> parts filled with a dummy value."""
    urls = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # the admin's few regex routes (app index) are covered by its route siblings
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            urls += _route_urls(pattern.url_patterns, route)
        else:
            urls.append("/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: DUMMY[m.group(1) or "str"], route))
    return urls


@pytest.mark.django_db
def test_every_url_refuses_a_post_without_csrf_token():
    """CsrfViewMiddleware checks before the view runs, so a 403 here for every route proves no
    view is csrf_exempt; checked as staff, so login redirects hide nothing."""
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory(is_staff=True, is_superuser=True))
    urls = _route_urls()

    accepted = {url: strict.post(url, {"x": "1"}).status_code for url in urls}

    assert len(urls) > 50
    assert {url: code for url, code in accepted.items() if code != 403} == {}


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="soundpath.example.org")
secure = client.get("/accounts/login/", secure=True)
plain = client.get("/accounts/login/")
print(json.dumps({"status": secure.status_code, "headers": dict(secure.headers),
                  "csrf_cookie_secure": bool(secure.cookies["csrftoken"]["secure"]),
                  "plain": plain.status_code, "location": plain.get("Location")}))
"""


def test_production_sends_hsts_and_security_headers_and_redirects_http(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "webapp.settings.production", "ALLOWED_HOSTS": "soundpath.example.org",
        "SECRET_KEY": "x7!" + "k" * 20 + "q9#Zr2@Lm5$Tn8^Vb1&Hc4*Jd6(Pf3)Ws0", "PATH": "/usr/bin:/bin",
        "SOUNDPATH_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        "DEMOS_ENABLED": "false",
    }  # fmt: skip
    probe = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    headers = result["headers"]

    assert result["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert result["csrf_cookie_secure"] is True
    assert (result["plain"], result["location"]) == (301, "https://soundpath.example.org/accounts/login/")
