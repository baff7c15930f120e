"""Assignments: their titles, each learner's status from their own activity inside the window,
a learner's assignments across their cohorts, and whether enough questions exist to set one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from curriculum.models import Topic, TopicProgress
from quiz.models import Attempt, Question
from webapp.accounts.models import User
from webapp.cohorts.models import Assignment, Cohort
from webapp.cohorts.selectors import (
    attempts_visible,
    memberships_current,
    mocks_visible,
    progress_visible,
    visible,
)


@dataclass(frozen=True)
class AssignmentStatus:
    state: str  # "done", "started" or "todo"
    have: int  # topics done / graded answers / interviews finished
    need: int
    overdue: bool

    @property
    def label(self) -> str:
        label = {"done": "Done", "started": "In progress", "todo": "Not started"}[self.state]
        return f"{label} · overdue" if self.overdue else label


def assignment_title(*, assignment: Assignment, topics: Sequence[Topic]) -> str:
    if assignment.title:
        return assignment.title
    names = ", ".join(t.title for t in topics[:3]) + (
        f" and {len(topics) - 3} more" if len(topics) > 3 else ""
    )
    level = f" ({assignment.get_level_display()})" if assignment.level else ""
    if assignment.kind == Assignment.Kind.TOPICS:
        return f"Finish {names}"
    if assignment.kind == Assignment.Kind.QUIZ:
        return f"Quiz: {assignment.question_count} answers on {names}{level}"
    return f"Mock interview: {assignment.question_count} questions{level}" + (f" on {names}" if names else "")


def assignments_for_cohort(*, cohort: Cohort) -> list[Assignment]:
    return list(
        Assignment.objects.filter(cohort=cohort)
        .select_related("cohort")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("phase__order", "order")))
        .order_by("due_on", "id")
    )


def assignment_for_owner(*, cohort: Cohort, assignment_id: int) -> Assignment:
    return (
        Assignment.objects.filter(cohort=cohort)
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("phase__order", "order")))
        .get(id=assignment_id)
    )


def assignment_statuses(
    *, cohort: Cohort, assignments: Sequence[Assignment], user_ids: Iterable[int], today: date | None = None
) -> dict[tuple[int, int], AssignmentStatus]:
    """(assignment id, user id) → status, from the learners' activity inside the window. Quiz
    answers and interviews count only after the assignment was set; a topic counts once done.
    A fixed number of queries however many assignments and learners (one per kind present)."""
    today = today or timezone.localdate()
    user_ids = list(user_ids)
    counts: dict[tuple[int, int], tuple[int, int]] = {}  # → (have, started)
    by_kind = defaultdict(list)
    for a in assignments:
        by_kind[a.kind].append(a)
    if by_kind[Assignment.Kind.TOPICS]:
        counts |= _topic_counts(cohort, by_kind[Assignment.Kind.TOPICS], user_ids)
    if by_kind[Assignment.Kind.QUIZ]:
        counts |= _quiz_counts(cohort, by_kind[Assignment.Kind.QUIZ], user_ids)
    if by_kind[Assignment.Kind.MOCK]:
        counts |= _mock_counts(cohort, by_kind[Assignment.Kind.MOCK], user_ids)
    statuses = {}
    for a in assignments:
        need = _needed(a)
        for uid in user_ids:
            have, started = counts.get((a.id, uid), (0, 0))
            state = "done" if have >= need else ("started" if have or started else "todo")
            statuses[(a.id, uid)] = AssignmentStatus(
                state, min(have, need), need, state != "done" and today > a.due_on
            )
    return statuses


def _needed(assignment: Assignment) -> int:
    if assignment.kind == Assignment.Kind.TOPICS:
        return len(assignment.topics.all())
    if assignment.kind == Assignment.Kind.QUIZ:
        return assignment.question_count or 1
    return 1  # one finished interview


def _topic_counts(cohort, assignments, user_ids) -> dict[tuple[int, int], tuple[int, int]]:
    topic_ids = {t.id for a in assignments for t in a.topics.all()}
    rows = (
        progress_visible(cohort=cohort)
        .filter(user_id__in=user_ids, topic_id__in=topic_ids)
        .values_list("user_id", "topic_id", "status", "completed_seen")
    )
    done, started = defaultdict(set), defaultdict(set)
    for uid, tid, status, completed_seen in rows:
        (done if status == TopicProgress.Status.DONE and completed_seen else started)[uid].add(tid)
    out = {}
    for a in assignments:
        wanted = {t.id for t in a.topics.all()}
        for uid in user_ids:
            out[(a.id, uid)] = (len(done[uid] & wanted), len(started[uid] & wanted))
    return out


def _quiz_counts(cohort, assignments, user_ids) -> dict[tuple[int, int], tuple[int, int]]:
    """Graded answers on questions tagged with the assignment's topics (and level), per learner."""
    graded = Q(status=Attempt.Status.GRADED)
    per_assignment = {}
    for a in assignments:
        match = Q(created_at__gte=a.created_at, question__topics__in=[t.id for t in a.topics.all()])
        if a.level:
            match &= Q(question__level=a.level)
        per_assignment[f"a{a.id}"] = Count("id", filter=match & graded, distinct=True)
        per_assignment[f"s{a.id}"] = Count("id", filter=match, distinct=True)
    rows = (
        attempts_visible(cohort=cohort)
        .filter(user_id__in=user_ids, created_at__gte=min(a.created_at for a in assignments))
        .values("user_id")
        .annotate(**per_assignment)
    )
    return {(a.id, row["user_id"]): (row[f"a{a.id}"], row[f"s{a.id}"]) for row in rows for a in assignments}


def _mock_counts(cohort, assignments, user_ids) -> dict[tuple[int, int], tuple[int, int]]:
    """Interviews at the level, with at least the asked length, on one of the topics if any."""
    per_assignment = {}
    for a in assignments:
        match = Q(started_at__gte=a.created_at, level=a.level, question_count__gte=a.question_count or 1)
        if a.topics.all():
            match &= Q(topics__in=[t.id for t in a.topics.all()])
        finished = match & Q(finished_at__isnull=False, finished_seen=True)
        per_assignment[f"a{a.id}"] = Count("id", filter=finished, distinct=True)
        per_assignment[f"s{a.id}"] = Count("id", filter=match, distinct=True)
    rows = (
        mocks_visible(cohort=cohort)
        .filter(user_id__in=user_ids, started_at__gte=min(a.created_at for a in assignments))
        .annotate(finished_seen=visible(cohort_id=cohort.id, at="finished_at"))
        .values("user_id")
        .annotate(**per_assignment)
    )
    return {(a.id, row["user_id"]): (row[f"a{a.id}"], row[f"s{a.id}"]) for row in rows for a in assignments}


@dataclass(frozen=True)
class LearnerAssignment:
    assignment: Assignment
    title: str
    topics: list[Topic]
    status: AssignmentStatus

    @property
    def start_url(self) -> str:
        """Where to do it: a quiz set over the topics, or the interview set-up at the level."""
        if self.assignment.kind == Assignment.Kind.QUIZ:
            params = {"topics": [t.slug for t in self.topics], "level": self.assignment.level}
            if self.assignment.question_count:  # the set-up form starts with the assignment's count
                params["count"] = self.assignment.question_count
            query = urlencode(params, doseq=True)
            return f"{reverse('quiz:quiz_new')}?{query}"
        if self.assignment.kind == Assignment.Kind.MOCK:
            return f"{reverse('quiz:mock_new')}?{urlencode({'level': self.assignment.level})}"
        return reverse("curriculum:topic", args=[self.topics[0].slug]) if self.topics else ""


def learner_assignments(*, user: User) -> list[LearnerAssignment]:
    """The learner's assignments in the cohorts they are in now, open ones first by due date."""
    memberships = memberships_current(user=user)
    out: list[LearnerAssignment] = []
    for membership in memberships:
        assignments = assignments_for_cohort(cohort=membership.cohort)
        if not assignments:
            continue
        statuses = assignment_statuses(cohort=membership.cohort, assignments=assignments, user_ids=[user.id])
        for a in assignments:
            topics = list(a.topics.all())
            out.append(
                LearnerAssignment(
                    a, assignment_title(assignment=a, topics=topics), topics, statuses[(a.id, user.id)]
                )
            )
    return sorted(out, key=lambda row: (row.status.state == "done", row.assignment.due_on, row.assignment.id))


def question_count_available(*, kind: str, topics: Sequence[Topic], level: str) -> int:
    """How many active questions an assignment could draw on (mock interviews: free-text only)."""
    questions = Question.objects.active()
    if topics:
        questions = questions.filter(topics__in=topics)
    if level:
        questions = questions.filter(level=level)
    if kind == Assignment.Kind.MOCK:
        questions = questions.filter(kind__in=[Question.Kind.FREE, Question.Kind.BOTH])
    return questions.distinct().count()
