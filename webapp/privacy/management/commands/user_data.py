"""Staff side of learners' rights: `user_data export <username> --out FILE` and
`user_data delete <username> [--no-input]`, through the same services as the web pages."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Export or delete one user's data (the same code paths as the user's own pages)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the user's data archive (zip)")
        export.add_argument("username")
        export.add_argument("--out", required=True, help="the zip file to write")
        export.add_argument("--base-url", default="http://localhost/", help="site address for xAPI ids")
        delete = sub.add_parser("delete", help="delete the user, their rows and their files")
        delete.add_argument("username")
        delete.add_argument("--no-input", "--noinput", action="store_false", dest="interactive")

    def handle(self, *args, action: str, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if action == "export":
            self._export(user, Path(options["out"]), options["base_url"])
        else:
            self._delete(user, interactive=options["interactive"])

    def _export(self, user, out: Path, base_url: str) -> None:
        from webapp.privacy.exporting import user_data_write

        with out.open("wb") as handle:
            manifest = user_data_write(user=user, out=handle, base_url=base_url)
        rows = sum(kind["rows"] for kind in manifest["kinds"].values())
        self.stdout.write(
            f"Wrote {out} ({out.stat().st_size:,} bytes): {rows} rows in {len(manifest['kinds'])} kinds, "
            f"{len(manifest['files'])} files, {manifest['xapi_statements']} xAPI statements."
        )

    def _delete(self, user, *, interactive: bool) -> None:
        from webapp.privacy.deletion import cohorts_affected, user_account_delete

        if interactive:
            handed_on, deleted = cohorts_affected(user=user)
            if handed_on:
                self.stdout.write("Cohorts passed to a co-owner: " + ", ".join(c.name for c in handed_on))
            if deleted:
                self.stdout.write(
                    "Cohorts deleted with it (no co-owner): " + ", ".join(c.name for c in deleted)
                )
            answer = input(f"Delete {user.username!r} and all their data? Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Deletion cancelled.")
        summary = user_account_delete(user=user)
        for line in summary.lines():
            self.stdout.write(line)
