"""The one content-import command: the curriculum and the question bank both import a folder of
files all-or-nothing, report what changed, and list what they retired."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from curriculum.content_loader import ContentError


class ContentImportCommand(BaseCommand):
    what = ""  # "curriculum", "questions"
    kept = ""  # what a retired item keeps, e.g. "learners' progress"

    def content_dir(self) -> Path:
        raise NotImplementedError

    def importer(self) -> Callable:
        """The service: importer()(content_dir=...) returns a report with summary() and retired."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", type=Path, default=None)

    def handle(self, *args, content_dir: Path | None = None, **options):
        try:
            report = self.importer()(content_dir=content_dir or self.content_dir())
        except ContentError as exc:
            lines = "\n".join(f"  {p}" for p in exc.problems)
            raise CommandError(f"{self.what} not imported, {len(exc.problems)} problem(s):\n{lines}") from exc
        self.stdout.write(self.style.SUCCESS(f"{self.what.capitalize()} imported: {report.summary()}"))
        for line in getattr(report, "carried", []):  # questions merged or renamed: history moved
            self.stdout.write(f"  carried over: {line}")
        for slug in report.retired:
            self.stdout.write(f"  retired: {slug} ({self.kept} kept)")
