"""The one ASGI app, run for real under uvicorn: Django pages, static files, a mounted Gradio demo."""

import httpx
import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import TopicFactory
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
