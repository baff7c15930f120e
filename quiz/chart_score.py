"""The one rule for the number a score chart plots for a graded answer: the free-text score, else 1 or 0
for the options. In SQL (dashboards aggregate it) and in Python (one attempt); the series both charts use."""

from datetime import datetime

from django.db.models import Case, FloatField, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

CHART_SCORE = Coalesce(
    "score",
    Case(When(options_correct=True, then=Value(1.0)), When(options_correct=False, then=Value(0.0))),
    output_field=FloatField(),
)


def chart_score(*, score: float | None, options_correct: bool | None) -> float | None:
    if score is not None:
        return score
    return None if options_correct is None else float(options_correct)


def chart_score_series(*, attempts: QuerySet, limit: int = 500) -> list[tuple[datetime, float, str]]:
    """(when, score 0..1, question slug) for the latest `limit` scored attempts, oldest first."""
    rows = (
        attempts.annotate(chart=CHART_SCORE)
        .exclude(chart=None)
        .order_by("-created_at")
        .values_list("created_at", "chart", "question__slug")[:limit]
    )
    return [(timezone.localtime(created), value, slug) for created, value, slug in reversed(rows)]
