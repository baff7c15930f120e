"""manage.py demo_accounts: make a demo learner and instructor; print their passwords once.

Passwords are random and printed only when an account is made (or with --reset); they are never
stored, so no file on the server holds a working login and later starts print nothing secret.
"""

from django.core.management.base import BaseCommand

from webapp.accounts.models import User
from webapp.accounts.services import demo_user_create

DEMO_ACCOUNTS = (("demo-learner", User.Role.LEARNER), ("demo-instructor", User.Role.INSTRUCTOR))


class Command(BaseCommand):
    help = "Create the demo learner and instructor accounts; print a password only when it is new."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Give both accounts new passwords.")

    def handle(self, *args, reset: bool = False, **options):
        for username, role in DEMO_ACCOUNTS:
            password = demo_user_create(username=username, role=role, reset=reset)
            if password is None:
                self.stdout.write(f"  {role:<10}  username: {username:<16} (password shown when it was made; "
                                  "`manage.py demo_accounts --reset` makes a new one)")  # fmt: skip
            else:
                self.stdout.write(
                    f"  {role:<10}  username: {username:<16} password: {password}  (shown once)"
                )
