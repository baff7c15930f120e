"""manage.py import_questions: load quiz/content into the database (idempotent; import the curriculum first)."""

from pathlib import Path

from curriculum.management.content_import import ContentImportCommand
from quiz.importing import question_bank_import

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


class Command(ContentImportCommand):
    help = "Import interview questions from the content folder; malformed files abort with reasons."
    what, kept = "questions", "learners' attempts"

    def content_dir(self) -> Path:
        return CONTENT_DIR

    def importer(self):
        return question_bank_import
