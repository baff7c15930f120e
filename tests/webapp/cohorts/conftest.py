"""A cohort with an owner and a member, helpers to place learner activity at a moment, and a reader
of the heatmap's markup."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from quiz.models import Attempt, Question
from tests.factories import InstructorFactory, PhaseFactory, TopicFactory, TopicProgressFactory, UserFactory
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


SVG = "{http://www.w3.org/2000/svg}"  # ElementTree's prefix for the SVG namespace


def svg_parse(markup: str) -> ElementTree.Element:
    """An inline <svg> (no xmlns in HTML) as XML: the parse fails on anything unescaped."""
    return ElementTree.fromstring(markup.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def _full_label(text: ElementTree.Element) -> str:
    title = text.find(f"{SVG}title")  # a shortened label keeps its full text there
    return text.text if title is None else title.text


def heatmap_cells(svg: ElementTree.Element) -> dict[tuple[str, str], tuple[int, int]]:
    """What the heatmap's tooltips say, read from its markup as cohorts/heatmap.js reads it (the
    row's label, the column at the cell's x, the cell's data-v): (learner, topic) → (percent, answers)."""
    step = int(svg.get("data-step"))
    columns = [_full_label(text) for text in svg.find(f"{SVG}g[@class='heat-cols']")]
    cells = {}
    for row in svg.iterfind(f"{SVG}g[@class='heat-row']"):
        learner = _full_label(row.find(f"{SVG}text"))
        for cell in row.iterfind(f"{SVG}rect"):
            column, offset = divmod(int(cell.get("x")), step)
            assert offset == 0, f"a cell between columns: {ElementTree.tostring(cell)}"
            percent, answers = cell.get("data-v").split(" ")
            cells[(learner, columns[column])] = (int(percent), int(answers))
    return cells


def scored_members(cohort, answers: dict[str, list[tuple[Question, float]]]) -> None:
    """A member (joined 20 days ago) per display name, with graded answers, (question, score), given
    two days ago."""
    for name, scored in answers.items():
        user = UserFactory(display_name=name)
        MembershipFactory(cohort=cohort, user=user, joined_at=ago(20))
        for question, score in scored:
            attempt_at(ago(2), user=user, question=question, score=score)


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
