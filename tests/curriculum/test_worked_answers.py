"""Check-yourself questions on the topic page: the worked answer is sent only after an attempt or a
reveal, the first record stands, and only a substantive attempt counts as evidence."""

import pytest
from django.urls import reverse

from curriculum.models import CheckAnswer, Topic
from curriculum.services import curriculum_import
from tests.factories import UserFactory

BODY = """## The idea
Blank symbols let CTC align without frame labels.

## Check yourself
- Collapse `a a ε a b`. What do you get?
- Why does CTC need a blank symbol at all?

## Worked answers
### 1. Collapsing `a a ε a b`
Merge repeats first (`a ε a b`), then drop blanks: **aab**. The blank between the two a's keeps them apart.
### 2. Why a blank
Without it, a doubled letter such as the two l's of hello could not be told from one long l.
"""
ANSWER_ONE = "then drop blanks"
ATTEMPT = "Merge the repeated a frames into one, then remove every blank, which leaves a a b as the output."


@pytest.fixture
def topic(content, db) -> Topic:
    content.topic("ctc", "speech", 1, prerequisites=["spectrograms"], body=BODY)
    curriculum_import(content_dir=content.root)
    return Topic.objects.get(slug="ctc")


def _page(client, topic) -> str:
    return client.get(reverse("curriculum:topic", args=[topic.slug])).content.decode()


def test_import_splits_the_lesson_from_its_questions_and_answers(topic):
    assert "Blank symbols let CTC align" in topic.body_html
    assert "Worked answers" not in topic.body_html and ANSWER_ONE not in topic.body_html
    assert [q.split(".")[0] for q in topic.check_questions] == [
        "Collapse <code>a a ε a b</code>",
        "Why does CTC need a blank symbol at all?",
    ]
    assert ANSWER_ONE in topic.worked_answers[0]["html"] and len(topic.worked_answers) == 2


def test_answers_are_not_in_the_page_before_an_attempt(client, topic):
    client.force_login(UserFactory())

    page = _page(client, topic)

    assert "Collapse <code>a a ε a b</code>" in page
    assert ANSWER_ONE not in page
    assert 'name="attempt"' in page


def test_a_visitor_sees_the_questions_but_no_answers_and_cannot_post(client, topic):
    page = _page(client, topic)
    response = client.post(reverse("curriculum:topic_check", args=[topic.slug, 0]), {"attempt": ATTEMPT})

    assert "Sign in</a> to write your answer" in page and ANSWER_ONE not in page
    assert response.status_code == 302 and "/login" in response["Location"]
    assert CheckAnswer.objects.count() == 0


def test_an_attempt_reveals_that_answer_only_and_counts_as_evidence(client, topic):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("curriculum:topic_check", args=[topic.slug, 0]), {"attempt": ATTEMPT})
    page = _page(client, topic)

    assert response.status_code == 302 and response["Location"].endswith("#check-1")
    assert ANSWER_ONE in page and "could not be told from one long l" not in page
    assert "counts as evidence" in page and "written answers: 1 of 2" in page
    record = CheckAnswer.objects.get(user=user, topic=topic)
    assert record.question == 0 and record.substantive


@pytest.mark.parametrize(
    "attempt",
    ["aab", "I am not sure about this one", "Collapse a a ε a b. What do you get? Collapse a a ε a b, what?"],
)
def test_a_blank_or_token_attempt_shows_the_answer_but_is_not_evidence(client, topic, attempt):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("curriculum:topic_check", args=[topic.slug, 0]), {"attempt": attempt})

    assert ANSWER_ONE in _page(client, topic)
    assert not CheckAnswer.objects.get(user=user).substantive


def test_an_empty_attempt_is_refused_but_a_reveal_is_allowed_and_not_evidence(client, topic):
    user = UserFactory()
    client.force_login(user)

    client.post(
        reverse("curriculum:topic_check", args=[topic.slug, 1]), {"attempt": "   ", "action": "attempt"}
    )
    assert CheckAnswer.objects.count() == 0
    client.post(reverse("curriculum:topic_check", args=[topic.slug, 1]), {"action": "reveal"})
    page = _page(client, topic)

    assert "could not be told from one long l" in page and "without writing one" in page
    assert not CheckAnswer.objects.get(user=user).substantive


def test_the_first_record_stands_after_the_answer_is_shown(client, topic):
    user = UserFactory()
    client.force_login(user)
    url = reverse("curriculum:topic_check", args=[topic.slug, 0])

    client.post(url, {"action": "reveal"})
    client.post(url, {"attempt": ATTEMPT})

    record = CheckAnswer.objects.get(user=user, topic=topic, question=0)
    assert record.attempt == "" and not record.substantive


def test_an_answer_is_only_shown_to_its_writer(client, topic):
    writer = UserFactory()
    client.force_login(writer)
    client.post(reverse("curriculum:topic_check", args=[topic.slug, 0]), {"attempt": ATTEMPT})
    client.force_login(UserFactory())

    page = _page(client, topic)

    assert ANSWER_ONE not in page and ATTEMPT not in page


@pytest.mark.parametrize("question", [2, 99])
def test_a_question_that_does_not_exist_is_refused(client, topic, question):
    client.force_login(UserFactory())

    client.post(reverse("curriculum:topic_check", args=[topic.slug, question]), {"attempt": ATTEMPT})

    assert CheckAnswer.objects.count() == 0


def test_an_overlong_attempt_is_refused(client, topic):
    client.force_login(UserFactory())

    client.post(reverse("curriculum:topic_check", args=[topic.slug, 0]), {"attempt": "word " * 1000})

    assert CheckAnswer.objects.count() == 0


def test_the_phase_page_links_each_goal_to_the_lessons_that_teach_it(client, content, db):
    content.phase("speech", 2, goals=[{"text": "Decode with CTC.", "taught_by": ["ctc"]}, "Be curious."])
    curriculum_import(content_dir=content.root)

    page = client.get(reverse("curriculum:phase", args=["speech"])).content.decode()

    assert (
        'Decode with CTC. <span class="meta">— taught in <a href="/roadmap/topics/ctc/">Topic ctc</a>' in page
    )
    assert "<li>Be curious.</li>" in page
