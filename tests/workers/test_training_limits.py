"""Training jobs can't take the platform over: per-user bounds on epochs, steps, data size and runs a day."""

import pytest

from tests.factories import UserFactory
from workers.models import InferenceJob
from workers.services import JobRefused, job_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_enqueue(monkeypatch):
    monkeypatch.setattr("workers.services.job_enqueue", lambda job: None)


def _train(user, backend="kws-dscnn", **params):
    return job_submit(user=user, capability="training", backend=backend, params=params)


def test_epochs_steps_and_recordings_past_the_settings_are_refused(learner, no_enqueue, settings):
    settings.TRAINING_MAX_EPOCHS, settings.TRAINING_MAX_STEPS, settings.TRAINING_MAX_RECORDINGS = 12, 500, 700

    with pytest.raises(JobRefused, match="limited to 12 epochs per run"):
        _train(learner, epochs=13)
    with pytest.raises(JobRefused, match="limited to 500 steps per run"):
        _train(learner, backend="music-transformer", steps=501)
    with pytest.raises(JobRefused, match="would synthesise 840 recordings; the limit here is 700"):
        _train(learner, per_word=100, test_per_word=20)  # 7 classes × 120
    assert InferenceJob.objects.count() == 0

    _train(learner, epochs=12, per_word=80, test_per_word=20)  # 7 × 100 = 700: at the limit
    assert InferenceJob.objects.count() == 1


def test_training_runs_a_day_are_bounded_per_user_but_not_for_staff(learner, no_enqueue, settings):
    settings.TRAINING_MAX_PER_DAY_PER_USER, settings.JOB_MAX_CONCURRENT_PER_USER = 1, 10
    staff = UserFactory(is_staff=True)
    _train(learner)

    with pytest.raises(JobRefused, match="1 training runs in the last 24 hours"):
        _train(learner)
    _train(staff, epochs=50)
    _train(staff)
    assert InferenceJob.objects.filter(owner=staff).count() == 2
