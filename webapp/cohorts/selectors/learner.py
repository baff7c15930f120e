"""One learner as a cohort's owners see them, read-only: roadmap progress, answers, score series
and mock interviews, each bounded by the membership window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch

from curriculum.models import Phase, Topic, TopicProgress
from quiz.chart_score import chart_score_series
from quiz.models import Attempt, MockInterview
from webapp.accounts.models import User
from webapp.cohorts.models import Cohort
from webapp.cohorts.selectors import attempts_visible, mocks_visible, progress_visible, visible


@dataclass(frozen=True)
class TopicRow:
    topic: Topic
    status: str | None  # "done", "started" or None, as of the window
    started_at: datetime | None
    completed_at: datetime | None


@dataclass(frozen=True)
class PhaseRows:
    phase: Phase
    topics: list[TopicRow]

    @property
    def done(self) -> int:
        return sum(1 for row in self.topics if row.status == "done")


def learner_progress(*, cohort: Cohort, learner: User) -> list[PhaseRows]:
    """Every active topic by phase, with the learner's status as the window shows it."""
    seen = {}
    for row in progress_visible(cohort=cohort).filter(user=learner):
        done = row.completed_seen and row.status == TopicProgress.Status.DONE
        seen[row.topic_id] = (
            "done" if done else "started",
            row.started_at if row.started_seen else None,
            row.completed_at if done else None,
        )
    phases = Phase.objects.filter(is_active=True).prefetch_related(
        Prefetch("topics", queryset=Topic.objects.filter(is_active=True).order_by("order"))
    )
    return [
        PhaseRows(phase, [TopicRow(t, *seen.get(t.id, (None, None, None))) for t in phase.topics.all()])
        for phase in phases
    ]


def learner_attempts(*, cohort: Cohort, learner: User, limit: int = 200) -> list[Attempt]:
    return list(
        attempts_visible(cohort=cohort)
        .filter(user=learner)
        .select_related("question__main_topic")
        .order_by("-created_at", "-id")[:limit]
    )


def learner_score_series(
    *, cohort: Cohort, learner: User, limit: int = 500
) -> list[tuple[datetime, float, str]]:
    """(when, score, question) for quiz's score chart, from the visible graded attempts only."""
    attempts = attempts_visible(cohort=cohort).filter(user=learner, status=Attempt.Status.GRADED)
    return chart_score_series(attempts=attempts, limit=limit)


def learner_mocks(*, cohort: Cohort, learner: User) -> list[tuple[MockInterview, bool]]:
    """The learner's interviews started inside the window, each with whether its report is visible."""
    mocks = (
        mocks_visible(cohort=cohort)
        .filter(user=learner)
        .annotate(finished_seen=visible(cohort_id=cohort.id, at="finished_at"))
    )
    return [(m, bool(m.finished_at and m.finished_seen)) for m in mocks.order_by("-started_at")]


def mock_visible_report(*, cohort: Cohort, learner: User, mock_id: int) -> MockInterview:
    """An interview both started and finished inside the window (so every answer in it was too)."""
    return (
        mocks_visible(cohort=cohort)
        .filter(user=learner, finished_at__isnull=False)
        .filter(visible(cohort_id=cohort.id, at="finished_at"))
        .get(id=mock_id)
    )
