"""The demo accounts made by `make run`: both roles, stable random passwords, printed."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from webapp.accounts.models import User

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_created_once_with_printed_passwords(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second = StringIO(), StringIO()

    call_command("demo_accounts", stdout=first)
    call_command("demo_accounts", stdout=second)

    saved = json.loads((tmp_path / "demo-accounts.json").read_text())
    assert first.getvalue() == second.getvalue()
    assert User.objects.get(username="demo-learner").role == "learner"
    instructor = User.objects.get(username="demo-instructor")
    assert instructor.is_instructor and instructor.check_password(saved["demo-instructor"])
    assert saved["demo-learner"] in first.getvalue()
    assert len(saved["demo-learner"]) >= 12
