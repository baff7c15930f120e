"""manage.py import_curriculum: load curriculum/content into the database (idempotent)."""

from pathlib import Path

from django.conf import settings

from curriculum.management.content_import import ContentImportCommand
from curriculum.services import curriculum_import


class Command(ContentImportCommand):
    help = "Import phases and topics from the content folder; malformed files abort with reasons."
    what, kept = "curriculum", "learners' progress"

    def content_dir(self) -> Path:
        return settings.CURRICULUM_CONTENT_DIR

    def importer(self):
        return curriculum_import
