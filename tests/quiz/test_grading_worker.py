"""A typed answer graded through the real path: the answer POST stores it, Redis carries the
message on commit, a real Celery worker runs quiz.grade_attempt with the encoder, and the page's
status endpoint reports it graded (the test polls it as the page does)."""

import re
import time

import pytest
from django.urls import reverse

from quiz.models import Attempt, Card
from tests.factories import TopicFactory
from tests.quiz.factories import QuestionFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ANSWER = (
    "Sampling at 16 kHz gives a Nyquist frequency of 8 kHz, half the rate. The 10 kHz tone folds back "
    "and shows up as a 6 kHz alias. An analogue anti-aliasing low-pass filter in front of the converter "
    "prevents it."
)


def test_typed_answer_is_graded_by_a_worker_and_the_page_learns_it(client, learner, celery_worker):
    question = QuestionFactory(kind="free", main_topic=TopicFactory(slug="sampling-nyquist"))
    client.force_login(learner)
    client.post(reverse("quiz:practice_set"), {"topics": ["sampling-nyquist"]})
    page = client.get(reverse("quiz:quiz_play")).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)

    response = client.post(
        reverse("quiz:answer"), {"question": question.id, "token": token, "mode": "quiz", "answer": ANSWER}
    )

    attempt = Attempt.objects.get(user=learner)
    assert response["Location"] == reverse("quiz:attempt", args=[attempt.id])
    status_url = reverse("quiz:attempt_status", args=[attempt.id])
    deadline = time.monotonic() + 240  # the worker loads the encoder on its first grading
    while not client.get(status_url).json()["finished"] and time.monotonic() < deadline:
        time.sleep(0.2)
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.score > 0.85
    assert attempt.rating == Attempt.Rating.EASY and Card.objects.get(user=learner).reviews == 1
    assert "Points you made (3)" in client.get(response["Location"]).content.decode()
