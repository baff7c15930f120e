"""Each mode end to end through the test client: quiz, review, mock (typed), readiness, history;
bad input, escaping, authorisation and bounded queries."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, Card, MockInterview
from quiz.tasks import spoken_answer_grade
from tests.factories import TopicFactory
from tests.quiz.conftest import grade_now
from tests.quiz.factories import AttemptFactory, CardFactory, MockInterviewFactory, QuestionFactory
from workers.models import InferenceJob

pytestmark = pytest.mark.django_db

GOOD_ANSWER = (
    "Sampling at 16 kHz gives a Nyquist frequency of 8 kHz, half the rate. "
    "The 10 kHz tone folds back and shows up as a 6 kHz alias. "
    "An analogue anti-aliasing low-pass filter in front of the converter prevents it."
)


@pytest.fixture
def sampling():
    return TopicFactory(slug="sampling-nyquist", title="Sampling and Nyquist")


@pytest.fixture
def mcq(sampling):
    return QuestionFactory(slug="nyquist-mcq", kind="mcq", main_topic=sampling)


@pytest.fixture
def free(sampling):
    return QuestionFactory(slug="nyquist-free", kind="free", main_topic=sampling)


def _option(question, correct: bool) -> int:
    return question.options.filter(correct=correct).first().id


def _answer(client, question, mode="quiz", **data):
    page = client.get(reverse("quiz:quiz_play") if mode == "quiz" else reverse("quiz:review"))
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    return client.post(
        reverse("quiz:answer"), {"question": question.id, "token": token, "mode": mode, **data}
    )


# ---------------------------------------------------------------------------------------------
# Quiz mode


def test_practice_pages_need_login(client):
    for name in ("home", "quiz_new", "quiz_play", "review", "readiness", "history", "mock_new"):
        response = client.get(reverse(f"quiz:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_quiz_mode_end_to_end_with_instant_feedback_per_option(client, learner, mcq, sampling):
    client.force_login(learner)
    setup = client.get(reverse("quiz:quiz_new"), {"topics": "sampling-nyquist"})
    assert 'value="sampling-nyquist" checked' in setup.content.decode()

    start = client.post(
        reverse("quiz:quiz_new"), {"topics": ["sampling-nyquist"], "level": "mid", "count": 5}
    )
    assert start["Location"] == reverse("quiz:quiz_play")
    question_page = client.get(reverse("quiz:quiz_play")).content.decode()
    assert "question 1 of 1" in question_page and 'type="radio"' in question_page

    response = _answer(client, mcq, options=_option(mcq, correct=False))

    attempt = Attempt.objects.get(user=learner)
    assert response["Location"] == reverse("quiz:attempt", args=[attempt.id])
    feedback = client.get(response["Location"]).content.decode()
    assert "Not quite" in feedback
    assert "The limit is half the sample rate, 8 kHz." in feedback  # why the chosen distractor is wrong
    assert "16 - 10 = 6 kHz" in feedback  # why the right one is right
    assert "rated this answer <strong>Again</strong>" in feedback
    assert (attempt.options_correct, attempt.selected_options) == (
        False,
        ["It is recorded faithfully because 10 kHz < 16 kHz."],
    )
    assert attempt.seconds_taken is not None and attempt.seconds_taken < 60
    assert "Set complete" in client.get(reverse("quiz:quiz_play")).content.decode()


def test_free_text_answer_shows_covered_and_missed_points_with_evidence(client, learner, free):
    client.force_login(learner)
    client.post(reverse("quiz:practice_set"), {"topics": ["sampling-nyquist"], "level": "mid"})

    response = _answer(client, free, answer="The 10 kHz tone folds back and shows up as a 6 kHz alias.")

    waiting = client.get(response["Location"]).content.decode()
    assert (
        "Grading your answer" in waiting
        and reverse("quiz:attempt_status", args=[1]).split("1/")[0] in waiting
    )
    attempt = grade_now(Attempt.objects.get(user=learner))
    html = client.get(response["Location"]).content.decode()
    assert "Points you made (1)" in html
    assert "The 10 kHz tone folds back and shows up as a 6 kHz alias.</blockquote>" in html
    assert "What the answer still needs (2)" in html
    assert "Nyquist frequency is half the sample rate" in html
    assert "Key terms" not in html and "anti-aliasing, low-pass" not in html  # no terms to stuff
    assert attempt.points_hit[0]["evidence"].startswith("The 10 kHz tone folds back")
    assert attempt.rating == Attempt.Rating.AGAIN if attempt.score < 0.34 else Attempt.Rating.HARD


def test_a_complete_answer_is_rated_easy_and_the_learner_may_override(client, learner, free):
    client.force_login(learner)
    client.post(reverse("quiz:practice_set"), {"topics": ["sampling-nyquist"]})
    _answer(client, free, answer=GOOD_ANSWER)
    attempt = grade_now(Attempt.objects.get(user=learner))
    assert attempt.score >= 0.85 and attempt.rating == Attempt.Rating.EASY

    response = client.post(reverse("quiz:attempt_rate", args=[attempt.id]), {"rating": "2"})

    attempt.refresh_from_db()
    assert (attempt.graded_rating, attempt.rating, attempt.rating_overridden) == (4, 2, True)
    html = client.get(response["Location"]).content.decode()
    assert "you changed it to <strong>Hard</strong> (recorded as your own rating)" in html


@override_settings(QUIZ_ANSWER_MAX_CHARS=10_000)
@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("   ", "Your answer is empty."),
        ("x" * 20_000, "Your answer is 20,000 characters long; the limit is 10,000."),
    ],
)
def test_empty_and_huge_answers_are_refused_with_a_message(client, learner, free, answer, message):
    client.force_login(learner)
    client.post(reverse("quiz:practice_set"), {"topics": ["sampling-nyquist"]})

    response = _answer(client, free, answer=answer)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Attempt.objects.count() == 0


def test_multiple_choice_without_a_choice_is_refused(client, learner, mcq):
    client.force_login(learner)
    client.post(reverse("quiz:practice_set"), {"topics": ["sampling-nyquist"]})

    response = _answer(client, mcq)

    assert response.status_code == 400 and "Choose one of the options." in response.content.decode()


def test_answer_in_another_script_is_graded_with_a_note(client, learner, free):
    client.force_login(learner)
    client.post(reverse("quiz:practice_set"), {"topics": ["sampling-nyquist"]})

    response = _answer(client, free, answer="Тон 10 кГц превратится в 6 кГц из-за наложения спектров.")
    grade_now(Attempt.objects.get(user=learner))

    html = client.get(response["Location"]).content.decode()
    assert "Most of this answer is in Cyrillic script" in html


def test_html_in_answers_is_escaped_everywhere(client, learner, free):
    client.force_login(learner)
    client.post(reverse("quiz:practice_set"), {"topics": ["sampling-nyquist"]})
    payload = '<script>alert("x")</script> The tone aliases to <b>6 kHz</b>.'

    response = _answer(client, free, answer=payload)
    grade_now(Attempt.objects.get(user=learner))

    for url in (response["Location"], reverse("quiz:history"), reverse("quiz:home")):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>6 kHz</b>" not in html, url
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        in client.get(response["Location"]).content.decode()
    )
    mock = MockInterviewFactory(user=learner, question_ids=[free.id], finished_at=timezone.now())
    evidence = [{"point": "p", "evidence": payload, "terms": []}]
    AttemptFactory(
        user=learner, question=free, mock=mock, mode="mock", answer_text=payload, points_hit=evidence
    )
    report = client.get(reverse("quiz:mock_report", args=[mock.id])).content.decode()
    assert "<script>alert" not in report and report.count("&lt;script&gt;alert") == 2


# ---------------------------------------------------------------------------------------------
# Review queue


def test_review_queue_shows_due_questions_and_answering_reschedules(client, learner, mcq, free):
    graduated = _reviewed_state(days_ago=10)  # in long-term review: Good moves it days away
    CardFactory(user=learner, question=mcq, state=graduated, due=timezone.now() - timedelta(hours=1))
    CardFactory(user=learner, question=free, state=graduated, due=timezone.now() + timedelta(days=3))
    client.force_login(learner)

    page = client.get(reverse("quiz:review")).content.decode()
    assert "1 question due today" in page and mcq.prompt[:40] in page

    response = _answer(client, mcq, mode="review", options=_option(mcq, correct=True))

    attempt = Attempt.objects.get(user=learner)
    assert attempt.mode == "review" and attempt.rating == Attempt.Rating.GOOD
    assert Card.objects.get(user=learner, question=mcq).due > timezone.now()
    assert client.get(response["Location"]).content.decode().count(reverse("quiz:review")) >= 1
    assert "Nothing is due today." in client.get(reverse("quiz:review")).content.decode()


# ---------------------------------------------------------------------------------------------
# Mock interview (typed; the spoken path runs a real ASR job in test_spoken.py)


def test_mock_interview_typed_end_to_end_with_report(client, learner, sampling):
    questions = [QuestionFactory(level="senior", main_topic=sampling) for _ in range(2)]
    QuestionFactory(level="senior", kind="mcq", main_topic=sampling)  # never in an interview
    client.force_login(learner)

    start = client.post(reverse("quiz:mock_new"), {"level": "senior", "count": 5, "minutes": 10})

    mock = MockInterview.objects.get(user=learner)
    assert sorted(mock.question_ids) == sorted(q.id for q in questions)
    page = client.get(start["Location"]).content.decode()
    assert "Question 1 of 2" in page and 'data-seconds-left="' in page
    first, second = mock.question_ids
    client.post(reverse("quiz:mock_answer", args=[mock.id]), {"question": first, "answer": GOOD_ANSWER})
    assert "Question 2 of 2" in client.get(start["Location"]).content.decode()
    client.post(reverse("quiz:mock_answer", args=[mock.id]), {"question": second, "answer": "No idea."})
    for attempt in mock.attempts.all():
        grade_now(attempt)

    finish = client.post(reverse("quiz:mock_finish", args=[mock.id]))
    report = client.get(finish["Location"]).content.decode()

    attempts = {a.question_id: a for a in mock.attempts.all()}
    assert attempts[first].score > 0.85 and attempts[second].score < 0.2
    assert attempts[first].seconds_taken is not None
    assert "Sampling and Nyquist" in report and "Points you made (3)" in report
    assert "What the answer still needs (3)" in report and "Reference answer" in report
    assert "time taken" in report


def test_mock_answer_after_the_time_limit_is_refused_and_the_report_shown(client, learner, free):
    mock = MockInterviewFactory(
        user=learner, question_ids=[free.id], started_at=timezone.now() - timedelta(minutes=11)
    )
    client.force_login(learner)

    response = client.post(
        reverse("quiz:mock_answer", args=[mock.id]), {"question": free.id, "answer": GOOD_ANSWER}
    )

    assert "Time is up" in response.content.decode()
    mock.refresh_from_db()
    assert mock.is_finished and mock.attempts.count() == 0
    assert client.get(reverse("quiz:mock", args=[mock.id]))["Location"] == reverse(
        "quiz:mock_report", args=[mock.id]
    )


def test_opening_an_interview_whose_time_ran_out_writes_nothing(client, learner, free):
    mock = MockInterviewFactory(
        user=learner, question_ids=[free.id], started_at=timezone.now() - timedelta(minutes=11)
    )
    client.force_login(learner)

    detail = client.get(reverse("quiz:mock", args=[mock.id]))
    report = client.get(reverse("quiz:mock_report", args=[mock.id]))

    assert detail["Location"] == reverse("quiz:mock_report", args=[mock.id])
    assert report.status_code == 200
    mock.refresh_from_db()
    assert mock.finished_at is None  # only a POST (finish, or a late answer) closes it


def test_mock_empty_answer_is_refused(client, learner, free):
    mock = MockInterviewFactory(user=learner, question_ids=[free.id])
    client.force_login(learner)

    response = client.post(reverse("quiz:mock_answer", args=[mock.id]), {"question": free.id, "answer": ""})

    assert response.status_code == 400 and "Your answer is empty." in response.content.decode()


@override_settings(JOB_MAX_CONCURRENT_PER_USER=0)
def test_recording_refused_by_the_job_quota_says_so_and_stores_nothing(client, learner, free):
    mock = MockInterviewFactory(user=learner, question_ids=[free.id])
    client.force_login(learner)
    recording = SimpleUploadedFile("answer.webm", b"\x1aE\xdf\xa3" + b"\0" * 2000, content_type="audio/webm")

    response = client.post(
        reverse("quiz:mock_record", args=[mock.id]), {"question": free.id, "audio": recording}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "The recording could not be transcribed: You already have 0 jobs" in html
    assert "You can type the answer instead." in html
    assert mock.attempts.count() == 0


def test_failed_transcription_is_reported_and_the_question_can_be_answered_again(client, learner, free):
    mock = MockInterviewFactory(user=learner, question_ids=[free.id])
    job = InferenceJob.objects.create(
        owner=learner,
        capability="asr",
        backend="faster-whisper",
        status="failed",
        error="The audio is silent.",
    )
    attempt = AttemptFactory(
        user=learner, question=free, mock=mock, mode="mock", status="pending", recording=job, score=None
    )
    client.force_login(learner)
    client.get(reverse("quiz:mock", args=[mock.id]))
    attempt.refresh_from_db()
    assert attempt.status == "pending"  # a page view writes nothing

    spoken_answer_grade(str(job.id))  # what the worker runs once the ASR job has ended
    grade_now(attempt)  # and the grading task that follows it
    html = client.get(reverse("quiz:mock", args=[mock.id])).content.decode()

    attempt.refresh_from_db()
    assert attempt.status == "failed" and attempt.error == "Transcription failed: The audio is silent."
    assert "Transcription failed: The audio is silent." in html
    assert "Question 1 of 1" in html  # still to answer
    client.post(reverse("quiz:mock_answer", args=[mock.id]), {"question": free.id, "answer": GOOD_ANSWER})
    grade_now(mock.attempts.get(status="grading"))
    assert mock.attempts.filter(status="graded").count() == 1


# ---------------------------------------------------------------------------------------------
# Readiness, history, the topic page link


def test_readiness_names_weakest_topics_and_offers_a_one_click_set(client, learner, sampling):
    strong_topic = TopicFactory(title="Whisper")
    known = QuestionFactory(main_topic=strong_topic)
    QuestionFactory(main_topic=sampling)
    CardFactory(user=learner, question=known, last_score=1.0, state=_reviewed_state())
    client.force_login(learner)

    html = client.get(reverse("quiz:readiness")).content.decode()

    weakest, not_started = html.split("Weakest topics you have practised")[1].split("Not started: 1 topic")
    assert "Whisper" in weakest and "Sampling and Nyquist" not in weakest  # never practised ≠ weakest
    assert "Sampling and Nyquist" in not_started.split("</details>")[0]
    assert '<input type="hidden" name="topics" value="' + strong_topic.slug + '">' in html
    response = client.post(reverse("quiz:practice_set"), {"level": "mid", "topics": ["sampling-nyquist"]})
    assert response["Location"] == reverse("quiz:quiz_play")
    assert "Sampling and Nyquist" in client.get(reverse("quiz:quiz_play")).content.decode()


def _reviewed_state(days_ago: int = 0) -> dict:
    from quiz import scheduling

    return scheduling.review(None, scheduling.EASY, now=timezone.now() - timedelta(days=days_ago)).state


def test_history_has_a_server_side_chart_and_a_table(client, learner, free):
    for score in (0.2, 0.6, 0.9):
        AttemptFactory(user=learner, question=free, score=score)
    client.force_login(learner)

    html = client.get(reverse("quiz:history")).content.decode()

    assert '<svg class="score-chart"' in html and 'role="img"' in html
    assert html.count('<circle cx="') == 3
    assert "3 graded answers from" in html and "mean score 57%" in html
    assert html.count("<tr>") == 4  # the header and three answers


def test_topic_page_links_its_question_count_to_a_practice_set(client, sampling, mcq):
    html = client.get(reverse("curriculum:topic", args=[sampling.slug])).content.decode()

    assert f'<a href="{reverse("quiz:quiz_new")}?topics=sampling-nyquist">1 interview question</a>' in html


# ---------------------------------------------------------------------------------------------
# Authorisation and bounded queries


def test_another_learner_gets_404_for_answers_and_interviews(client, learner, other_learner, free):
    attempt = AttemptFactory(user=learner, question=free)
    mock = MockInterviewFactory(user=learner, question_ids=[free.id], finished_at=timezone.now())
    client.force_login(other_learner)

    assert client.get(reverse("quiz:attempt", args=[attempt.id])).status_code == 404
    assert client.post(reverse("quiz:attempt_rate", args=[attempt.id]), {"rating": "4"}).status_code == 404
    assert client.get(reverse("quiz:mock", args=[mock.id])).status_code == 404
    assert client.get(reverse("quiz:mock_report", args=[mock.id])).status_code == 404
    assert (
        client.post(
            reverse("quiz:mock_answer", args=[mock.id]), {"question": free.id, "answer": "x"}
        ).status_code
        == 404
    )
    assert client.post(reverse("quiz:mock_finish", args=[mock.id])).status_code == 404
    assert attempt.answer_text not in client.get(reverse("quiz:history")).content.decode()


def _many(learner, n: int, topic) -> None:
    for _ in range(n):
        question = QuestionFactory(main_topic=topic)
        AttemptFactory(user=learner, question=question)
        CardFactory(user=learner, question=question, due=timezone.now() - timedelta(minutes=5))


@pytest.mark.parametrize("name", ["home", "history", "review", "readiness"])
def test_list_pages_query_count_does_not_grow(
    client, learner, sampling, django_assert_max_num_queries, name, settings
):
    # A cache outside the database, emptied before each request: the page's own queries, cold.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    _many(learner, 3, sampling)
    client.force_login(learner)
    with django_assert_max_num_queries(16) as first:
        client.get(reverse(f"quiz:{name}"))
    _many(learner, 12, TopicFactory())
    cache.clear()
    client.force_login(learner)  # the session back in the cache (cached_db), as for the first request

    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse(f"quiz:{name}"))


def test_mock_report_query_count_does_not_grow(client, learner, sampling, django_assert_max_num_queries):
    def report(n):
        questions = [QuestionFactory(main_topic=TopicFactory()) for _ in range(n)]
        mock = MockInterviewFactory(
            user=learner, question_ids=[q.id for q in questions], finished_at=timezone.now()
        )
        for q in questions:
            AttemptFactory(user=learner, question=q, mock=mock, mode="mock")
        return reverse("quiz:mock_report", args=[mock.id])

    client.force_login(learner)
    small, large = report(2), report(8)
    client.get(small)  # the learner's menu is kept (webapp/site_nav.py): counted warm, as it is used
    with django_assert_max_num_queries(12) as first:
        client.get(small)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(large)
