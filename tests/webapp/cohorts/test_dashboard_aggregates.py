"""The dashboard's aggregates, counted by the database, equal a plain Python computation over the
rows they come from (the membership window applied row by row, fsrs's recall per card, each moment's
week in the site's time zone): on a cohort with a learner who did nothing, one with answers still
being graded, one who left and came back, around a change of the clocks, and on SQLite too."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.models import DateTimeField, Value
from django.db.models.sql import Query
from django.utils import timezone

from curriculum.models import TopicProgress
from demos.models import PredictionAttempt
from quiz import scheduling
from quiz.chart_score import chart_score
from quiz.models import Attempt, Card
from tests.factories import UserFactory
from tests.quiz.factories import CardFactory
from tests.webapp.cohorts.conftest import attempt_at, progress_at
from tests.webapp.cohorts.factories import MembershipFactory
from webapp.cohorts import selectors
from webapp.cohorts.selectors.dashboard import DashboardOptions, SiteWeek, cohort_dashboard
from webapp.cohorts.selectors.forecast import ElapsedDays, card_recall

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def _at(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _card(user, question, reviewed: datetime, rating: int) -> None:
    CardFactory(user=user, question=question, last_review=reviewed,
                state=scheduling.review(None, rating, now=reviewed).state)  # fmt: skip


@pytest.fixture
def varied(cohort, roadmap):
    """Four current members and a former one, with activity inside and outside their windows."""
    _, topics, questions = roadmap
    names = ("steady", "idle", "pending", "reader", "rejoined", "former")
    steady, idle, pending, reader, rejoined, former = (UserFactory(username=n) for n in names)
    for user in (steady, idle, pending, reader):
        MembershipFactory(cohort=cohort, user=user, joined_at=_at(60))
    MembershipFactory(cohort=cohort, user=rejoined, joined_at=_at(100), left_at=_at(70))
    MembershipFactory(cohort=cohort, user=rejoined, joined_at=_at(20))
    MembershipFactory(cohort=cohort, user=former, joined_at=_at(50), left_at=_at(5))
    progress_at(user=steady, topic=topics[0], started=_at(50), completed=_at(40))
    progress_at(user=steady, topic=topics[1], started=_at(39))
    progress_at(user=steady, topic=topics[3], started=_at(70), completed=_at(30))  # started before joining
    progress_at(user=reader, topic=topics[4], started=_at(30), completed=_at(8))  # a finish, nothing after
    progress_at(user=reader, topic=topics[5], started=_at(9))
    progress_at(user=rejoined, topic=topics[0], started=_at(90), completed=_at(80))  # finished in the gap
    progress_at(user=rejoined, topic=topics[1], started=_at(50), completed=_at(10))  # started in the gap
    progress_at(user=rejoined, topic=topics[2], started=_at(45), completed=_at(44))  # all in the gap
    progress_at(user=former, topic=topics[0], started=_at(30), completed=_at(20))
    for days, question, score in ((45, 0, 0.2), (44, 0, 0.9), (3, 3, 0.55), (2, 3, None)):
        attempt_at(_at(days), user=steady, question=questions[question], score=score,
                   options_correct=None if score is not None else True)  # fmt: skip
    attempt_at(_at(1), user=pending, question=questions[1], score=None, status="pending")
    for days, score in ((95, 0.1), (60, 0.3), (15, 0.7), (6, 1.0)):  # the gap's answer stays out
        attempt_at(_at(days), user=rejoined, question=questions[2], score=score)
    attempt_at(_at(10), user=former, question=questions[0], score=0.4)
    _card(steady, questions[0], _at(44), 3)
    _card(steady, questions[3], _at(2), 1)
    _card(rejoined, questions[2], _at(60), 4)  # reviewed in the gap: not forecast
    _card(rejoined, questions[4], _at(6), 2)
    prediction = PredictionAttempt.objects.create(user=idle, demo="asr", exercise="x", prediction="y")
    PredictionAttempt.objects.filter(id=prediction.id).update(created_at=_at(61))  # before joining
    return topics


def _week(moment: datetime, zone) -> datetime.date:
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def _expected(cohort, options: DashboardOptions, zone) -> dict:
    """The dashboard's numbers, worked out row by row in Python."""
    windows = selectors.cohort_windows(cohort=cohort)
    members = [m.user_id for m in selectors.members_current(cohort=cohort)]
    inside = windows.contains
    cells, last, events = {}, {uid: [] for uid in members}, []
    for p in TopicProgress.objects.filter(user_id__in=members).select_related("topic"):
        started, done = (
            inside(p.user_id, p.started_at),
            p.status == "done" and inside(p.user_id, p.completed_at),
        )
        if not (started or inside(p.user_id, p.completed_at)):
            continue
        cell = cells.setdefault((p.user_id, p.topic.phase_id), [0, 0])
        cell[0 if done else 1] += 1
        events += [p.started_at] * started + [p.completed_at] * done
        last[p.user_id] += [p.started_at] * started + [p.completed_at] * done
    scores, answers = {}, []
    for a in Attempt.objects.filter(user_id__in=members).select_related("question"):
        if not inside(a.user_id, a.created_at):
            continue
        answers.append(a.created_at)
        last[a.user_id].append(a.created_at)
        value = chart_score(score=a.score, options_correct=a.options_correct)
        if a.status == "graded" and value is not None:
            scores.setdefault((a.user_id, a.question.main_topic_id), []).append(value)
    for p in PredictionAttempt.objects.filter(user_id__in=members):
        if inside(p.user_id, p.created_at):
            last[p.user_id].append(p.created_at)
    at = options.forecast_moment(timezone.localdate(NOW))
    recall = {}
    for c in Card.objects.filter(user_id__in=members).select_related("question"):
        if inside(c.user_id, c.last_review):
            value = card_recall(stability=c.state.get("stability"), since_review=at - c.last_review, at=at)
            recall.setdefault((c.user_id, c.question.main_topic_id), []).append(value)
    weeks = {}
    for kind, moments in ((0, answers), (1, events)):
        for moment in moments:
            weeks.setdefault(_week(moment, zone), [0, 0])[kind] += 1
    return {
        "cells": cells,
        "last": {uid: max(moments, default=None) for uid, moments in last.items()},
        "mastery": {key: (pytest.approx(sum(v) / len(v)), len(v)) for key, v in scores.items()},
        "recall": {key: (pytest.approx(sum(v) / len(v)), len(v)) for key, v in recall.items()},
        "weeks": {day: tuple(n) for day, n in weeks.items()},
    }


def _found(d) -> dict:
    phases = [phase.id for phase, _ in d.phases]
    return {
        "cells": {
            (r.user.id, phase): [c.done, c.started]
            for r in d.learners
            for phase, c in zip(phases, r.cells, strict=True)
            if c.done or c.started
        },
        "last": {r.user.id: r.last_active for r in d.learners},
        "mastery": d.mastery,
        # With a threshold above 100% every topic a learner has cards on is "at risk", with its mean.
        "recall": {(r.user.id, t.id): v for r in d.learners for t, v in r.at_risk},
        "weeks": {w.start: (w.answers, w.progress) for w in d.weeks if w.answers or w.progress},
    }


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_dashboard_aggregates_equal_a_row_by_row_computation(cohort, varied, zone):
    options = DashboardOptions(weeks=20, recall_threshold=1.01)
    with timezone.override(zone):
        d = cohort_dashboard(cohort=cohort, options=options, now=NOW)
        expected = _expected(cohort, options, ZoneInfo(zone))

    found = _found(d)
    assert found["cells"] == expected["cells"]
    assert found["last"] == expected["last"]
    assert found["mastery"] == expected["mastery"]
    assert found["weeks"] == expected["weeks"]
    assert sorted(r.user.username for r in d.learners) == ["idle", "pending", "reader", "rejoined", "steady"]
    rows = {r.user.username: r for r in d.learners}
    assert rows["idle"].last_active is None and rows["idle"].mastery is None and rows["idle"].recall is None
    assert rows["pending"].answers == 0 and rows["pending"].mastery is None
    assert rows["pending"].last_active == _at(1)  # an answer still being graded is activity
    assert rows["reader"].last_active == _at(8)
    assert found["recall"] == {key: mean for key, (mean, _) in expected["recall"].items()}
    means = {uid: [v for (u, _), v in expected["recall"].items() if u == uid] for uid in rows_ids(d)}
    for row in d.learners:
        cards = means[row.user.id]
        want = sum(m.expected * n for m, n in cards) / sum(n for _, n in cards) if cards else None
        assert row.recall == (pytest.approx(want) if cards else None)


def rows_ids(d) -> list[int]:
    return [r.user.id for r in d.learners]


def test_weeks_follow_the_sites_clock_across_a_change_of_time(cohort, roadmap):
    """New York leaves summer time on 1 Nov 2026: half an hour before Monday 2 Nov begins there is
    still the week of 26 Oct, however many hours have passed since an earlier Monday's midnight."""
    _, topics, questions = roadmap
    user = UserFactory()
    MembershipFactory(cohort=cohort, user=user, joined_at=_at(90))
    sunday_night = datetime(2026, 11, 2, 4, 30, tzinfo=UTC)  # 23:30 on Sunday 1 Nov in New York
    monday_morning = datetime(2026, 11, 2, 5, 30, tzinfo=UTC)  # 00:30 on Monday 2 Nov
    progress_at(user=user, topic=topics[0], started=sunday_night, completed=monday_morning)
    attempt_at(sunday_night, user=user, question=questions[0], score=0.5)
    attempt_at(monday_morning, user=user, question=questions[0], score=0.5)

    with timezone.override("America/New_York"):
        d = cohort_dashboard(cohort=cohort, options=DashboardOptions(weeks=6), now=NOW)

    weeks = {w.start.isoformat(): (w.answers, w.progress) for w in d.weeks if w.total}
    assert weeks == {"2026-10-26": (1, 1), "2026-11-02": (1, 1)}


def _sqlite() -> DatabaseWrapper:
    """An in-memory SQLite connection of the embedded default's backend, beside the tests' own."""
    settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:", "OPTIONS": {}, "TIME_ZONE": None,
                "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False,
                "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "TEST": {}}  # fmt: skip
    return DatabaseWrapper(settings, alias="sqlite-check")


@pytest.mark.parametrize("database", ["default", "sqlite"])
def test_elapsed_days_are_timedelta_days_on_each_database(database):
    wrapper = connection if database == "default" else _sqlite()
    until = datetime(2026, 12, 17, 12, 0, tzinfo=UTC)
    gaps = [timedelta(0), timedelta(microseconds=1), timedelta(days=1, microseconds=-1), timedelta(days=1, microseconds=1), timedelta(days=1),
            timedelta(days=2, microseconds=-999_999), timedelta(days=13, hours=23, seconds=59, microseconds=999_999),
            timedelta(days=400, hours=7), timedelta(hours=-3), timedelta(days=-2)]  # fmt: skip
    pairs = [
        (until + shift, until + shift - gap)
        for gap in gaps
        for shift in (timedelta(0), timedelta(microseconds=7))
    ]
    compiler = Query(Card).get_compiler(connection=wrapper)

    found = []
    with wrapper.cursor() as cursor:
        for end, start in pairs:
            days = ElapsedDays(until=Value(end, DateTimeField()), since=Value(start, DateTimeField()))
            sql, params = compiler.compile(days.resolve_expression(compiler.query))
            cursor.execute(f"SELECT {sql}", params)
            found.append(cursor.fetchone()[0])
    if database == "sqlite":
        wrapper.close()

    assert found == [max(0, (end - start).days) for end, start in pairs]


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_site_week_on_sqlite_is_the_monday_of_the_moments_local_day(zone):
    """On the embedded default's clock (UTC) SQLite finds the week itself; elsewhere Django's own
    TruncWeek does, row by row: either way the Monday of the moment's day on the site's clock."""
    wrapper = _sqlite()
    moments = [datetime(2026, 11, 2, 4, 30, tzinfo=UTC), datetime(2026, 11, 2, 5, 30, tzinfo=UTC),
               datetime(2026, 11, 1, 23, 59, 59, 999_999, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC),
               datetime(2026, 11, 8, 23, 59, 59, 999_999, tzinfo=UTC), datetime(2027, 1, 3, 12, tzinfo=UTC)]  # fmt: skip
    compiler = Query(Card).get_compiler(connection=wrapper)

    with timezone.override(zone), wrapper.cursor() as cursor:
        found = []
        for moment in moments:
            week = SiteWeek(Value(moment, DateTimeField())).resolve_expression(compiler.query)
            sql, params = compiler.compile(week)
            cursor.execute(f"SELECT {sql}", params)
            found.append(cursor.fetchone()[0])
        native = "django_datetime_trunc" not in sql
    wrapper.close()

    assert found == [f"{_week(moment, ZoneInfo(zone))} 00:00:00" for moment in moments]
    assert native == (zone == "UTC")
