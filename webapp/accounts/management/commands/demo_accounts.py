"""manage.py demo_accounts: make a demo learner and instructor and print their credentials.

Passwords are random, made once per installation and kept in $SOUNDPATH_VAR_DIR/demo-accounts.json,
so a public deployment never has well-known logins.
"""

import json
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from webapp.accounts.models import User
from webapp.accounts.services import demo_user_ensure

DEMO_ACCOUNTS = (("demo-learner", User.Role.LEARNER), ("demo-instructor", User.Role.INSTRUCTOR))


class Command(BaseCommand):
    help = "Create (or refresh) the demo learner and instructor accounts and print their credentials."

    def handle(self, *args, **options):
        store = settings.VAR_DIR / "demo-accounts.json"
        saved = json.loads(store.read_text()) if store.exists() else {}
        for username, role in DEMO_ACCOUNTS:
            password = saved.get(username) or secrets.token_urlsafe(9)
            saved[username] = password
            demo_user_ensure(username=username, password=password, role=role)
            self.stdout.write(f"  {role:<10}  username: {username:<16} password: {password}")
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_text(json.dumps(saved, indent=2))
        store.chmod(0o600)
