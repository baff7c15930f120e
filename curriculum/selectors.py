"""Curriculum reads: the roadmap with a learner's progress, phase and topic pages (search: search.py)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from curriculum.models import CheckAnswer, Phase, Resource, Topic, TopicProgress
from webapp.fragments import site_value_get_or_compute


@dataclass(frozen=True)
class PhaseProgress:
    phase: Phase
    topic_count: int
    done: int
    started: int

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.topic_count) if self.topic_count else 0


def roadmap_phases(*, user) -> list[PhaseProgress]:
    """Active phases in order, each with its topic count and the user's done/started counts."""
    active_topics = Q(topics__is_active=True)
    counts = {"topic_count": Count("topics", filter=active_topics, distinct=True)}
    if user.is_authenticated:
        mine = active_topics & Q(topics__progress__user=user)
        counts["done"] = Count("topics", filter=mine & Q(topics__progress__status="done"), distinct=True)
        counts["started"] = Count(
            "topics", filter=mine & Q(topics__progress__status="started"), distinct=True
        )
    phases = Phase.objects.filter(is_active=True).annotate(**counts).order_by("order")
    return [PhaseProgress(p, p.topic_count, getattr(p, "done", 0), getattr(p, "started", 0)) for p in phases]


@dataclass(frozen=True)
class TimelineRow:
    item: PhaseProgress
    start_percent: float  # where the phase's bar starts on the roadmap's week axis
    width_percent: float
    ongoing: bool  # no fixed length: runs from its start to the end of the roadmap


def roadmap_timeline(phases: list[PhaseProgress]) -> tuple[list[TimelineRow], float]:
    """Bars for a Gantt-style timeline: fixed-length phases follow each other; open-ended ones
    (research, capstone) start where they stand and run to the end. Returns (rows, total weeks)."""
    total = sum(p.phase.weeks or 0 for p in phases) or 1.0
    rows, elapsed = [], 0.0
    for item in phases:
        weeks = item.phase.weeks
        start = 100 * elapsed / total
        width = 100 * weeks / total if weeks else 100 - start
        rows.append(TimelineRow(item, round(start, 2), round(max(width, 2.0), 2), weeks is None))
        elapsed += weeks or 0
    return rows, total


def user_status_by_topic(*, user, topics=None) -> dict[int, str]:
    if not user.is_authenticated:
        return {}
    rows = TopicProgress.objects.filter(user=user)
    if topics is not None:
        rows = rows.filter(topic__in=topics)
    return dict(rows.values_list("topic_id", "status"))


def phase_neighbours(*, phase: Phase) -> tuple[Phase | None, Phase | None]:
    """The active phases just before and after this one, for previous/next links."""
    phases = list(Phase.objects.filter(is_active=True).only("slug", "order", "title").order_by("order"))
    previous = [p for p in phases if p.order < phase.order]
    following = [p for p in phases if p.order > phase.order]
    return (previous[-1] if previous else None), (following[0] if following else None)


def phase_for_page(*, slug: str) -> Phase:
    """An active phase, kept in the shared cache until the next curriculum import (the site's
    token), as every phase page asks for it. An unknown slug raises Phase.DoesNotExist and caches
    nothing. Read-only: the same object serves this process's requests until that import."""

    def compute() -> Phase:
        return Phase.objects.get(slug=slug, is_active=True)

    return site_value_get_or_compute(name=f"phase-page:{slug}", compute=compute)


def phase_topics(*, phase: Phase) -> QuerySet[Topic]:
    return phase.topics.filter(is_active=True).order_by("order")


def topic_for_page(*, slug: str) -> Topic:
    """One topic with its phase, resources and prerequisites loaded in a fixed number of queries."""
    return (
        Topic.objects.select_related("phase")
        .prefetch_related(
            Prefetch("resources", queryset=Resource.objects.order_by("order")),
            Prefetch("prerequisites", queryset=Topic.objects.select_related("phase")),
            Prefetch("unlocks", queryset=Topic.objects.active().select_related("phase")),
        )
        .get(slug=slug)
    )


@dataclass(frozen=True)
class TopicPageShared:
    """What a topic page shows every visitor alike: the topic (phase, resources, prerequisites and
    what it unlocks loaded) and its question count."""

    topic: Topic
    question_count: int


def topic_page_shared(*, slug: str) -> TopicPageShared:
    """Kept in the shared cache until the next curriculum or question-bank import (the site's
    token): five of a topic page's queries, the same for every learner. An unknown slug raises
    Topic.DoesNotExist and caches nothing."""

    def compute() -> TopicPageShared:
        topic = topic_for_page(slug=slug)
        return TopicPageShared(topic, topic_question_count(topic=topic))

    return site_value_get_or_compute(name=f"topic-page:{slug}", compute=compute)


def resources_by_kind(*, topic: Topic) -> list[tuple[str, list[Resource]]]:
    labels = dict(Resource.Kind.choices)
    groups: dict[str, list[Resource]] = {}
    for resource in topic.resources.all():
        groups.setdefault(resource.kind, []).append(resource)
    order = list(labels)
    return [(labels[k], groups[k]) for k in sorted(groups, key=order.index)]


def topics_by_demo() -> dict[str, list[Topic]]:
    """Demo slug → the active topics that embed it, in roadmap order (matched in Python: SQLite
    has no JSON containment lookup, and there are only ~70 topics)."""
    found: dict[str, list[Topic]] = {}
    for topic in Topic.objects.active().only("slug", "title", "demos").order_by("phase__order", "order"):
        for slug in topic.demos:
            found.setdefault(slug, []).append(topic)
    return found


def continue_topic(*, user) -> Topic | None:
    """Where to pick up: the most recently touched unfinished topic, else the first not yet done."""
    if not user.is_authenticated:
        return None
    latest = (
        TopicProgress.objects.filter(user=user, status="started", topic__is_active=True)
        .select_related("topic__phase")
        .order_by("-updated_at")
        .first()
    )
    if latest:
        return latest.topic
    done = TopicProgress.objects.filter(user=user, status="done").values("topic_id")
    return Topic.objects.active().exclude(id__in=done).select_related("phase").first()


def learner_totals(*, user) -> dict[str, int]:
    active = Topic.objects.active()
    rows = TopicProgress.objects.filter(user=user, topic__in=active).values("status").annotate(n=Count("id"))
    by_status = {r["status"]: r["n"] for r in rows}
    return {
        "topics": active.count(),
        "done": by_status.get("done", 0),
        "started": by_status.get("started", 0),
    }


def topic_question_count(*, topic: Topic) -> int:
    """Interview questions whose topics include this one (0 until the question bank is imported)."""
    from django.apps import apps

    if not apps.is_installed("quiz"):
        return 0
    question = apps.get_model("quiz", "Question")
    return question.objects.filter(topics=topic, is_active=True).count()


def topic_prediction_evidence(*, topic: Topic, user) -> dict[str, int]:
    """The learner's predict-then-run attempts in demos that count for this topic."""
    from django.apps import apps

    if not user.is_authenticated or not apps.is_installed("demos"):
        return {"total": 0, "right": 0}
    attempts = apps.get_model("demos", "PredictionAttempt").objects.filter(
        user=user,
        topic=topic,
        answered_at__isnull=False,
        replay=False,  # settled, made before the answer
    )
    counts = attempts.aggregate(total=Count("id"), right=Count("id", filter=Q(correct=True)))
    return {"total": counts["total"] or 0, "right": counts["right"] or 0}


def topic_checks(*, topic: Topic, user) -> list[dict]:
    """The Check-yourself questions, each with the learner's record and, once they have one, the
    worked answer (never sent to the page before an attempt or a reveal)."""
    records = {}
    if user.is_authenticated:
        records = {a.question: a for a in CheckAnswer.objects.filter(user=user, topic=topic)}
    checks = []
    for i, question in enumerate(topic.check_questions):
        record = records.get(i)
        answer = topic.worked_answers[i] if record and i < len(topic.worked_answers) else None
        checks.append({"index": i, "number": i + 1, "question": question, "record": record, "answer": answer})
    return checks


def topic_written_evidence(*, topic: Topic, user) -> int:
    """Substantive written attempts at the topic's questions (part of the topic's evidence)."""
    if not user.is_authenticated:
        return 0
    return CheckAnswer.objects.filter(user=user, topic=topic, substantive=True).count()


def phase_goals(*, phase: Phase) -> list[dict]:
    """Each goal with the lessons that teach it (topic links, or the phase notebook)."""
    lessons = phase.goal_lessons or []
    slugs = {slug for names in lessons for slug in names if slug != "notebook"}
    titles = dict(Topic.objects.filter(slug__in=slugs, is_active=True).values_list("slug", "title"))
    goals = []
    for i, text in enumerate(phase.goals):
        names = lessons[i] if i < len(lessons) else []
        taught = [{"slug": s, "title": titles[s]} for s in names if s in titles]
        goals.append({"text": text, "topics": taught, "notebook": "notebook" in names})
    return goals
