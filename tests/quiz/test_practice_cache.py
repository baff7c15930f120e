"""The practice pages' question bank, kept in the shared cache for every learner: a new import
shows at once, and each learner's readiness is still their own."""

import pytest
from django.urls import reverse

from quiz.importing import question_bank_import
from tests.factories import TopicFactory
from tests.quiz.conftest import question_data

pytestmark = pytest.mark.django_db


def _readiness(client) -> str:
    response = client.get(reverse("quiz:readiness"))
    assert response.status_code == 200
    return response.content.decode()


def test_readiness_lists_a_topic_imported_after_the_bank_was_cached(
    client, learner, bank, bank_topics, django_capture_on_commit_callbacks
):
    TopicFactory(slug="vad", title="Voice activity detection")
    with django_capture_on_commit_callbacks(execute=True):
        question_bank_import(content_dir=bank.root)
    client.force_login(learner)
    assert "Voice activity detection" not in _readiness(client)
    assert client.get(reverse("quiz:home")).status_code == 200

    bank.write("vad.yaml", [question_data("vad-frames", topics=["vad"], level="mid")])
    with django_capture_on_commit_callbacks(execute=True):
        question_bank_import(content_dir=bank.root)

    assert "Voice activity detection" in _readiness(client)


def test_readiness_from_the_shared_bank_is_each_learners_own(
    client, learner, other_learner, bank, bank_topics, django_capture_on_commit_callbacks
):
    from quiz.models import Question
    from quiz.services import attempt_options_submit, attempt_submit

    with django_capture_on_commit_callbacks(execute=True):
        question_bank_import(content_dir=bank.root)
    question = Question.objects.get(slug="nyquist-alias")  # mid level: the explanation may be skipped
    attempt = attempt_submit(user=learner, question=question, mode="quiz")
    correct = question.options.get(correct=True)
    attempt_options_submit(attempt=attempt, user=learner, option_ids=[correct.id])

    client.force_login(learner)
    mine = _readiness(client)
    client.force_login(other_learner)
    theirs = _readiness(client)

    assert "No mid-level questions answered yet" not in mine
    assert "No mid-level questions answered yet" in theirs


# The practice page's own body (quiz.views.practice.home), kept per learner.


def _home(client) -> str:
    response = client.get(reverse("quiz:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_practice_page_shows_each_learner_only_their_own_answers(client, learner, other_learner):
    from tests.quiz.factories import AttemptFactory, QuestionFactory

    AttemptFactory(user=learner, question=QuestionFactory(prompt="Why does a 9 kHz tone alias?"))
    client.force_login(learner)
    mine = _home(client)
    client.force_login(other_learner)
    theirs = _home(client)

    assert "Why does a 9 kHz tone alias?" in mine and "Recent answers" in mine
    assert "Why does a 9 kHz tone alias?" not in theirs and "Recent answers" not in theirs


def test_practice_page_shows_an_answer_given_after_it_was_cached(
    client, learner, bank, bank_topics, django_capture_on_commit_callbacks
):
    from quiz.models import Question
    from quiz.services import attempt_options_submit, attempt_submit

    with django_capture_on_commit_callbacks(execute=True):
        question_bank_import(content_dir=bank.root)
    question = Question.objects.get(slug="nyquist-alias")
    client.force_login(learner)
    assert "Recent answers" not in _home(client)

    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_submit(user=learner, question=question, mode="quiz")
        correct = question.options.get(correct=True)
        attempt_options_submit(attempt=attempt, user=learner, option_ids=[correct.id])
    page = _home(client)

    assert "Recent answers" in page and question.prompt[:40] in page
    assert "of 1 question you have met" in page


def test_practice_page_due_counts_follow_the_clock(client, learner, monkeypatch):
    """No answer changes between the two views, only the time: the kept body is not shown past its minute."""
    from datetime import timedelta

    from django.utils import timezone

    from quiz.views import practice
    from tests.quiz.factories import CardFactory

    start = timezone.now()
    CardFactory(user=learner, due=start + timedelta(seconds=90))
    client.force_login(learner)
    before = _home(client)

    later = start + timedelta(seconds=150)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(practice.time, "time", lambda: later.timestamp())
    after = _home(client)

    assert ": 0 now, the rest later today" in before
    assert ": 1 now, the rest later today" not in before
    assert ": 1 now" in after


def test_a_classs_practice_pages_are_renewed_one_by_one_each_once_a_minute():
    """Each learner's kept page turns over once a minute, at a second of their own: sixty learners
    in a row never share one, so a class's pages are not all rendered again in the same second."""
    from quiz.views.practice import HOME_BODY_SECONDS, home_body_period

    start = 1_800_000_000.0  # a whole minute
    turnovers = {}
    for user_id in range(1000, 1060):
        periods = [home_body_period(user_id=user_id, now=start + s) for s in range(2 * HOME_BODY_SECONDS + 1)]
        changes = [s for s in range(1, len(periods)) if periods[s] != periods[s - 1]]
        assert len(changes) == 2 and changes[1] - changes[0] == HOME_BODY_SECONDS
        turnovers[user_id] = changes[0] % HOME_BODY_SECONDS

    assert len(set(turnovers.values())) == 60
