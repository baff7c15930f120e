"""manage.py first_staff: make the first staff account when there is none; print how to sign in once."""

from django.core.management.base import BaseCommand

from webapp.accounts.services import staff_first_create


class Command(BaseCommand):
    help = "Create a staff account named 'admin' (random password, printed once) if no staff exists."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where the site is served.")

    def handle(self, *args, url: str, **options):
        password = staff_first_create()
        if password is not None:
            self.stdout.write(
                f"  staff       username: admin            password: {password}  (shown once)\n"
                f"  sign in at {url.rstrip('/')}/admin/ and change it there; the admin grants the "
                "instructor role (users, or instructor invitations)"
            )
