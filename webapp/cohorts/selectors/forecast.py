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
    rows = list(cards)
    values = cards_recall(stabilities=[r[3] for r in rows], since_reviews=[r[2] for r in rows])
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0])
    for (uid, topic_id, _, _), value in zip(rows, values, strict=True):
        cell = sums[(uid, topic_id)]
        cell[0] += value
        cell[1] += 1
    return {key: (total / n, int(n)) for key, (total, n) in sums.items()}


def cards_recall(*, stabilities: list[float | None], since_reviews: list[timedelta]) -> list[float]:
    """card_recall of many cards at once, the same numbers (the tests compare them) without
    building a card per row: a 200-learner cohort holds some 26,000 cards, and one at a time they
    took half the dashboard's time. fsrs's curve, R = (1 + F·t/S)^D with t in whole days since the
    review, D = -w[20] of quiz's scheduler and F such that R = 0.9 at t = S."""
    decay = -scheduling.SCHEDULER.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    # Plain floats, in fsrs's order of operations: numpy's power differs in the last bit.
    return [
        0.0 if s is None else (1 + factor * max(0, t.days) / s) ** decay
        for s, t in zip(stabilities, since_reviews, strict=True)
    ]


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
