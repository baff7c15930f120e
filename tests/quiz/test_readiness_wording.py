"""Readiness and the practice home in plain words: never-practised topics are "not started", not
the weakest; "due today" is split into now and later today, with why recall can read 100%."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz import scheduling
from quiz.selectors import end_of_today
from tests.factories import TopicFactory
from tests.quiz.factories import CardFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_never_practised_topics_are_not_started_rather_than_weakest(client, learner):
    practised, untouched = TopicFactory(title="Whisper"), TopicFactory(title="Conformer")
    known = QuestionFactory(main_topic=practised)
    QuestionFactory(main_topic=untouched)
    CardFactory(user=learner, question=known, last_score=0.4,
                state=scheduling.review(None, scheduling.GOOD, now=timezone.now()).state)  # fmt: skip
    client.force_login(learner)

    html = client.get(reverse("quiz:readiness")).content.decode()

    weakest = html.split("Weakest topics you have practised")[1].split("</ol>")[0]
    assert "Whisper" in weakest and "Conformer" not in weakest
    not_started = html.split("Not started: 1 topic</summary>")[1].split("</details>")[0]
    assert "Conformer" in not_started


def test_due_questions_are_split_into_now_and_later_today(client, learner):
    now = timezone.now()
    later_today = now + (end_of_today(now) - now) / 2  # a learning step: back within the day
    fresh = scheduling.review(None, scheduling.GOOD, now=now)
    CardFactory(user=learner, state=fresh.state, due=later_today)
    CardFactory(user=learner, due=now - timedelta(hours=1))
    client.force_login(learner)

    html = client.get(reverse("quiz:home")).content.decode()

    assert "of 2 questions you have met: 1 now, the rest later today." in html
    assert "Questions you just learnt still come back within the day" in html


def test_mock_interview_confirms_each_saved_answer(client, learner):
    topic = TopicFactory(title="Sampling and Nyquist")
    questions = [QuestionFactory(level="senior", kind="free", main_topic=topic) for _ in range(2)]
    client.force_login(learner)
    start = client.post(reverse("quiz:mock_new"), {"level": "senior", "count": 2, "minutes": 10})
    page = client.get(start["Location"]).content.decode()
    first = int(re.search(r'name="question" value="(\d+)"', page).group(1))
    assert first in {q.id for q in questions}

    mock_id = int(start["Location"].rstrip("/").rsplit("/", 1)[1])
    answer = {"question": first, "answer": "Aliasing folds the tone to 6 kHz."}
    client.post(reverse("quiz:mock_answer", args=[mock_id]), answer)
    page = client.get(start["Location"]).content.decode()

    assert "Answer saved. Here is the next question." in page and "Question 2 of 2" in page
