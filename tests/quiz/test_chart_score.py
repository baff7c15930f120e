"""One chart-score rule (quiz/chart_score.py): SQL and Python agree, and both charts use one series."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quiz.chart_score import CHART_SCORE, chart_score
from quiz.models import Attempt
from quiz.selectors import score_series
from tests.quiz.factories import AttemptFactory

pytestmark = pytest.mark.django_db


def test_sql_and_python_give_the_same_number(learner):
    cases = [(0.7, None), (None, True), (None, False), (None, None), (0.2, True)]
    made = [AttemptFactory(user=learner, score=s, options_correct=c) for s, c in cases]

    in_sql = dict(Attempt.objects.annotate(chart=CHART_SCORE).values_list("id", "chart"))

    expected = [0.7, 1.0, 0.0, None, 0.2]
    assert [chart_score(score=a.score, options_correct=a.options_correct) for a in made] == expected
    assert [in_sql[a.id] for a in made] == expected


def test_the_series_keeps_the_latest_scored_answers_oldest_first(learner):
    for days, score, correct in [(3, 0.4, None), (2, None, None), (1, None, True)]:
        attempt = AttemptFactory(user=learner, score=score, options_correct=correct)
        Attempt.objects.filter(id=attempt.id).update(created_at=timezone.now() - timedelta(days=days))

    assert [value for _, value, _ in score_series(user=learner)] == [0.4, 1.0]
    assert [value for _, value, _ in score_series(user=learner, limit=1)] == [1.0]
