"""Sign-in, sign-up, password reset and cohort join codes are rate-limited (django-ratelimit, shared cache)."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Day-long windows: the counters' window never turns over during a test.


def test_sign_in_is_limited_per_username_even_from_many_addresses(client, settings):
    settings.RATE_LIMIT_SIGN_IN = "3/d"
    UserFactory(username="grace")

    codes = [
        client.post(reverse("accounts:login"), {"username": "grace", "password": "wrong"},
                    REMOTE_ADDR=f"10.0.0.{i}").status_code
        for i in range(4)
    ]  # fmt: skip
    right = client.post(
        reverse("accounts:login"),
        {"username": "grace", "password": "correct-horse-battery"},
        REMOTE_ADDR="10.0.1.1",
    )

    assert codes == [200, 200, 200, 429]
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert "Too many attempts" in right.content.decode()


def test_sign_in_is_limited_per_address_across_usernames(client, settings):
    settings.RATE_LIMIT_SIGN_IN = "2/d"

    codes = [
        client.post(reverse("accounts:login"), {"username": f"user{i}", "password": "x"}).status_code
        for i in range(3)
    ]

    assert codes == [200, 200, 429]


def test_sign_up_is_limited_per_address(client, settings):
    settings.RATE_LIMIT_SIGN_UP = "1/d"
    form = {"email": "a@example.com", "password1": "sound-of-waves-42", "password2": "sound-of-waves-42"}

    first = client.post(reverse("accounts:signup"), {**form, "username": "one"})
    client.logout()
    second = client.post(reverse("accounts:signup"), {**form, "username": "two"})

    assert (first.status_code, second.status_code) == (302, 429)


def test_password_reset_is_limited_per_address(client, settings):
    settings.RATE_LIMIT_PASSWORD_RESET = "2/d"
    UserFactory(email="linus@example.com")

    codes = [client.post(reverse("accounts:password_reset"), {"email": "linus@example.com"}).status_code
             for _ in range(3)]  # fmt: skip

    assert codes == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_join_code_guessing_is_limited_per_learner(client, settings, learner):
    settings.RATE_LIMIT_JOIN_CODE = "3/d"
    client.force_login(learner)

    codes = [client.post(reverse("cohorts:join"), {"code": f"GUESS{i}"}).status_code for i in range(2)]
    codes.append(client.get(reverse("cohorts:join_link", args=["GUESS9"])).status_code)
    codes.append(client.post(reverse("cohorts:join"), {"code": "GUESSX"}).status_code)

    assert codes == [302, 302, 404, 429]
