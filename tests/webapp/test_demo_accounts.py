"""The demo accounts made by `make run`: both roles, random passwords printed once and stored nowhere."""

from io import StringIO

import pytest
from django.core.management import call_command

from webapp.accounts.models import User

pytestmark = pytest.mark.django_db


def _password(output: str, username: str) -> str:
    line = next(line for line in output.splitlines() if username in line)
    return line.split("password: ")[1].split()[0]


def test_demo_passwords_are_printed_when_made_and_never_again(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second = StringIO(), StringIO()

    call_command("demo_accounts", stdout=first)
    call_command("demo_accounts", stdout=second)

    password = _password(first.getvalue(), "demo-instructor")
    instructor = User.objects.get(username="demo-instructor")
    assert instructor.is_instructor and instructor.check_password(password)  # the second run kept it
    assert User.objects.get(username="demo-learner").role == "learner"
    assert len(_password(first.getvalue(), "demo-learner")) >= 12
    assert "password: " not in second.getvalue() and "demo-learner" in second.getvalue()
    assert list(tmp_path.iterdir()) == []  # no file holds a working login


def test_reset_gives_new_passwords():
    first, reset = StringIO(), StringIO()
    call_command("demo_accounts", stdout=first)

    call_command("demo_accounts", "--reset", stdout=reset)

    old, new = _password(first.getvalue(), "demo-learner"), _password(reset.getvalue(), "demo-learner")
    assert old != new and User.objects.get(username="demo-learner").check_password(new)
