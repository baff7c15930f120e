"""Question-bank files on disk for import tests, and topics for them to point at."""

from pathlib import Path

import pytest
import yaml

from tests.factories import TopicFactory


def question_data(slug: str, **fields) -> dict:
    data = {
        "id": slug,
        "topics": ["sampling"],
        "level": "mid",
        "kind": "both",
        "prompt": "What happens to a 10 kHz tone recorded at 16 kHz without a filter?",
        "answer": "It folds to a 6 kHz alias, because the Nyquist frequency is 8 kHz; filter first.",
        "key_points": [
            {"point": "The tone folds to 6 kHz.", "terms": ["alias", "6 kHz"]},
            {"point": "Nyquist is half the sample rate, 8 kHz.", "terms": ["nyquist", "8 kHz"]},
            {
                "point": "An anti-aliasing low-pass filter prevents it.",
                "terms": ["anti-aliasing", "low-pass"],
            },
        ],
        "options": [
            {"text": "A 6 kHz tone.", "correct": True, "why": "16 - 10 = 6."},
            {"text": "A 10 kHz tone.", "correct": False, "why": "Above Nyquist nothing is faithful."},
            {"text": "Silence.", "correct": False, "why": "Energy moves, it does not vanish."},
        ],
        "tags": ["sampling"],
        **fields,
    }
    return {k: v for k, v in data.items() if v is not None}


class QuestionFiles:
    """Writes YAML question files in the bank's format."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, questions: list[dict]) -> Path:
        path = self.root / name
        path.write_text(yaml.safe_dump(questions, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path


@pytest.fixture
def bank(tmp_path) -> QuestionFiles:
    files = QuestionFiles(tmp_path / "questions")
    files.write(
        "basics.yaml",
        [
            question_data("nyquist-alias"),
            question_data("nyquist-free", kind="free", options=None, level="senior"),
        ],
    )
    files.write(
        "speech.yaml", [question_data("ctc-why", topics=["ctc", "sampling"], kind="mcq", level="principal")]
    )
    return files


@pytest.fixture
def bank_topics(db):
    return {slug: TopicFactory(slug=slug) for slug in ("sampling", "ctc")}


@pytest.fixture(autouse=True)
def _answer_posts_do_not_wait(monkeypatch):
    """No worker runs in page tests (a stored answer's grading message is never sent: the test's
    transaction never commits), so the answer POST need not wait for one; `grade_now` grades."""
    monkeypatch.setattr("quiz.views.practice.GRADE_WAIT_SECONDS", 0.0)


def grade_now(attempt_or_id):
    """Run the worker's grading task here, with the real encoder, as a worker would after commit."""
    from quiz.models import Attempt
    from quiz.tasks import grade_attempt

    attempt_id = getattr(attempt_or_id, "id", attempt_or_id)
    grade_attempt(attempt_id)
    return Attempt.objects.get(id=attempt_id)
