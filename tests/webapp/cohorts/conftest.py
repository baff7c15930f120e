"""A cohort with an owner and a member, and helpers to place learner activity at a moment."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from quiz.models import Attempt
from tests.factories import InstructorFactory, PhaseFactory, TopicFactory, TopicProgressFactory
from tests.quiz.factories import AttemptFactory, QuestionFactory
from tests.webapp.cohorts.factories import CohortFactory, MembershipFactory


def ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def attempt_at(moment: datetime, **fields) -> Attempt:
    """An attempt created at `moment` (created_at is set on insert, so it is moved afterwards)."""
    attempt = AttemptFactory(**fields)
    Attempt.objects.filter(id=attempt.id).update(created_at=moment)
    attempt.refresh_from_db()
    return attempt


def progress_at(*, user, topic, started: datetime, completed: datetime | None = None):
    status = "done" if completed else "started"
    return TopicProgressFactory(
        user=user, topic=topic, status=status, started_at=started, completed_at=completed
    )


@pytest.fixture
def owner(db):
    return InstructorFactory(username="prof-owner")


@pytest.fixture
def cohort(owner):
    return CohortFactory(name="Spring speech cohort", created_by=owner)


@pytest.fixture
def member(cohort, learner):
    """`learner`, a member since 30 days ago."""
    return MembershipFactory(cohort=cohort, user=learner, joined_at=ago(30))


@pytest.fixture
def roadmap(db):
    """Two phases of three topics, and one free-text question per topic."""
    phases = [PhaseFactory(order=i + 1, title=f"Phase {i + 1}") for i in range(2)]
    topics = [
        TopicFactory(phase=p, order=j + 1, title=f"{p.title} topic {j + 1}") for p in phases for j in range(3)
    ]
    questions = [QuestionFactory(main_topic=t, kind="free", level="mid") for t in topics]
    return phases, topics, questions
