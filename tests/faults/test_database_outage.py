"""The real ASGI app under uvicorn, its database reached through a proxy the test switches off:
clean 503 pages while the database is away, normal pages as soon as it is back. The same server
shows that Gradio refuses an upload past the size limit (max_file_size from settings)."""

import time

import httpx
import pytest
from django.db import connection

from tests.processes import database_url, tcp_proxy, uvicorn_process

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

UPLOAD_LIMIT = 100_000  # bytes: JOB_UPLOAD_MAX_BYTES of this server


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """(base URL, proxy) of a uvicorn whose every database connection goes through the proxy."""
    with django_db_blocker.unblock():
        db = connection.settings_dict
    with tcp_proxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))) as proxy:
        url = database_url(db_name=db["NAME"], host="127.0.0.1", port=proxy.port)
        env = {"JOB_UPLOAD_MAX_BYTES": str(UPLOAD_LIMIT), "DEBUG": "true"}  # DEBUG: tracebacks would show
        with uvicorn_process(db_name=db["NAME"], database_url=url, extra_env=env, name="faults") as base:
            yield base, proxy


def test_database_outage_answers_503_cleanly_and_recovers(server):
    base, proxy = server
    assert httpx.get(f"{base}/roadmap/", timeout=10).status_code == 200  # a pooled connection is open

    proxy.off()
    try:
        started = time.monotonic()
        outage = [httpx.get(f"{base}/roadmap/", timeout=10) for _ in range(3)]
        answered_in = (time.monotonic() - started) / 3
        time.sleep(2)  # a few seconds away, then still a clean answer
        outage.append(httpx.get(f"{base}/", timeout=10))
    finally:
        proxy.on()
    first_after = httpx.get(f"{base}/roadmap/", timeout=10)

    for response in outage:
        assert response.status_code == 503
        assert response.headers["retry-after"] == "10"
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "<h1>Soundpath is briefly unavailable</h1>" in response.text
        assert "Traceback" not in response.text and "OperationalError" not in response.text
        assert len(response.content) < 1000
    assert answered_in < 2.0  # refused at once, not hanging on a dead connection
    assert first_after.status_code == 200  # the broken connection was dropped, a new one made


def test_gradio_upload_over_the_size_limit_is_refused(server):
    from tests.security.conftest import signed_in_cookies

    base, _ = server
    url = f"{base}/demos/fundamentals/gradio_api/upload"
    cookies = signed_in_cookies()  # uploads need a signed-in user (tests/security/test_uploads.py)

    too_big = httpx.post(
        url,
        files={"files": ("big.wav", b"\0" * (UPLOAD_LIMIT + 1), "audio/wav")},
        cookies=cookies,
        timeout=30,
    )
    small = httpx.post(
        url, files={"files": ("small.wav", b"\0" * 1000, "audio/wav")}, cookies=cookies, timeout=30
    )

    assert too_big.status_code == 413
    assert f"maximum allowed size of {UPLOAD_LIMIT} bytes" in too_big.text
    assert small.status_code == 200 and small.json()[0].endswith("small.wav")
