"""Instructor is granted by staff (admin, or a single-use invitation link); the first staff account."""

import os
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from webapp.accounts.models import InstructorInvitation, User
from webapp.accounts.services import instructor_invitation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(username="staffer", is_staff=True, is_superuser=True)


def test_staff_invitation_link_makes_the_signed_in_user_an_instructor_once(client, staff):
    invitation = instructor_invitation_create(created_by=staff, note="Dr Ada")
    url = reverse("accounts:instructor_invitation", args=[invitation.token])
    ada, bob = UserFactory(username="ada"), UserFactory(username="bob")

    client.force_login(ada)
    page = client.get(url)
    ada.refresh_from_db()
    assert page.status_code == 200 and ada.role == "learner"  # GET writes nothing
    assert client.post(url).status_code == 302
    ada.refresh_from_db()
    assert ada.is_instructor

    client.force_login(bob)
    response = client.post(url)
    bob.refresh_from_db()
    assert response.status_code == 400 and "already been used" in response.content.decode()
    assert not bob.is_instructor
    invitation.refresh_from_db()
    assert invitation.used_by == ada


def test_expired_or_unknown_invitations_grant_nothing(client, staff):
    expired = instructor_invitation_create(created_by=staff)
    expired.expires_at = timezone.now() - timedelta(seconds=1)
    expired.save()
    learner = UserFactory()
    client.force_login(learner)

    assert (
        "expired"
        in client.post(reverse("accounts:instructor_invitation", args=[expired.token])).content.decode()
    )
    assert client.post(reverse("accounts:instructor_invitation", args=["guess"])).status_code == 400
    learner.refresh_from_db()
    assert learner.role == "learner"


def test_only_staff_make_invitations(client, staff):
    with pytest.raises(PermissionDenied):
        instructor_invitation_create(created_by=UserFactory(role=User.Role.INSTRUCTOR))

    client.force_login(staff)
    response = client.post(reverse("admin:accounts_instructorinvitation_add"),
                           {"note": "for Grace", "expires_at_0": "2099-01-01", "expires_at_1": "00:00:00"})  # fmt: skip
    assert response.status_code == 302
    made = InstructorInvitation.objects.get(note="for Grace")
    assert made.created_by == staff and len(made.token) >= 30
    change = client.get(reverse("admin:accounts_instructorinvitation_change", args=[made.pk]))
    assert reverse("accounts:instructor_invitation", args=[made.token]) in change.content.decode()


def test_anonymous_visitors_sign_in_before_accepting(client, staff):
    invitation = instructor_invitation_create(created_by=staff)

    response = client.post(reverse("accounts:instructor_invitation", args=[invitation.token]))

    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_first_staff_account_is_made_once_and_its_password_printed_once():
    first, second = StringIO(), StringIO()

    call_command("first_staff", "--url", "http://127.0.0.1:8000", stdout=first)
    call_command("first_staff", stdout=second)

    admin = User.objects.get(username="admin")
    password = first.getvalue().split("password: ")[1].split()[0]
    assert admin.is_staff and admin.is_superuser and admin.check_password(password)
    assert "http://127.0.0.1:8000/admin/" in first.getvalue()
    assert second.getvalue() == ""
    assert User.objects.filter(is_staff=True).count() == 1


def test_createsuperuser_works_as_usual_and_then_no_first_staff_is_made(monkeypatch):
    monkeypatch.setitem(os.environ, "DJANGO_SUPERUSER_PASSWORD", "a-long-staff-passphrase-9")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.com",
                 stdout=StringIO())  # fmt: skip
    out = StringIO()

    call_command("first_staff", stdout=out)

    assert User.objects.get(username="root").check_password("a-long-staff-passphrase-9")
    assert out.getvalue() == "" and not User.objects.filter(username="admin").exists()
