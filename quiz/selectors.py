"""Quiz reads: practice sets, the review queue, readiness by level, recall and retention, history, reports."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from curriculum.models import Topic
from quiz import scheduling
from quiz.chart_score import chart_score, chart_score_series
from quiz.models import Attempt, Card, KeyPoint, Level, MockInterview, Option, Question
from webapp.fragments import site_value_get_or_compute

WEAKEST_SHOWN = 3
RETENTION_WINDOW = timedelta(days=30)


def topics_with_questions() -> QuerySet[Topic]:
    """Active topics that have active questions, in roadmap order, each with `question_count`."""
    active = Q(questions__is_active=True)
    return (
        Topic.objects.active()
        .annotate(question_count=Count("questions", filter=active, distinct=True))
        .filter(question_count__gt=0)
        .select_related("phase")
        .order_by("phase__order", "order")
    )


def question_with_details(*, question_id: int, active_only: bool = False) -> Question:
    """One question with its options and key points (DoesNotExist when unknown, or retired and
    `active_only`): the feedback on an old answer still shows a retired question."""
    questions = Question.objects.active() if active_only else Question.objects.all()
    return (
        questions.select_related("main_topic")
        .prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order")),
            Prefetch("key_points", queryset=KeyPoint.objects.order_by("order")),
        )
        .get(id=question_id)
    )


def question_for_answering(*, question_id: int) -> Question:
    return question_with_details(question_id=question_id, active_only=True)


def options_order(*, question: Question, seed: int) -> list[int]:
    """The question's option ids in the order one attempt shows them: shuffled by `seed` (drawn
    per attempt by the view), so no stored position gives the answer away."""
    ids = [o.id for o in question.options.all()]
    random.Random(seed).shuffle(ids)
    return ids


def _matching(*, topics: Sequence[Topic], level: str | None, kinds: Sequence[str] | None = None) -> list[int]:
    questions = Question.objects.active()
    if topics:
        questions = questions.filter(topics__in=topics)
    if level:
        questions = questions.filter(level=level)
    if kinds:
        questions = questions.filter(kind__in=kinds)
    return sorted(set(questions.values_list("id", flat=True)))


def quiz_questions_pick(
    *, user, topics: Sequence[Topic], level: str | None, count: int, rng: random.Random | None = None
) -> list[int]:
    """Up to `count` question ids: the learner's due cards first, then new questions, then the rest."""
    rng = rng or random.Random()
    ids = _matching(topics=topics, level=level)
    due_at = dict(Card.objects.filter(user=user, question_id__in=ids).values_list("question_id", "due"))
    now = timezone.now()
    due = sorted((i for i in ids if i in due_at and due_at[i] <= now), key=due_at.__getitem__)
    new = [i for i in ids if i not in due_at]
    rng.shuffle(new)
    later = sorted((i for i in ids if i in due_at and due_at[i] > now), key=due_at.__getitem__)
    return (due + new + later)[:count]


def mock_questions_pick(
    *, user, level: str, topics: Sequence[Topic], count: int, rng: random.Random | None = None
) -> list[int]:
    """Free-text questions at `level`, taken in turn from each topic so the interview mixes them."""
    rng = rng or random.Random()
    ids = _matching(topics=topics, level=level, kinds=[Question.Kind.FREE, Question.Kind.BOTH])
    seen = set(Card.objects.filter(user=user, question_id__in=ids).values_list("question_id", flat=True))
    by_topic: dict[int, list[int]] = defaultdict(list)
    for qid, topic_id in Question.objects.filter(id__in=ids).values_list("id", "main_topic_id"):
        by_topic[topic_id].append(qid)
    queues = []
    for qids in by_topic.values():
        rng.shuffle(qids)
        queues.append(sorted(qids, key=lambda q: q in seen))  # unseen first, stable within each group
    rng.shuffle(queues)
    picked: list[int] = []
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    return picked


def end_of_today(now: datetime | None = None) -> datetime:
    local = timezone.localtime(now or timezone.now())
    return local.replace(hour=23, minute=59, second=59, microsecond=999999)


def due_cards(*, user, now: datetime | None = None) -> QuerySet[Card]:
    """The learner's cards due by the end of today (local time), the most overdue first."""
    return (
        Card.objects.filter(user=user, due__lte=end_of_today(now), question__is_active=True)
        .select_related("question__main_topic")
        .order_by("due", "id")
    )


# ---------------------------------------------------------------------------------------------
# Readiness, recall and retention


@dataclass(frozen=True)
class TopicReadiness:
    topic: Topic
    questions: int  # at this level (or all levels, for recall by topic)
    seen: int
    mastery: float  # mean latest score over the questions, unseen ones counting 0
    recall: float  # mean FSRS retrievability over the questions seen
    readiness: float  # mean of score × retrievability per question, unseen ones counting 0

    @property
    def percent(self) -> int:
        return round(100 * self.readiness)


@dataclass(frozen=True)
class LevelReadiness:
    level: str
    label: str
    score: float  # mean topic readiness over the topics this level's questions cover
    topics: list[TopicReadiness]
    weakest: list[TopicReadiness]

    @property
    def percent(self) -> int:
        return round(100 * self.score)

    @property
    def seen(self) -> int:
        return sum(row.seen for row in self.topics)

    @property
    def not_started(self) -> list[TopicReadiness]:
        return [row for row in self.topics if not row.seen]


def _card_values(user, now: datetime) -> dict[int, tuple[float, float]]:
    """question id → (latest score, retrievability now) for every card of the learner."""
    rows = Card.objects.filter(user=user).values_list("question_id", "last_score", "state")
    return {qid: (score, scheduling.retrievability(state, now=now)) for qid, score, state in rows}


def _topic_readiness(topic: Topic, question_ids: list[int], cards: dict) -> TopicReadiness:
    values = [cards.get(q) for q in question_ids]
    seen = [v for v in values if v]
    n = len(question_ids)
    return TopicReadiness(
        topic=topic,
        questions=n,
        seen=len(seen),
        mastery=sum(s for s, _ in seen) / n,
        recall=sum(r for _, r in seen) / len(seen) if seen else 0.0,
        readiness=sum(s * r for s, r in seen) / n,
    )


# What readiness rows show (title, link, roadmap order): topic and phase bodies are long, and every
# practice page view loaded all of them.
READINESS_TOPIC_FIELDS = (
    "id",
    "slug",
    "title",
    "order",
    "phase__id",
    "phase__order",
    "phase__slug",
    "phase__title",
)


def _topics_for_readiness(ids) -> dict[int, Topic]:
    return Topic.objects.select_related("phase").only(*READINESS_TOPIC_FIELDS).in_bulk(ids)


def _question_bank_by_level() -> tuple[dict[str, dict[int, list[int]]], dict[int, Topic]]:
    """level → topic id → active question ids, and those topics: the same for every learner, so kept
    in the shared cache until the next curriculum or question import."""

    def compute():
        grouped: dict[str, dict[int, list[int]]] = defaultdict(dict)
        for qid, level, topic_id in Question.objects.active().values_list("id", "level", "main_topic_id"):
            grouped[level].setdefault(topic_id, []).append(qid)
        topic_ids = {t for by_topic in grouped.values() for t in by_topic}
        return dict(grouped), _topics_for_readiness(topic_ids)

    return site_value_get_or_compute(name="quiz-bank-by-level", compute=compute)


def readiness_by_level(*, user, now: datetime | None = None) -> list[LevelReadiness]:
    """Per level: readiness across the topics its questions cover, and the weakest of them."""
    now = now or timezone.now()
    cards = _card_values(user, now)
    grouped, topics = _question_bank_by_level()
    levels = []
    for level, label in Level.choices:
        rows = [_topic_readiness(topics[t], qids, cards) for t, qids in grouped.get(level, {}).items()]
        rows.sort(key=lambda r: (r.topic.phase.order, r.topic.order))
        score = sum(r.readiness for r in rows) / len(rows) if rows else 0.0
        # Only practised topics can be "weakest"; the rest are listed as not started (LevelReadiness).
        practised = [r for r in rows if r.seen]
        weakest = sorted(practised, key=lambda r: (r.readiness, r.topic.phase.order, r.topic.order))
        weakest = weakest[:WEAKEST_SHOWN]
        levels.append(LevelReadiness(level, label, score, rows, weakest))
    return levels


def recall_by_topic(*, user, now: datetime | None = None) -> list[TopicReadiness]:
    """Predicted recall (FSRS retrievability) per topic the learner has practised, lowest first."""
    now = now or timezone.now()
    cards = _card_values(user, now)
    by_topic: dict[int, list[int]] = defaultdict(list)
    for qid, topic_id in Question.objects.active().values_list("id", "main_topic_id"):
        by_topic[topic_id].append(qid)
    practised = {t: qids for t, qids in by_topic.items() if any(q in cards for q in qids)}
    topics = _topics_for_readiness(practised)
    rows = [_topic_readiness(topics[t], qids, cards) for t, qids in practised.items()]
    return sorted(rows, key=lambda r: (r.recall, r.topic.title))


@dataclass(frozen=True)
class Retention:
    cards: int
    due_today: int
    due_now: int  # the rest of due_today comes back later today (FSRS learning steps)
    learning: int  # FSRS Learning and Relearning states
    review: int
    reviews_30d: int
    recalled_30d: float | None  # share of last 30 days' answers not rated Again
    mean_recall: float | None  # mean predicted recall over all cards, now


def retention_stats(*, user, now: datetime | None = None) -> Retention:
    now = now or timezone.now()
    states = list(Card.objects.filter(user=user).values_list("state", "due"))
    recent = Attempt.objects.filter(user=user, rating__isnull=False, created_at__gte=now - RETENTION_WINDOW)
    counts = recent.aggregate(n=Count("id"), recalled=Count("id", filter=Q(rating__gt=Attempt.Rating.AGAIN)))
    recalls = [scheduling.retrievability(state, now=now) for state, _ in states]
    eod = end_of_today(now)
    return Retention(
        cards=len(states),
        due_today=sum(due <= eod for _, due in states),
        due_now=sum(due <= now for _, due in states),
        learning=sum(state.get("state") != 2 for state, _ in states),  # fsrs.State.Review == 2
        review=sum(state.get("state") == 2 for state, _ in states),
        reviews_30d=counts["n"],
        recalled_30d=counts["recalled"] / counts["n"] if counts["n"] else None,
        mean_recall=sum(recalls) / len(recalls) if recalls else None,
    )


# ---------------------------------------------------------------------------------------------
# A learner's own attempts and interviews (others' are DoesNotExist: views answer 404)


def attempt_for_user(*, attempt_id: int, user) -> Attempt:
    return Attempt.objects.select_related("question__main_topic", "recording", "mock").get(
        id=attempt_id, user=user
    )


SETTLED_KEY_SECONDS = 60


def attempt_settled_key(attempt_id: int) -> str:
    """The shared-cache key a worker sets once it has settled an attempt (quiz.services)."""
    return f"quiz:attempt-settled:{attempt_id}"


def attempt_wait_graded(*, attempt_id: int, timeout: float, interval: float = 0.02) -> str:
    """The attempt's status once a worker has graded it, or as it is when `timeout` runs out:
    lets the answer's POST show the grade at once when the worker is quick. It holds no database
    connection while it waits — it gives the request's back (to the pool, or closes it) and
    watches the key the worker sets in the shared cache — so a class answering at once does not
    take every pooled connection of a web process for seconds; the row is read once, at the end."""
    from django.core.cache import cache
    from django.db import connection

    if timeout > 0:
        if not connection.in_atomic_block:  # the attempt was committed before the wait
            connection.close()
        deadline = time.monotonic() + timeout
        while not cache.get(attempt_settled_key(attempt_id)) and time.monotonic() < deadline:
            time.sleep(interval)
    return Attempt.objects.filter(id=attempt_id).values_list("status", flat=True).first()


def card_for(*, user, question_id: int) -> Card | None:
    return Card.objects.filter(user=user, question_id=question_id).first()


def attempts_for_history(*, user, limit: int = 100) -> list[Attempt]:
    return list(
        Attempt.objects.filter(user=user)
        .select_related("question__main_topic")
        .order_by("-created_at", "-id")[:limit]
    )


def attempt_chart_score(attempt: Attempt) -> float | None:
    """The one number a history chart plots (quiz/chart_score.py)."""
    return chart_score(score=attempt.score, options_correct=attempt.options_correct)


def score_series(*, user, limit: int = 500) -> list[tuple[datetime, float, str]]:
    """(when, score 0..1, question slug) for the learner's latest graded attempts, oldest first."""
    return chart_score_series(
        attempts=Attempt.objects.filter(user=user, status=Attempt.Status.GRADED), limit=limit
    )


def mock_for_user(*, mock_id: int, user) -> MockInterview:
    return MockInterview.objects.get(id=mock_id, user=user)


def mock_open_for_user(*, user) -> MockInterview | None:
    return MockInterview.objects.filter(user=user, finished_at__isnull=True).order_by("-started_at").first()


def mock_next_question_id(*, mock: MockInterview) -> int | None:
    """The first planned question without an answer (a failed transcription does not count)."""
    answered = set(mock.attempts.exclude(status=Attempt.Status.FAILED).values_list("question_id", flat=True))
    return next((q for q in mock.question_ids if q not in answered), None)


@dataclass(frozen=True)
class MockRow:
    position: int
    question: Question
    attempt: Attempt | None  # the answer that counts: graded or pending, else the last failed one

    @property
    def score(self) -> float:
        return (self.attempt.score or 0.0) if self.attempt else 0.0


@dataclass(frozen=True)
class MockReport:
    mock: MockInterview
    rows: list[MockRow]
    topics: list[tuple[Topic, float, int]]  # topic, mean score, questions
    score: float
    seconds: int
    pending: int


WAITING = (Attempt.Status.PENDING, Attempt.Status.GRADING)  # answers a worker has yet to grade


def mock_report(*, mock: MockInterview) -> MockReport:
    questions = Question.objects.select_related("main_topic__phase").in_bulk(mock.question_ids)
    best: dict[int, Attempt] = {}
    for attempt in mock.attempts.select_related("recording").order_by("created_at"):
        current = best.get(attempt.question_id)
        if current is None or current.status == Attempt.Status.FAILED:
            best[attempt.question_id] = attempt
    rows = [
        MockRow(i + 1, questions[q], best.get(q)) for i, q in enumerate(mock.question_ids) if q in questions
    ]
    per_topic: dict[int, list[float]] = defaultdict(list)
    for row in rows:
        per_topic[row.question.main_topic_id].append(row.score)
    topic_objects = {row.question.main_topic_id: row.question.main_topic for row in rows}
    topics = [(topic_objects[t], sum(v) / len(v), len(v)) for t, v in per_topic.items()]
    topics.sort(key=lambda item: (item[1], item[0].title))
    end = mock.finished_at or timezone.now()
    return MockReport(
        mock=mock,
        rows=rows,
        topics=topics,
        score=sum(r.score for r in rows) / len(rows) if rows else 0.0,
        seconds=max(0, round((end - mock.started_at).total_seconds())),
        pending=sum(1 for r in rows if r.attempt and r.attempt.status in WAITING),
    )
