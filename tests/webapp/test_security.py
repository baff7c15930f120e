"""Security headers on Django pages, CSRF on forms, staff-only admin, login-only job pages."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_django_pages_send_csp_and_refuse_framing(client):
    response = client.get("/roadmap/")

    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "frame-src 'self'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "microphone=(self)" in response.headers["Permissions-Policy"]


def test_templates_have_no_inline_scripts(client, learner):
    client.force_login(learner)
    for url in ["/", "/roadmap/", "/jobs/", "/demos/", "/accounts/password-reset/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "onclick=" not in html, url


@pytest.mark.parametrize("url", ["/accounts/signup/", "/accounts/login/", "/accounts/password-reset/"])
def test_forms_require_csrf_token(url):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(url, {"username": "x", "password": "y", "email": "a@b.c"})

    assert response.status_code == 403


def test_progress_form_requires_csrf(learner):
    from tests.factories import TopicFactory

    topic = TopicFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)

    assert strict.post(f"/roadmap/topics/{topic.slug}/progress/", {"status": "done"}).status_code == 403


@pytest.mark.parametrize("url", ["/jobs/", "/jobs/new/asr/"])
def test_job_pages_need_login(client, url):
    response = client.get(url)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
