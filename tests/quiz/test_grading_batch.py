"""Typed answers waiting together are graded together: one encoder pass for their sentences, the
same grades as one by one, and a redelivered or already-settled message changes nothing."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from quiz.grading import PrimedEncoder, encoder_texts
from quiz.models import Attempt, Card
from quiz.services import attempt_grade, attempt_submit, attempt_text_grade, attempts_grade_batch
from quiz.tasks import GRADING_NEEDS
from tests.factories import UserFactory
from tests.quiz.factories import QuestionFactory
from workers.procedures import engines_load

ANSWERS = [
    "Sampling at 16 kHz gives a Nyquist frequency of 8 kHz. The 10 kHz tone folds back to 6 kHz.",
    "An anti-aliasing low-pass filter before the converter removes what lies above 8 kHz.",
    "I would normalise the loudness and hope for the best.",
]


class CountingEncoder:
    """The real encoder, counting its forward passes and the texts it was given."""

    def __init__(self, encoder):
        self.encoder, self.calls, self.texts = encoder, 0, 0

    def encode(self, sentences):
        self.calls += 1
        self.texts += len(sentences)
        return self.encoder.encode(sentences)


@pytest.fixture(scope="module")
def encoder():
    (real,) = engines_load(GRADING_NEEDS)
    return real


def _submitted(question, answers):
    return [
        attempt_submit(user=UserFactory(), question=question, mode="quiz", answer_text=text)
        for text in answers
    ]


def test_primed_encoder_returns_the_model_rows_in_one_pass(encoder):
    counting = CountingEncoder(encoder)
    texts = [t for answer in ANSWERS for t in encoder_texts(answer)]

    primed = PrimedEncoder(counting, texts)
    rows = primed.encode(encoder_texts(ANSWERS[1]))

    assert counting.calls == 1
    assert np.allclose(rows, encoder.encode(encoder_texts(ANSWERS[1])), atol=1e-5)
    primed.encode(["A sentence nobody primed."])
    assert counting.calls == 2 and counting.texts == len(set(texts)) + 1


@pytest.mark.django_db
def test_waiting_answers_are_graded_in_one_batch_with_the_same_grades(encoder):
    question = QuestionFactory(kind="free")
    attempts = _submitted(question, ANSWERS)
    assert {a.status for a in attempts} == {Attempt.Status.GRADING}
    counting = CountingEncoder(encoder)

    attempts_grade_batch(attempt_id=attempts[1].id, encoder=counting)

    for attempt, text in zip(attempts, ANSWERS, strict=True):
        attempt.refresh_from_db()
        alone = Attempt(answer_text=text)
        attempt_text_grade(alone, question, text, encoder=encoder)
        assert attempt.status == Attempt.Status.GRADED
        assert attempt.score == pytest.approx(alone.score, abs=1e-3)
    # The answers' sentences in one pass (the key points may take one more, once per process).
    assert question.key_points.exists() and counting.calls <= 2


@pytest.mark.django_db
def test_a_settled_attempt_is_left_alone_by_a_second_message(encoder):
    question = QuestionFactory(kind="free")
    (attempt,) = _submitted(question, ANSWERS[:1])
    attempts_grade_batch(attempt_id=attempt.id, encoder=encoder)
    attempt.refresh_from_db()
    counting = CountingEncoder(encoder)

    again = attempt_grade(attempt_id=attempt.id, encoder=counting)

    assert again.status == Attempt.Status.GRADED and again.score == attempt.score
    assert counting.calls == 0  # nothing graded twice
    assert Card.objects.get(user=attempt.user, question=question).reviews == 1  # nor reviewed twice


@pytest.mark.django_db
def test_only_recent_waiting_answers_join_a_batch(encoder):
    question = QuestionFactory(kind="free")
    mine, stuck = _submitted(question, ANSWERS[:2])
    Attempt.objects.filter(id=stuck.id).update(created_at=timezone.now() - timedelta(minutes=30))

    attempts_grade_batch(attempt_id=mine.id, encoder=encoder)

    mine.refresh_from_db()
    stuck.refresh_from_db()
    assert mine.status == Attempt.Status.GRADED and stuck.status == Attempt.Status.GRADING


@pytest.mark.django_db
def test_one_failing_neighbour_does_not_fail_the_batch(encoder, monkeypatch, caplog):
    question = QuestionFactory(kind="free")
    mine, neighbour = _submitted(question, ANSWERS[:2])
    real_grade = attempt_grade

    def failing_for_neighbour(*, attempt_id, encoder):
        if attempt_id == neighbour.id:
            raise RuntimeError("a broken answer")
        return real_grade(attempt_id=attempt_id, encoder=encoder)

    monkeypatch.setattr("quiz.services.attempt_grade", failing_for_neighbour)

    attempts_grade_batch(attempt_id=mine.id, encoder=encoder)

    mine.refresh_from_db()
    neighbour.refresh_from_db()
    assert mine.status == Attempt.Status.GRADED and neighbour.status == Attempt.Status.GRADING
    assert "grading attempt" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_answer_post_waits_for_its_grade_without_holding_a_connection(encoder, monkeypatch, settings):
    """A class answering at once must not hold every pooled connection of a web process while the
    worker grades: the wait gives its connection back and watches the shared cache instead."""
    from django.core.cache import cache
    from django.db import connection

    from quiz import selectors

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    (attempt,) = _submitted(QuestionFactory(kind="free"), ANSWERS[:1])
    connection_held = []

    def sleep(_seconds):
        connection_held.append(connection.connection is not None)
        if len(connection_held) == 2:  # the worker grades meanwhile (here, in this thread)
            attempts_grade_batch(attempt_id=attempt.id, encoder=encoder)
            connection.close()

    monkeypatch.setattr("quiz.selectors.time.sleep", sleep)

    status = selectors.attempt_wait_graded(attempt_id=attempt.id, timeout=60)

    assert status == Attempt.Status.GRADED
    assert connection_held[:2] == [False, False] and len(connection_held) <= 3  # woken by the key
