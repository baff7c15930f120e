"""manage.py import_curriculum: load curriculum/content into the database (idempotent)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from curriculum.content_loader import ContentError
from curriculum.services import curriculum_import


class Command(BaseCommand):
    help = "Import phases and topics from the content folder; malformed files abort with reasons."

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", type=Path, default=settings.CURRICULUM_CONTENT_DIR)

    def handle(self, *args, content_dir: Path, **options):
        try:
            report = curriculum_import(content_dir=content_dir)
        except ContentError as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems)
            raise CommandError(f"curriculum not imported, {len(exc.problems)} problem(s):\n{lines}") from exc
        self.stdout.write(self.style.SUCCESS(f"Curriculum imported: {report.summary()}"))
        for slug in report.retired:
            self.stdout.write(f"  retired: {slug} (learners' progress kept)")
