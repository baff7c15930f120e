"""The grader on the labelled set (benchmarks/grader/labelled_set.yaml): strong > partial > wrong."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from quiz.content_loader import parse_file
from quiz.grading import KeyPointInput, default_encoder, grade_answer

LABELLED = Path(settings.BASE_DIR) / "benchmarks" / "grader" / "labelled_set.yaml"
BANK = Path(settings.BASE_DIR) / "quiz" / "content"
ORDERING_BAR = 0.9


@pytest.fixture(scope="module")
def graded() -> dict[str, dict[str, float]]:
    """question id → {"strong": score, "partial": …, "wrong": …, "off_topic": max, "empty": max}."""
    specs = {s.slug: s for path in sorted(BANK.glob("*.yaml")) for s in parse_file(path, BANK)[0]}
    data = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    encoder = default_encoder()
    scores = {}
    for item in data["items"]:
        points = [KeyPointInput(kp.text, kp.terms) for kp in specs[item["question"]].key_points]

        def score(text: str, points=points) -> float:
            return grade_answer(text, points, encoder=encoder).score

        row = {kind: score(item[kind]) for kind in ("strong", "partial", "wrong")}
        row["off_topic"] = max(score(text) for text in data["off_topic"][:1])
        row["empty"] = max(score(text) for text in data["empty"])
        scores[item["question"]] = row
    return scores


def test_labelled_set_has_at_least_thirty_questions_from_the_bank(graded):
    assert len(graded) >= 30


def test_strong_beats_partial_beats_wrong_on_at_least_ninety_percent(graded):
    ordered = [q for q, s in graded.items() if s["strong"] > s["partial"] > s["wrong"]]

    rate = len(ordered) / len(graded)
    failures = {q: s for q, s in graded.items() if q not in ordered}
    assert rate >= ORDERING_BAR, f"ordering rate {rate:.2f}; out of order: {failures}"


def test_wrong_answers_never_outscore_strong_ones(graded):
    assert [q for q, s in graded.items() if s["wrong"] > s["strong"]] == []


def test_off_topic_and_empty_answers_score_zero(graded):
    assert {(s["off_topic"], s["empty"]) for s in graded.values()} == {(0.0, 0.0)}
