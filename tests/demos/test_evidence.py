"""Evidence can't be replayed: a prediction is stored before its run and frozen once the answer is shown."""

import pytest

from curriculum.selectors import topic_prediction_evidence
from demos.common import Exercise, exercise_check
from demos.models import PredictionAttempt
from demos.services import EvidenceError, prediction_commit, prediction_settle
from tests.demos.conftest import FakeGradioRequest
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def _commit(user, prediction, exercise="tone-up"):
    return prediction_commit(
        user=user, demo="fundamentals", exercise=exercise, topic_slug="t", prediction=prediction
    )


def test_the_prediction_is_stored_before_the_experiment_runs(client, learner):
    seen_during_run = []

    def experiment():
        seen_during_run.extend(
            PredictionAttempt.objects.filter(user=learner).values_list("prediction", "correct")
        )
        return "up", {"pitch": "440 Hz"}

    exercise = Exercise("tone-up", "fundamentals", "t", "Up or down?", ("up", "down"), experiment)
    client.force_login(learner)

    text = exercise_check(
        exercise, "down", FakeGradioRequest({"sessionid": client.cookies["sessionid"].value})
    )

    assert seen_during_run == [("down", None)]  # committed, not yet judged
    attempt = PredictionAttempt.objects.get(user=learner)
    assert (attempt.prediction, attempt.correct, attempt.measured) == ("down", False, {"pitch": "440 Hz"})
    assert attempt.answered_at is not None and "the run says “up”" in text


def test_a_settled_prediction_cannot_be_changed_or_settled_again(learner):
    attempt = prediction_settle(attempt=_commit(learner, "down"), answer="up", measured={})

    with pytest.raises(EvidenceError, match="already has its answer"):
        prediction_settle(attempt=attempt, answer="down", measured={})
    attempt.prediction = "up"
    with pytest.raises(ValueError, match="cannot be changed after its answer was shown"):
        attempt.save()
    assert PredictionAttempt.objects.get().correct is False


def test_a_prediction_made_after_seeing_the_answer_is_a_replay_not_evidence(learner):
    topic = TopicFactory(slug="t")
    prediction_settle(attempt=_commit(learner, "down"), answer="up", measured={})

    again = prediction_settle(attempt=_commit(learner, "up"), answer="up", measured={})
    running = _commit(learner, "up", exercise="other")  # committed, not yet answered

    assert again.replay and again.correct
    assert not running.replay and running.correct is None
    assert topic_prediction_evidence(topic=topic, user=learner) == {"total": 1, "right": 0}
