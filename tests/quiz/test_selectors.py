"""Readiness by level, recall and retention, and how practice sets and interviews are picked."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from quiz import scheduling, selectors
from quiz.models import Attempt
from tests.factories import TopicFactory
from tests.quiz.factories import AttemptFactory, CardFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _reviewed(rating: int, days_ago: float) -> dict:
    return scheduling.review(None, rating, now=timezone.now() - timedelta(days=days_ago)).state


def test_readiness_combines_score_and_recall_per_topic_and_names_the_weakest(learner):
    known, unknown = TopicFactory(title="Known"), TopicFactory(title="Unknown")
    q1, _q2 = QuestionFactory(main_topic=known), QuestionFactory(main_topic=known)
    QuestionFactory(main_topic=unknown)
    QuestionFactory(main_topic=unknown, level="senior")
    CardFactory(user=learner, question=q1, last_score=0.8, state=_reviewed(scheduling.EASY, days_ago=0))

    mid, senior, principal = selectors.readiness_by_level(user=learner)

    rows = {row.topic.title: row for row in mid.topics}
    assert (rows["Known"].seen, rows["Known"].questions) == (1, 2)
    assert rows["Known"].readiness == pytest.approx(0.4, abs=0.01)  # 0.8 x recall 1.0, over 2 questions
    assert rows["Known"].recall == pytest.approx(1.0, abs=0.01)
    assert rows["Unknown"].readiness == 0.0
    assert mid.score == pytest.approx(0.2, abs=0.01)
    assert [r.topic.title for r in mid.weakest] == ["Known"]  # never practised is "not started", not weakest
    assert rows["Unknown"].seen == 0
    assert (senior.score, [r.topic.title for r in senior.topics]) == (0.0, ["Unknown"])
    assert principal.topics == [] and principal.score == 0.0


def test_predicted_recall_falls_for_old_reviews(learner):
    fresh, stale = TopicFactory(title="Fresh"), TopicFactory(title="Stale")
    CardFactory(user=learner, question=QuestionFactory(main_topic=fresh), state=_reviewed(scheduling.GOOD, 1))
    CardFactory(
        user=learner, question=QuestionFactory(main_topic=stale), state=_reviewed(scheduling.GOOD, 90)
    )

    rows = selectors.recall_by_topic(user=learner)

    assert [r.topic.title for r in rows] == ["Stale", "Fresh"]
    assert rows[0].recall < rows[1].recall <= 1.0


def test_retention_counts_recalled_answers_and_card_states(learner):
    q1, q2 = QuestionFactory(), QuestionFactory()
    CardFactory(
        user=learner,
        question=q1,
        state=_reviewed(scheduling.EASY, 2),
        due=timezone.now() - timedelta(hours=1),
    )
    CardFactory(user=learner, question=q2, due=timezone.now() + timedelta(days=5))
    AttemptFactory(user=learner, question=q1, rating=Attempt.Rating.GOOD)
    AttemptFactory(user=learner, question=q2, rating=Attempt.Rating.AGAIN)

    stats = selectors.retention_stats(user=learner)

    assert (stats.cards, stats.due_today, stats.review, stats.learning) == (2, 1, 1, 1)
    assert (stats.reviews_30d, stats.recalled_30d) == (2, 0.5)


def test_quiz_set_puts_due_questions_first_then_new_ones(learner):
    topic = TopicFactory()
    due, later = QuestionFactory(main_topic=topic), QuestionFactory(main_topic=topic)
    new = QuestionFactory(main_topic=topic)
    QuestionFactory(main_topic=topic, level="senior")
    QuestionFactory(main_topic=topic, is_active=False)
    CardFactory(user=learner, question=due, due=timezone.now() - timedelta(minutes=1))
    CardFactory(user=learner, question=later, due=timezone.now() + timedelta(days=2))

    picked = selectors.quiz_questions_pick(user=learner, topics=[topic], level="mid", count=10)

    assert picked == [due.id, new.id, later.id]


def test_interview_mixes_topics_and_skips_multiple_choice_only_questions(learner):
    a, b = TopicFactory(), TopicFactory()
    in_a = [QuestionFactory(main_topic=a, level="senior") for _ in range(3)]
    in_b = [QuestionFactory(main_topic=b, level="senior", kind="free") for _ in range(3)]
    QuestionFactory(main_topic=a, level="senior", kind="mcq")

    picked = selectors.mock_questions_pick(
        user=learner, level="senior", topics=[], count=4, rng=random.Random(1)
    )

    assert len(picked) == 4
    assert sum(q in {x.id for x in in_a} for q in picked) == 2
    assert sum(q in {x.id for x in in_b} for q in picked) == 2
