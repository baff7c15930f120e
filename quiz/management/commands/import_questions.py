"""manage.py import_questions: load quiz/content into the database (idempotent; import the curriculum first)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from curriculum.content_loader import ContentError
from quiz.importing import question_bank_import

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


class Command(BaseCommand):
    help = "Import interview questions from the content folder; malformed files abort with reasons."

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", type=Path, default=CONTENT_DIR)

    def handle(self, *args, content_dir: Path, **options):
        try:
            report = question_bank_import(content_dir=content_dir)
        except ContentError as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems)
            raise CommandError(f"questions not imported, {len(exc.problems)} problem(s):\n{lines}") from exc
        self.stdout.write(self.style.SUCCESS(f"Questions imported: {report.summary()}"))
        for line in report.carried:
            self.stdout.write(f"  carried over: {line}")
        for slug in report.retired:
            self.stdout.write(f"  retired: {slug} (learners' attempts kept)")
