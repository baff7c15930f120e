"""import_questions: good files, each kind of malformed question, idempotence and retirement."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from curriculum.content_loader import ContentError, load_curriculum
from quiz.content_loader import load_question_bank
from quiz.importing import question_bank_import
from quiz.models import Attempt, KeyPoint, Option, Question
from tests.factories import UserFactory
from tests.quiz.conftest import question_data

QUIZ_CONTENT = Path(settings.BASE_DIR) / "quiz" / "content"


def _import(bank) -> str:
    out = StringIO()
    call_command("import_questions", content_dir=bank.root, stdout=out)
    return out.getvalue()


def test_import_creates_questions_options_key_points_and_topics(bank, bank_topics):
    output = _import(bank)

    assert "3 created, 0 updated, 0 unchanged, 0 retired" in output
    ctc = Question.objects.get(slug="ctc-why")
    assert (ctc.level, ctc.kind, ctc.main_topic.slug) == ("principal", "mcq", "ctc")
    assert sorted(ctc.topics.values_list("slug", flat=True)) == ["ctc", "sampling"]
    assert ctc.source_path == "speech.yaml"
    assert [o.correct for o in ctc.options.order_by("order")] == [True, False, False]
    assert ctc.key_points.order_by("order").first().terms == ["alias", "6 khz"]
    free = Question.objects.get(slug="nyquist-free")
    assert free.options.count() == 0 and free.key_points.count() == 3


def test_import_twice_creates_no_duplicates(bank, bank_topics):
    _import(bank)

    second = _import(bank)

    assert "0 created, 0 updated, 3 unchanged, 0 retired" in second
    assert Question.objects.count() == 3
    assert Option.objects.count() == 6
    assert KeyPoint.objects.count() == 9


def test_edited_question_is_updated_on_reimport(bank, bank_topics):
    _import(bank)
    bank.write("basics.yaml", [question_data("nyquist-alias", prompt="Revised prompt?"), question_data("nyquist-free", kind="free", options=None, level="senior")])  # fmt: skip

    output = _import(bank)

    assert "0 created, 1 updated, 2 unchanged" in output
    assert Question.objects.get(slug="nyquist-alias").prompt == "Revised prompt?"
    assert Option.objects.filter(question__slug="nyquist-alias").count() == 3


def test_removed_question_is_retired_and_attempts_kept(bank, bank_topics):
    _import(bank)
    question = Question.objects.get(slug="ctc-why")
    Attempt.objects.create(user=UserFactory(), question=question, mode="quiz", score=1.0)
    (bank.root / "speech.yaml").unlink()

    output = _import(bank)

    assert "retired: ctc-why" in output
    question.refresh_from_db()
    assert question.is_active is False
    assert question.attempts.count() == 1
    assert sorted(Question.objects.active().values_list("slug", flat=True)) == [
        "nyquist-alias",
        "nyquist-free",
    ]


def test_retired_question_comes_back_when_its_file_returns(bank, bank_topics):
    _import(bank)
    text = (bank.root / "speech.yaml").read_text()
    (bank.root / "speech.yaml").unlink()
    _import(bank)
    (bank.root / "speech.yaml").write_text(text)

    _import(bank)

    assert Question.objects.get(slug="ctc-why").is_active is True


def _problems(bank) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_question_bank(bank.root, known_topics={"sampling", "ctc"})
    return [str(p) for p in info.value.problems]


def test_unknown_topic_names_file_and_question(bank):
    bank.write("extra.yaml", [question_data("whisper-arch", topics=["whisper"])])

    assert _problems(bank) == ["extra.yaml: question 'whisper-arch': unknown topic id(s) whisper"]


def test_duplicate_id_names_both_files(bank):
    bank.write("extra.yaml", [question_data("nyquist-alias")])

    assert _problems(bank) == ["extra.yaml: question 'nyquist-alias': duplicate id (also in basics.yaml)"]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"level": "junior"}, "'level' must be one of mid, senior, principal (got 'junior')"),
        ({"kind": "essay"}, "'kind' must be one of mcq, free, both (got 'essay')"),
        ({"kind": "free"}, "a free-text question ('kind: free') must not have 'options'"),
        ({"kind": "mcq", "options": None}, "kind 'mcq' needs 3-5 'options' (got none)"),
        (
            {"options": [{"text": "a", "correct": True, "why": "w"}]},
            "kind 'both' needs 3-5 'options' (got 1)",
        ),
        (
            {"options": [{"text": t, "correct": False, "why": "w"} for t in "abc"]},
            "no option is marked 'correct: true'",
        ),
        ({"options": [{"text": t, "correct": True} for t in "abc"]}, "option 1 needs a 'why' explaining it"),
        (
            {"options": [{"text": "a", "correct": "yes", "why": "w"}] * 3},
            "option 1 needs 'correct: true' or 'correct: false'",
        ),
        ({"key_points": [{"point": "One.", "terms": ["one"]}]}, "'key_points' must list 3-6 items (got 1)"),
        (
            {"key_points": [{"point": f"P{i}.", "terms": ["a", "b", "c", "d", "e"]} for i in range(3)]},
            "key point 1 must have 1-4 terms (got 5)",
        ),
        (
            {"key_points": [{"point": f"P{i}."} for i in range(3)]},
            "key point 1's 'terms' must be a list of non-empty strings",
        ),
        ({"prompt": ""}, "missing or empty field 'prompt'"),
        ({"answer": "TBD"}, "field 'answer' contains a placeholder (TBD/TODO)"),
        ({"topics": []}, "'topics' must not be empty"),
        ({"id": "Not A Slug"}, "'id' must be a lower-case slug"),
        ({"opitons": []}, "unknown field(s): opitons"),
    ],
)
def test_invalid_question_fields_are_reported(bank, fields, reason):
    bank.write("bad.yaml", [question_data("bad-question", **fields)])

    problems = _problems(bank)

    assert len(problems) == 1
    assert problems[0].startswith("bad.yaml: question ")
    assert reason in problems[0]


def test_invalid_yaml_and_non_list_files_are_reported(bank):
    (bank.root / "broken.yaml").write_text("- id: x\n  prompt: [unclosed\n")
    (bank.root / "mapping.yaml").write_text("id: not-a-list\n")

    assert sorted(_problems(bank)) == [
        "broken.yaml: not valid YAML (line 3): expected ',' or ']', but got '<stream end>'",
        "mapping.yaml: the file must hold a list of questions",
    ]


def test_every_problem_is_reported_at_once(bank):
    bank.write("bad.yaml", [question_data("one", level="x"), question_data("two", topics=["nowhere"])])

    assert len(_problems(bank)) == 2


@pytest.mark.django_db
def test_malformed_file_imports_nothing(bank, bank_topics):
    bank.write("bad.yaml", [question_data("bad", kind="essay")])

    with pytest.raises(CommandError, match=r"bad\.yaml: question 'bad': 'kind' must be one of"):
        _import(bank)

    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_malformed_edit_leaves_previous_import_untouched(bank, bank_topics):
    _import(bank)
    bank.write("speech.yaml", [question_data("ctc-why", prompt="Changed?", topics=["missing-topic"])])

    with pytest.raises(ContentError):
        question_bank_import(content_dir=bank.root)

    assert Question.objects.get(slug="ctc-why").prompt.startswith("What happens")


def test_real_question_bank_loads_without_problems():
    """quiz/content against the real curriculum's topic ids: every file is valid."""
    topics = {t.slug for t in load_curriculum(Path(settings.CURRICULUM_CONTENT_DIR)).topics}

    questions = load_question_bank(QUIZ_CONTENT, known_topics=topics)

    assert len(questions) >= 200
    assert {q.level for q in questions} == {"mid", "senior", "principal"}
