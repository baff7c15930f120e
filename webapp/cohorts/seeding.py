"""Seeding a cohort with months of made-up but plausible activity (manage.py seed_cohort), for
demonstrations and the dashboard benchmark: learners, memberships, roadmap progress, graded
answers with the FSRS cards they drive, and mock interviews, all written with bulk_create.

Each learner gets a profile (how often they practise, how well they answer, whether they drop
out) and is simulated day by day: practising questions from the topics reached so far, moving
along the roadmap, now and then sitting a mock interview. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from curriculum.models import Topic, TopicProgress
from quiz import scheduling
from quiz.models import Attempt, Card, MockInterview, Question
from webapp.accounts.models import User
from webapp.cohorts.models import Cohort, Membership

BATCH_LEARNERS = 25  # learners simulated, then written, at a time (bounds memory)
FIRST_NAMES = (
    "Ada", "Alan", "Grace", "Claude", "Hedy", "Kathleen", "Edsger", "Barbara", "Donald", "Frances",
    "Ken", "Lynn", "Margaret", "Niklaus", "Radia", "Sophie", "Tim", "Yoshua", "Fei-Fei", "Geoffrey",
)  # fmt: skip
SURNAMES = "ABCDEFGHIJKLMNOPRSTVW"


@dataclass(frozen=True)
class SeedReport:
    cohort: Cohort
    learners: int
    progress: int
    attempts: int
    cards: int
    mocks: int


@dataclass
class _Bank:
    topics: list[Topic]  # active, in roadmap order
    by_topic: dict[int, list[tuple[int, str, str]]]  # topic id → (question id, kind, level)


@dataclass
class _Learner:
    """One simulated learner's rows, before they are written."""

    user: User
    progress: list[TopicProgress] = field(default_factory=list)
    attempts: list[tuple[Attempt, int | None]] = field(default_factory=list)  # (attempt, mock index)
    cards: dict[int, Card] = field(default_factory=dict)
    mocks: list[tuple[MockInterview, list[int]]] = field(default_factory=list)  # (mock, topic ids)


@contextmanager
def _given_timestamps(*fields) -> Iterator[None]:
    """bulk_create stamps auto_now/auto_now_add fields with the current time; seeded history
    carries its own, so the stamping is switched off for the duration. It changes the model
    fields process-wide: for a management command, never inside a web process."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f, _, _ in saved:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def cohort_seed(
    *,
    owner: User,
    learners: int = 200,
    days: int = 365,
    seed: int = 0,
    name: str = "",
    now: datetime | None = None,
) -> SeedReport:
    """A new cohort owned by `owner` with `learners` learners and `days` days of their activity."""
    now = now or timezone.now()
    bank = _bank()
    if not bank.by_topic:
        raise ValueError("No active interview questions: run import_curriculum and import_questions first.")
    cohort = Cohort.objects.create(name=name or f"Seeded cohort ({learners} learners)", created_by=owner)
    cohort.owners.add(owner)
    cohort.created_at = now - timedelta(days=days + 1)
    cohort.save(update_fields=["created_at"])
    password = make_password(None)  # unusable: seeded learners cannot log in
    totals = [0, 0, 0, 0]
    for start in range(0, learners, BATCH_LEARNERS):
        batch = [
            _simulate(_new_user(cohort, i, password), bank, random.Random(f"{seed}-{i}"), days, now)
            for i in range(start, min(learners, start + BATCH_LEARNERS))
        ]
        counts = _write(cohort, batch, random.Random(f"{seed}-joined-{start}"), days, now)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    return SeedReport(cohort, learners, *totals)


def _bank() -> _Bank:
    topics = list(Topic.objects.active().order_by("phase__order", "order"))
    by_topic: dict[int, list[tuple[int, str, str]]] = {}
    for qid, topic_id, kind, level in Question.objects.active().values_list(
        "id", "main_topic_id", "kind", "level"
    ):
        by_topic.setdefault(topic_id, []).append((qid, kind, level))
    return _Bank(topics, by_topic)


def _new_user(cohort: Cohort, i: int, password: str) -> User:
    username = f"seed{cohort.id}-learner{i:03d}"
    display = (
        f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {SURNAMES[(i // len(FIRST_NAMES)) % len(SURNAMES)]}. {i:03d}"
    )
    return User(
        username=username, email=f"{username}@example.com", role=User.Role.LEARNER,
        display_name=display, password=password,
    )  # fmt: skip


def _simulate(user: User, bank: _Bank, rng: random.Random, days: int, now: datetime) -> _Learner:
    learner = _Learner(user)
    p_active = rng.uniform(0.08, 0.55)  # chance of practising on a given day
    skill = rng.betavariate(4, 2.5)  # mean about 0.62
    stop = rng.randint(days // 3, days) if rng.random() < 0.15 else days + 1  # some drop out
    position = -1  # index in bank.topics of the topic in progress
    open_progress: TopicProgress | None = None
    for day in range(days):
        if day >= stop or rng.random() > p_active:
            continue
        moment = now - timedelta(days=days - day) + timedelta(hours=rng.uniform(7, 22))
        if open_progress is None or rng.random() < 0.3:  # finish the topic in hand, start the next
            if open_progress is not None:
                open_progress.status = TopicProgress.Status.DONE
                open_progress.completed_at = open_progress.updated_at = moment
            if position + 1 < len(bank.topics):
                position += 1
                open_progress = TopicProgress(
                    user=user, topic=bank.topics[position], status=TopicProgress.Status.STARTED,
                    started_at=moment, updated_at=moment,
                )  # fmt: skip
                learner.progress.append(open_progress)
            else:
                open_progress = None
        reached = [t.id for t in bank.topics[: position + 1] if t.id in bank.by_topic]
        if not reached:
            continue
        for k in range(rng.randint(2, 8)):
            qid, kind, _ = rng.choice(
                bank.by_topic[rng.choice(reached[-3:] if rng.random() < 0.5 else reached)]
            )
            _answer(learner, qid, kind, skill, rng, moment + timedelta(minutes=3 * k))
        if rng.random() < 0.04:
            _mock(
                learner,
                bank,
                reached,
                skill,
                rng,
                moment + timedelta(minutes=40),
                position / len(bank.topics),
            )
    return learner


def _answer(
    learner: _Learner,
    qid: int,
    kind: str,
    skill: float,
    rng: random.Random,
    at: datetime,
    mock: int | None = None,
) -> None:
    card = learner.cards.get(qid)
    practice = card.reviews if card else 0
    ability = min(0.98, skill + 0.06 * practice)  # answers improve with practice
    score = None
    correct = None
    if kind != Question.Kind.MCQ or mock is not None:
        score = round(max(0.0, min(1.0, rng.gauss(ability, 0.2))), 3)
    if kind != Question.Kind.FREE and mock is None:
        correct = rng.random() < ability + 0.1
    rating = scheduling.rating_for_answer(options_correct=correct, score=score)
    review = scheduling.review(card.state if card else None, rating, now=at)
    if card is None:
        card = learner.cards[qid] = Card(user=learner.user, question_id=qid, reviews=0, lapses=0)
    card.state, card.due, card.last_review = review.state, review.due, review.last_review
    card.last_score = score if score is not None else float(bool(correct))
    card.reviews += 1
    card.lapses += review.lapsed
    mode = Attempt.Mode.MOCK if mock is not None else (Attempt.Mode.REVIEW if practice else Attempt.Mode.QUIZ)
    attempt = Attempt(
        user=learner.user, question_id=qid, mode=mode, status=Attempt.Status.GRADED,
        answer_text="(seeded answer)" if score is not None else "", score=score, options_correct=correct,
        rating=rating, graded_rating=rating, seconds_taken=rng.randint(20, 300), created_at=at,
    )  # fmt: skip
    learner.attempts.append((attempt, mock))


def _mock(
    learner: _Learner,
    bank: _Bank,
    reached: list[int],
    skill: float,
    rng: random.Random,
    at: datetime,
    along: float,
) -> None:
    level = "principal" if along > 0.8 else ("senior" if along > 0.45 else "mid")
    topics = rng.sample(reached, k=min(len(reached), rng.randint(1, 3)))
    pool = [q for t in topics for q in bank.by_topic[t] if q[1] != Question.Kind.MCQ]
    questions = rng.sample(pool, k=min(len(pool), rng.randint(3, 5)))
    if not questions:
        return
    finished = at + timedelta(minutes=4 * len(questions))
    mock = MockInterview(
        user=learner.user, level=level, question_count=len(questions), time_limit_seconds=20 * 60,
        question_ids=[q[0] for q in questions], started_at=at, finished_at=finished,
    )  # fmt: skip
    learner.mocks.append((mock, topics))
    for k, (qid, kind, _) in enumerate(questions):
        _answer(
            learner, qid, kind, skill, rng, at + timedelta(minutes=4 * k + 3), mock=len(learner.mocks) - 1
        )


@transaction.atomic
def _write(cohort: Cohort, batch: list[_Learner], rng: random.Random, days: int, now: datetime) -> list[int]:
    users = User.objects.bulk_create([learner.user for learner in batch])
    for learner, user in zip(batch, users, strict=True):
        learner.user = user
        for row in learner.progress:
            row.user = user
        for attempt, _ in learner.attempts:
            attempt.user = user
        for card in learner.cards.values():
            card.user = user
        for mock, _ in learner.mocks:
            mock.user = user
    start = now - timedelta(days=days)
    Membership.objects.bulk_create(
        Membership(cohort=cohort, user=learner.user, joined_at=start - timedelta(hours=rng.uniform(1, 48)))
        for learner in batch
    )
    mocks = MockInterview.objects.bulk_create([mock for learner in batch for mock, _ in learner.mocks])
    MockInterview.topics.through.objects.bulk_create(
        MockInterview.topics.through(mockinterview_id=mock.id, topic_id=t)
        for learner in batch
        for mock, topics in learner.mocks
        for t in topics
    )
    attempts = []
    for learner in batch:
        for attempt, mock_index in learner.attempts:
            attempt.mock = learner.mocks[mock_index][0] if mock_index is not None else None
            attempts.append(attempt)
    progress = [row for learner in batch for row in learner.progress]
    cards = [card for learner in batch for card in learner.cards.values()]
    with _given_timestamps(
        Attempt._meta.get_field("created_at"), TopicProgress._meta.get_field("updated_at")
    ):
        TopicProgress.objects.bulk_create(progress, batch_size=2000)
        Attempt.objects.bulk_create(attempts, batch_size=2000)
    Card.objects.bulk_create(cards, batch_size=2000)
    return [len(progress), len(attempts), len(cards), len(mocks)]
