"""Sign up, log in, log out, password reset, roles, and the admin for staff only."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from webapp.accounts.models import User

pytestmark = pytest.mark.django_db


def test_signup_creates_a_learner_and_logs_them_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {"username": "ada", "email": "ada@example.com", "role": "learner",
         "password1": "sound-of-waves-42", "password2": "sound-of-waves-42"},
    )  # fmt: skip

    assert response.status_code == 302
    user = User.objects.get(username="ada")
    assert user.role == "learner" and not user.is_instructor
    assert client.get(reverse("home")).context["user"] == user


def test_signup_cannot_choose_the_instructor_role(client):
    client.post(
        reverse("accounts:signup"),
        {"username": "prof", "email": "prof@example.com", "role": "instructor",
         "password1": "sound-of-waves-42", "password2": "sound-of-waves-42"},
    )  # fmt: skip

    assert User.objects.get(username="prof").role == "learner"
    assert "instructor" not in client.get(reverse("accounts:signup")).content.decode().lower()


def test_signup_errors_are_shown_next_to_fields(client):
    response = client.post(
        reverse("accounts:signup"),
        {"username": "", "email": "not-an-email", "role": "learner", "password1": "a", "password2": "b"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert "The two password fields didn’t match." in html
    assert User.objects.count() == 0


def test_login_and_logout(client):
    UserFactory(username="grace")

    response = client.post(
        reverse("accounts:login"), {"username": "grace", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session

    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_login_with_wrong_password_fails(client):
    UserFactory(username="grace")

    response = client.post(reverse("accounts:login"), {"username": "grace", "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(client):
    user = UserFactory(username="linus", email="linus@example.com")

    client.post(reverse("accounts:password_reset"), {"email": "linus@example.com"})

    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "fresh-spectra-77", "new_password2": "fresh-spectra-77"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh-spectra-77")


def test_admin_is_for_staff_only(client, learner):
    client.force_login(learner)
    assert client.get("/admin/").status_code == 302

    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
