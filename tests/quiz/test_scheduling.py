"""FSRS scheduling driven by grades: due dates move as the ratings say."""

from datetime import UTC, datetime, timedelta

import pytest

from quiz import scheduling
from quiz.models import Attempt, Card
from quiz.services import attempt_rating_override, attempt_submit
from tests.quiz.factories import QuestionFactory

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
RATINGS = (scheduling.AGAIN, scheduling.HARD, scheduling.GOOD, scheduling.EASY)


def _due_after(state, rating, now=NOW) -> timedelta:
    return scheduling.review(state, rating, now=now).due - now


def test_new_card_again_is_sooner_than_good_sooner_than_easy():
    dues = [_due_after(None, r) for r in RATINGS]

    assert dues == sorted(dues) and len(set(dues)) == 4
    assert dues[0] == timedelta(minutes=1)  # the first learning step
    assert dues[3] >= timedelta(days=1)  # Easy graduates straight to review


def test_review_card_intervals_grow_with_the_rating():
    state = scheduling.review(None, scheduling.GOOD, now=NOW).state
    state = scheduling.review(state, scheduling.GOOD, now=NOW + timedelta(minutes=10)).state  # graduates
    later = NOW + timedelta(days=3)

    dues = [_due_after(state, r, later) for r in RATINGS]

    assert dues[0] < dues[1] < dues[2] < dues[3]
    assert dues[0] <= timedelta(minutes=10)  # forgotten: relearn within minutes
    assert dues[2] >= timedelta(days=3)


def test_forgetting_a_review_card_counts_as_a_lapse():
    state = scheduling.review(None, scheduling.EASY, now=NOW).state

    assert scheduling.review(state, scheduling.AGAIN, now=NOW + timedelta(days=5)).lapsed is True
    assert scheduling.review(None, scheduling.AGAIN, now=NOW).lapsed is False


def test_retrievability_falls_with_time_and_is_zero_for_unseen_cards():
    state = scheduling.review(None, scheduling.EASY, now=NOW).state

    soon = scheduling.retrievability(state, now=NOW + timedelta(days=1))
    later = scheduling.retrievability(state, now=NOW + timedelta(days=60))

    assert 1.0 >= soon > later > 0.0
    assert scheduling.retrievability(None, now=NOW) == 0.0


@pytest.mark.parametrize(
    ("score", "rating"),
    [(0.0, 1), (0.33, 1), (0.34, 2), (0.59, 2), (0.6, 3), (0.84, 3), (0.85, 4), (1.0, 4)],
)
def test_free_text_score_bands_map_to_ratings(score, rating):
    assert scheduling.rating_for_score(score) == rating


def test_multiple_choice_maps_wrong_to_again_and_right_to_good():
    assert scheduling.rating_for_answer(options_correct=False, score=None) == scheduling.AGAIN
    assert scheduling.rating_for_answer(options_correct=True, score=None) == scheduling.GOOD
    assert scheduling.rating_for_answer(options_correct=False, score=1.0) == scheduling.HARD  # capped


@pytest.mark.django_db
def test_graded_answers_schedule_wrong_sooner_than_right(learner, other_learner):
    question = QuestionFactory(kind="mcq")
    right, wrong = (question.options.get(correct=True).id, question.options.filter(correct=False).first().id)

    attempt_submit(user=learner, question=question, mode="quiz", option_ids=[right])
    attempt_submit(user=other_learner, question=question, mode="quiz", option_ids=[wrong])

    good, again = Card.objects.get(user=learner), Card.objects.get(user=other_learner)
    assert Attempt.objects.get(user=learner).rating == scheduling.GOOD
    assert Attempt.objects.get(user=other_learner).rating == scheduling.AGAIN
    assert again.due < good.due
    assert good.reviews == again.reviews == 1


@pytest.mark.django_db
def test_override_is_recorded_and_reschedules_from_before_the_attempt(learner):
    question = QuestionFactory(kind="mcq")
    wrong = question.options.filter(correct=False).first().id
    attempt = attempt_submit(user=learner, question=question, mode="review", option_ids=[wrong])
    due_when_again = Card.objects.get(user=learner).due

    attempt_rating_override(attempt=attempt, user=learner, rating=scheduling.EASY)

    attempt.refresh_from_db()
    card = Card.objects.get(user=learner)
    assert (attempt.graded_rating, attempt.rating, attempt.rating_overridden) == (1, 4, True)
    assert card.due - attempt.created_at >= timedelta(days=1) > due_when_again - attempt.created_at
    assert card.reviews == 1  # replaced, not added
