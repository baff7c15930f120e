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
