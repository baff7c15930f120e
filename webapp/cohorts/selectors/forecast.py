"""The forgetting forecast: each learner's predicted recall per topic on a chosen moment, from the
FSRS state of the cards they last reviewed inside the membership window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs
from django.db.models import Avg, Count, DateTimeField, F, FloatField, Func, IntegerField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Power

from quiz import scheduling
from quiz.models import Card
from webapp.cohorts.models import Cohort
from webapp.cohorts.selectors import visible

MICROSECONDS_PER_DAY = 86_400_000_000


class ElapsedDays(Func):
    """Whole days from `since` to `until` (timedelta.days), 0 when `until` comes first: in SQL, so
    a forecast over thousands of cards fetches no timestamps. Exact on both databases: PostgreSQL
    subtracts timestamps; SQLite holds them as UTC text ("YYYY-MM-DD HH:MM:SS[.ffffff]"), counted
    here in integer microseconds (its date functions keep only milliseconds, rounded)."""

    output_field = IntegerField()
    template = "GREATEST(0, FLOOR(date_part('epoch', %(expressions)s) / 86400))::integer"
    arg_joiner = " - "

    def __init__(self, *, until, since):
        super().__init__(until, since)

    def as_sqlite(self, compiler, connection, **extra):
        (until, until_params), (since, since_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )

        def micros(sql: str) -> str:
            # Whole seconds of the text without its fraction, then the fraction's six digits ('' is 0).
            return (
                f"(CAST(strftime('%%s', substr({sql}, 1, 19)) AS INTEGER) * 1000000"
                f" + CAST(substr({sql}, 21, 6) AS INTEGER))"
            )

        sql = f"MAX(0, ({micros(until)} - {micros(since)}) / {MICROSECONDS_PER_DAY})"
        return sql, (*until_params, *until_params, *since_params, *since_params)


def card_recall_sql(*, at: datetime) -> Coalesce:
    """A card's predicted recall on `at`, in SQL: the numbers of card_recall (the tests compare
    them), fsrs's curve R = (1 + F·t/S)^D with t in whole days since the review, D = -w[20] of quiz's
    scheduler and F such that R = 0.9 at t = S; 0 without a stability."""
    decay = -scheduling.SCHEDULER.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    days = ElapsedDays(until=Value(at, output_field=DateTimeField()), since=F("last_review"))
    stability = Cast(KT("state__stability"), FloatField())
    # In fsrs's order of operations: 1 + ((F · t) / S).
    base = Value(1.0) + Value(factor) * days / stability
    return Coalesce(Power(base, Value(decay)), Value(0.0), output_field=FloatField())


def recall_by_learner_and_topic(
    *, cohort: Cohort, user_ids: list[int], at: datetime
) -> dict[tuple[int, int], tuple[float, int]]:
    """(user id, topic id) → (mean predicted recall on `at`, cards) over the cards of those users
    last reviewed inside the window, by each question's main topic: one row per pair (a
    200-learner cohort holds some 26,000 cards; one at a time they took much of the dashboard's time)."""
    pairs = (
        Card.objects.filter(visible(cohort_id=cohort.id, at="last_review"), user_id__in=user_ids)
        .values_list("user_id", "question__main_topic_id")
        .annotate(mean=Avg(card_recall_sql(at=at)), n=Count("id"))
        .order_by()
    )
    return {(uid, topic_id): (mean, n) for uid, topic_id, mean, n in pairs}


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
