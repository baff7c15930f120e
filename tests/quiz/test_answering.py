"""Answering mechanics: options shuffled per attempt and stored as shown, "both" questions asked
text first then options, principal options as an uncounted self-check, the combined rating, and
grading handed to a worker (the pages read; the worker's task grades)."""

import html
import re

import pytest
from django.urls import reverse

from quiz import scheduling
from quiz.models import Attempt, Card
from quiz.selectors import options_order
from tests.factories import TopicFactory
from tests.quiz.conftest import grade_now
from tests.quiz.factories import QuestionFactory

pytestmark = pytest.mark.django_db

STRONG = (
    "Sampling at 16 kHz gives a Nyquist frequency of 8 kHz, half the rate. "
    "The 10 kHz tone folds back and shows up as a 6 kHz alias. "
    "An analogue anti-aliasing low-pass filter in front of the converter prevents it."
)
WEAK = "It is a problem with the recording and you should be careful."


@pytest.fixture
def topic():
    return TopicFactory(slug="sampling-nyquist", title="Sampling and Nyquist")


def _start(client, learner, question):
    client.force_login(learner)
    client.post(reverse("quiz:practice_set"), {"topics": [question.main_topic.slug]})
    return client.get(reverse("quiz:quiz_play")).content.decode()


def _token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def _labels(page: str) -> list[str]:
    found = re.findall(r'type="radio" name="options" value="\d+"[^>]*>\s*<span>([^<]+)</span>', page)
    return [html.unescape(label) for label in found]


def _option_id(question, text: str) -> int:
    return question.options.get(text=text).id


def test_option_order_is_a_permutation_fixed_by_the_seed_and_varies_between_seeds(topic):
    question = QuestionFactory(kind="mcq", main_topic=topic)
    ids = sorted(question.options.values_list("id", flat=True))

    orders = {tuple(options_order(question=question, seed=seed)) for seed in range(20)}

    assert all(sorted(order) == ids for order in orders)
    assert options_order(question=question, seed=7) == options_order(question=question, seed=7)
    assert len(orders) > 1  # 20 fixed seeds, 6 possible orders: more than one is drawn


def test_multiple_choice_stores_and_reviews_the_order_it_showed(client, learner, topic):
    question = QuestionFactory(kind="mcq", main_topic=topic)
    page = _start(client, learner, question)
    shown = _labels(page)
    assert sorted(shown) == sorted(question.options.values_list("text", flat=True))

    response = client.post(
        reverse("quiz:answer"),
        {
            "question": question.id,
            "token": _token(page),
            "mode": "quiz",
            "options": _option_id(question, shown[0]),
        },
    )

    attempt = Attempt.objects.get(user=learner)
    assert attempt.options_shown == shown and attempt.status == "graded"
    feedback = client.get(response["Location"]).content.decode()
    positions = [feedback.index(f"<strong>{html.escape(text, quote=False)}</strong>") for text in shown]
    assert positions == sorted(positions)  # the review lists them as the learner saw them


def test_a_forged_token_cannot_choose_the_order(client, learner, topic):
    question = QuestionFactory(kind="mcq", main_topic=topic)
    _start(client, learner, question)
    right = question.options.get(correct=True).id

    client.post(
        reverse("quiz:answer"), {"question": question.id, "token": "forged", "mode": "quiz", "options": right}
    )

    attempt = Attempt.objects.get(user=learner)
    assert attempt.options_correct is True
    assert attempt.options_shown == list(question.options.order_by("order").values_list("text", flat=True))


def _both_text_step(client, learner, question, text):
    page = _start(client, learner, question)
    assert 'type="radio"' not in page and "<textarea" in page  # the text comes first, alone
    response = client.post(
        reverse("quiz:answer"),
        {"question": question.id, "token": _token(page), "mode": "quiz", "answer": text},
    )
    return Attempt.objects.get(user=learner), response["Location"]


def _both_options_step(client, learner, question, attempt, url, *, correct: bool):
    page = client.get(url).content.decode()
    assert "Now choose among the options" in page and "Reference answer" not in page
    text = question.options.filter(correct=correct).first().text
    client.post(
        reverse("quiz:attempt_options", args=[attempt.id]),
        {"token": _token(page), "options": _option_id(question, text)},
    )
    attempt.refresh_from_db()
    return attempt


def test_both_asks_the_text_first_grades_it_then_the_options(client, learner, topic):
    question = QuestionFactory(kind="both", main_topic=topic)
    attempt, url = _both_text_step(client, learner, question, STRONG)
    assert attempt.status == "grading" and not Card.objects.exists()

    attempt = grade_now(attempt)
    assert attempt.status == "options" and attempt.score > 0.85 and not Card.objects.exists()

    attempt = _both_options_step(client, learner, question, attempt, url, correct=True)

    assert attempt.status == "graded" and attempt.options_correct is True
    assert attempt.rating == scheduling.EASY  # a strong explanation lifts a correct choice
    assert Card.objects.get(user=learner).reviews == 1
    page = client.get(url).content.decode()
    assert "Points you made (3)" in page and "Correct" in page and "Reference answer" in page


@pytest.mark.parametrize(
    ("text", "correct", "rating"),
    [
        (WEAK, True, scheduling.GOOD),  # a weak explanation never lowers a correct choice
        ("", True, scheduling.GOOD),  # nor does skipping it
        (STRONG, False, scheduling.HARD),  # a good explanation isn't wasted on a wrong choice
        (WEAK, False, scheduling.AGAIN),
    ],
)
def test_both_rating_wastes_neither_the_choice_nor_the_explanation(
    client, learner, topic, text, correct, rating
):
    question = QuestionFactory(kind="both", main_topic=topic)
    attempt, url = _both_text_step(client, learner, question, text)
    if text:
        attempt = grade_now(attempt)
    assert attempt.status == "options"

    attempt = _both_options_step(client, learner, question, attempt, url, correct=correct)

    assert attempt.rating == rating


def test_principal_options_are_a_self_check_that_does_not_count(client, learner, topic):
    question = QuestionFactory(kind="both", level="principal", main_topic=topic)
    page = _start(client, learner, question)
    assert 'type="radio"' not in page
    client.post(
        reverse("quiz:answer"),
        {"question": question.id, "token": _token(page), "mode": "quiz", "answer": WEAK},
    )
    attempt = grade_now(Attempt.objects.get(user=learner))
    assert attempt.status == "graded" and attempt.rating == scheduling.AGAIN
    url = reverse("quiz:attempt", args=[attempt.id])
    page = client.get(url).content.decode()
    assert "Self-check (doesn't count)" in page

    right = question.options.get(correct=True)
    client.post(
        reverse("quiz:attempt_options", args=[attempt.id]), {"token": _token(page), "options": right.id}
    )

    attempt.refresh_from_db()
    assert attempt.options_correct is True and attempt.options_counted is False
    assert attempt.rating == scheduling.AGAIN and Card.objects.get(user=learner).reviews == 1
    assert "Self-check: Correct" in client.get(url).content.decode()


def test_pages_read_only_while_grading_and_status_says_when_done(client, learner, topic):
    question = QuestionFactory(kind="free", main_topic=topic)
    page = _start(client, learner, question)
    client.post(
        reverse("quiz:answer"),
        {"question": question.id, "token": _token(page), "mode": "quiz", "answer": STRONG},
    )
    attempt = Attempt.objects.get(user=learner)
    status_url = reverse("quiz:attempt_status", args=[attempt.id])

    for _ in range(2):
        client.get(reverse("quiz:attempt", args=[attempt.id]))
    assert client.get(status_url).json() == {
        "status": "grading",
        "status_label": "Grading",
        "finished": False,
    }
    attempt.refresh_from_db()
    assert attempt.status == "grading" and attempt.score is None and not Card.objects.exists()

    grade_now(attempt)
    grade_now(attempt)  # a redelivered message changes nothing

    assert client.get(status_url).json()["finished"] is True
    assert Card.objects.get(user=learner).reviews == 1
