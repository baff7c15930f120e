"""manage.py model_promote <capability> [version]: list trained versions, or make one everyone's default."""

from django.core.management.base import BaseCommand, CommandError

from workers.promotion import (
    TRAINED,
    PromotionError,
    model_version_promote,
    promoted_version,
    trained_versions,
)


class Command(BaseCommand):
    help = "List the trained versions of a capability, or promote one to be everyone's default."

    def add_arguments(self, parser):
        parser.add_argument("capability", choices=sorted(TRAINED))
        parser.add_argument("version", nargs="?", help="The version to promote; without it, list them.")

    def handle(self, *args, capability: str, version: str | None = None, **options):
        if version:
            try:
                model_version_promote(capability=capability, version=version)
            except PromotionError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{capability}: version {version} is now everyone's default.")
            return
        promoted = promoted_version(capability=capability)
        for name in trained_versions(capability=capability):
            self.stdout.write(f"  {name}{'  (promoted)' if name == promoted else ''}")
