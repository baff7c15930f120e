"""The forgetting forecast: each learner's predicted recall per topic on a chosen moment, from the
FSRS state of the cards they last reviewed inside the membership window."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import fsrs
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, FloatField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from quiz import scheduling
from quiz.models import Card
from webapp.cohorts.models import Cohort
from webapp.cohorts.selectors import visible


def recall_by_learner_and_topic(
    *, cohort: Cohort, user_ids: list[int], at: datetime
) -> dict[tuple[int, int], tuple[float, int]]:
    """(user id, topic id) → (mean predicted recall on `at`, cards) over the cards of those users
    last reviewed inside the window, by each question's main topic."""
    age = ExpressionWrapper(
        Value(at, output_field=DateTimeField()) - F("last_review"), output_field=DurationField()
    )
    cards = Card.objects.filter(
        visible(cohort_id=cohort.id, at="last_review"), user_id__in=user_ids
    ).values_list("user_id", "question__main_topic_id", age, Cast(KT("state__stability"), FloatField()))
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0])
    for uid, topic_id, since_review, stability in cards:
        cell = sums[(uid, topic_id)]
        cell[0] += card_recall(stability=stability, since_review=since_review, at=at)
        cell[1] += 1
    return {key: (total / n, int(n)) for key, (total, n) in sums.items()}


def card_recall(*, stability: float | None, since_review: timedelta, at: datetime) -> float:
    """FSRS retrievability at `at` of a card reviewed `since_review` earlier: quiz's scheduler
    (quiz.scheduling.SCHEDULER) through fsrs's Scheduler.get_card_retrievability, on a card made
    from the two fields that function reads. Parsing each card's whole JSON state instead
    (quiz.scheduling.retrievability, which gives the same number) takes most of the dashboard's
    time on a large cohort."""
    if stability is None:
        return 0.0
    moment = at.astimezone(UTC)
    reviewed = moment - since_review
    card = fsrs.Card(
        card_id=1, state=fsrs.State.Review, stability=stability, last_review=reviewed, due=reviewed
    )
    return float(scheduling.SCHEDULER.get_card_retrievability(card, moment))
