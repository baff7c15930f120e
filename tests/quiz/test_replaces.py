"""`replaces:` in the question bank: an old bank with learners' history, then the new bank that
merges and renames its questions; attempts, cards and interview plans move, nothing is lost or
doubled. Also the loader's checks of `replaces` and of `numbers`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from quiz import scheduling
from quiz.content_loader import load_question_bank
from quiz.models import Attempt, Card, KeyPoint, MockInterview, Question
from tests.factories import UserFactory
from tests.quiz.conftest import question_data

pytestmark = pytest.mark.django_db


def _import(bank) -> str:
    out = StringIO()
    call_command("import_questions", content_dir=bank.root, stdout=out)
    return out.getvalue()


def _card(user, question, *, reviewed_days_ago: int, reviews: int) -> Card:
    at = timezone.now() - timedelta(days=reviewed_days_ago)
    review = scheduling.review(scheduling.new_state(), scheduling.GOOD, now=at)
    return Card.objects.create(
        user=user, question=question, state=review.state, due=review.due, last_review=at, reviews=reviews
    )


@pytest.fixture
def history(bank, bank_topics):
    """The old bank (nyquist-alias, nyquist-free, ctc-why) imported, with two learners' history."""
    _import(bank)
    alias, free, ctc = (Question.objects.get(slug=s) for s in ("nyquist-alias", "nyquist-free", "ctc-why"))
    ana, ben = UserFactory(), UserFactory()
    for user, question in [(ana, alias), (ana, alias), (ana, free), (ben, free), (ben, ctc)]:
        Attempt.objects.create(user=user, question=question, mode="quiz", score=0.5)
    _card(ana, alias, reviewed_days_ago=5, reviews=2)
    _card(ana, free, reviewed_days_ago=1, reviews=1)  # reviewed last: its schedule is the one kept
    _card(ben, free, reviewed_days_ago=3, reviews=1)
    _card(ben, ctc, reviewed_days_ago=2, reviews=4)
    plan = MockInterview.objects.create(
        user=ben, level="mid", question_count=3, time_limit_seconds=600, started_at=timezone.now(),
        question_ids=[alias.id, free.id, ctc.id],
    )  # fmt: skip
    return {"ana": ana, "ben": ben, "plan": plan, "ana_free_card": Card.objects.get(user=ana, question=free)}


def _new_bank(bank):
    """nyquist-alias and nyquist-free merged into nyquist-merged; ctc-why renamed ctc-alignment."""
    bank.write("basics.yaml", [question_data("nyquist-merged", replaces=["nyquist-alias", "nyquist-free"])])
    bank.write(
        "speech.yaml",
        [question_data("ctc-alignment", topics=["ctc"], kind="mcq", level="principal", replaces=["ctc-why"])],
    )


def test_merged_and_renamed_questions_carry_attempts_cards_and_plans(bank, history):
    before_attempts = Attempt.objects.count()
    _new_bank(bank)

    output = _import(bank)

    merged, renamed = Question.objects.get(slug="nyquist-merged"), Question.objects.get(slug="ctc-alignment")
    assert not Question.objects.filter(slug__in=["nyquist-alias", "nyquist-free", "ctc-why"]).exists()
    assert "carried over: nyquist-alias → nyquist-merged: 2 attempt(s)" in output
    assert Attempt.objects.count() == before_attempts  # nothing lost
    assert merged.attempts.filter(user=history["ana"]).count() == 3
    assert merged.attempts.filter(user=history["ben"]).count() == 1
    assert renamed.attempts.filter(user=history["ben"]).count() == 1
    # one card per learner and question; ana's two cards became one, the later schedule kept
    ana_card = Card.objects.get(user=history["ana"], question=merged)
    assert ana_card.reviews == 3
    assert ana_card.last_review == history["ana_free_card"].last_review
    assert ana_card.due == history["ana_free_card"].due
    assert Card.objects.filter(user=history["ben"]).count() == 2
    assert Card.objects.get(user=history["ben"], question=renamed).reviews == 4
    assert Card.objects.count() == 3
    history["plan"].refresh_from_db()
    assert history["plan"].question_ids == [merged.id, renamed.id]


def test_reimporting_the_new_bank_changes_nothing(bank, history):
    _new_bank(bank)
    _import(bank)
    counts = (Attempt.objects.count(), Card.objects.count(), Question.objects.count())

    output = _import(bank)

    assert "0 created, 0 updated, 2 unchanged, 0 retired" in output
    assert "carried over" not in output
    assert (Attempt.objects.count(), Card.objects.count(), Question.objects.count()) == counts


def _problems(bank) -> list[str]:
    from curriculum.content_loader import ContentError

    with pytest.raises(ContentError) as info:
        load_question_bank(bank.root, known_topics={"sampling", "ctc"})
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("questions", "reason"),
    [
        (
            [question_data("new-q", replaces=["ctc-why"])],
            "'replaces' lists 'ctc-why', which is still in the bank",
        ),
        (
            [question_data("new-q", replaces=["gone"]), question_data("other-q", replaces=["gone"])],
            "which 'new-q' replaces too",
        ),
        ([question_data("new-q", replaces=["new-q"])], "must not list the question's own id"),
        ([question_data("new-q", replaces=["Not Slug"])], "not ids: Not Slug"),
    ],
)
def test_bad_replaces_are_reported(bank, questions, reason):
    bank.write("extra.yaml", questions)

    problems = _problems(bank)

    assert len(problems) == 1 and reason in problems[0], problems


def _with_numbers(numbers) -> list[dict]:
    data = question_data("numeric-q")
    data["key_points"][0]["numbers"] = numbers
    return [data]


@pytest.mark.parametrize(
    ("numbers", "reason"),
    [
        ("six", "must be a list of numbers"),
        (["six"], "must be a number (got 'six')"),
        ([{"unit": "kHz"}], "each mapping needs 'value'"),
        ([{"value": 6, "tolerance": -1}], "'tolerance' must not be negative"),
    ],
)
def test_bad_numbers_are_reported(bank, numbers, reason):
    bank.write("extra.yaml", _with_numbers(numbers))

    problems = _problems(bank)

    assert len(problems) == 1 and reason in problems[0], problems


def test_numbers_are_imported_with_unit_and_tolerance(bank, bank_topics):
    bank.write("extra.yaml", _with_numbers([6, {"value": 6000, "unit": "Hz", "tolerance": 50}]))

    _import(bank)

    point = KeyPoint.objects.get(question__slug="numeric-q", order=0)
    assert point.numbers == [
        {"value": 6.0, "unit": "", "tolerance": None},
        {"value": 6000.0, "unit": "Hz", "tolerance": 50.0},
    ]
    assert KeyPoint.objects.get(question__slug="numeric-q", order=1).numbers is None  # from the text
