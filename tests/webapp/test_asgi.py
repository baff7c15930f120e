"""The web server, run for real as `make run` starts it (page processes and the demo process):
Django pages, static files, a Gradio demo through the proxy, metrics added up across processes."""

import re

import httpx
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tests.factories import TopicFactory, UserFactory
from tests.processes import uvicorn_process

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_asgi_serves_django_static_and_gradio_demo():
    call_command("collectstatic", interactive=False, verbosity=0)
    topic = TopicFactory(title="Committed topic for the server")
    with uvicorn_process(db_name=connection.settings_dict["NAME"]) as base:
        page = httpx.get(f"{base}/roadmap/topics/{topic.slug}/")
        css = httpx.get(f"{base}/static/css/app.css")
        demo = httpx.get(f"{base}/demos/fundamentals/")
        no_slash = httpx.get(f"{base}/demos/fundamentals")
        config = httpx.get(f"{base}/demos/fundamentals/config")
        index = httpx.get(f"{base}/demos/")
        for _ in range(20):  # spread over both page processes by the kernel
            assert httpx.get(f"{base}/healthz").status_code == 200
        metrics = httpx.get(f"{base}/metrics", cookies=_staff_cookies()).text

    assert page.status_code == 200 and "Committed topic for the server" in page.text
    assert css.status_code == 200 and ".progress" in css.text
    # webapp/static_files.py's mount: a plain (unhashed) name is kept briefly, compressed copies chosen.
    assert css.headers["cache-control"] == "public, max-age=60" and css.headers["vary"] == "Accept-Encoding"
    assert demo.status_code == 200 and "gradio" in demo.text.lower()
    # Demos may be framed by our own pages only; Django pages never.
    assert demo.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in demo.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert no_slash.status_code in (301, 302, 307) and no_slash.headers["location"] == "/demos/fundamentals/"
    assert config.status_code == 200 and config.json()["title"] == "Audio fundamentals lab"
    assert index.status_code == 200 and 'href="/demo/fundamentals/"' in index.text  # the wrapped page
    assert "soundpathDemoHeight" in demo.text  # demos/page.py's script that sizes the iframe
    # Every page process's requests, added up by prometheus_client's multiprocess collector: at least
    # the 20 health checks, the two pages and the demo index.
    counted = re.search(
        r'^django_http_requests_total_by_method_total\{method="GET"\} ([0-9.]+)$', metrics, re.M
    )
    assert counted and float(counted.group(1)) >= 23
    # The answering process's own registry would carry its python_info; the added-up one has none.
    assert "python_info" not in metrics


def _staff_cookies() -> dict[str, str]:
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    return {"sessionid": client.cookies["sessionid"].value}
