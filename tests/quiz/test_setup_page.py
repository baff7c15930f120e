"""The quiz set-up page a newcomer meets: a topic checklist grouped by phase, a usable count
pre-filled from an assignment, questions shown under the topic the learner picked, and a score
when the set is complete."""

import re

import pytest
from django.urls import reverse

from tests.factories import PhaseFactory, TopicFactory
from tests.quiz.factories import QuestionFactory
from tests.webapp.cohorts.factories import AssignmentFactory, CohortFactory, MembershipFactory
from webapp.cohorts.selectors.assignments import learner_assignments

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_phases():
    dsp = PhaseFactory(order=1, title="Signal processing")
    asr = PhaseFactory(order=2, title="Speech recognition")
    noise = TopicFactory(phase=dsp, order=1, slug="noise-reduction", title="Classical noise reduction")
    whisper = TopicFactory(phase=asr, order=1, slug="whisper", title="Whisper")
    diarization = TopicFactory(phase=asr, order=2, slug="speaker-diarization", title="Speaker diarization")
    return noise, whisper, diarization


def _answer(client, question, **data):
    page = client.get(reverse("quiz:quiz_play")).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    return client.post(
        reverse("quiz:answer"), {"question": question.id, "token": token, "mode": "quiz", **data}
    )


def test_topics_are_a_checklist_grouped_by_phase_with_a_filter(client, learner, two_phases):
    noise, whisper, _ = two_phases
    QuestionFactory(main_topic=noise)
    QuestionFactory(main_topic=whisper)
    client.force_login(learner)

    html = client.get(reverse("quiz:quiz_new"), {"topics": "whisper"}).content.decode()

    assert "<select multiple" not in html and 'select name="topics"' not in html  # no list box
    assert html.index("<legend>Signal processing</legend>") < html.index(
        "<legend>Speech recognition</legend>"
    )
    assert 'type="checkbox" name="topics" value="whisper" checked' in html
    assert 'type="checkbox" name="topics" value="noise-reduction">' in html
    assert 'id="topic-filter"' in html and "quiz/topic-filter.js" in html
    assert 'type="number" name="count" value="10"' in html


def test_a_question_is_shown_under_the_topic_the_learner_picked(client, learner, two_phases):
    noise, whisper, diarization = two_phases
    QuestionFactory(main_topic=noise, topics=[noise, whisper, diarization], kind="mcq")
    client.force_login(learner)

    client.post(reverse("quiz:quiz_new"), {"topics": ["speaker-diarization"], "count": 5})
    html = client.get(reverse("quiz:quiz_play")).content.decode()

    meta = html.split('class="meta"')[1].split("</p>")[0]
    assert "Speaker diarization" in meta and "Classical noise reduction" not in meta


def test_without_a_pick_the_question_shows_its_main_topic(client, learner, two_phases):
    noise, whisper, _ = two_phases
    QuestionFactory(main_topic=whisper, topics=[noise, whisper], kind="mcq")
    client.force_login(learner)

    client.post(reverse("quiz:quiz_new"), {"count": 5})
    meta = client.get(reverse("quiz:quiz_play")).content.decode().split('class="meta"')[1].split("</p>")[0]

    assert "Whisper" in meta and "Classical noise reduction" not in meta


def test_set_complete_shows_the_score(client, learner, two_phases):
    noise, whisper, _ = two_phases
    right = QuestionFactory(main_topic=noise, kind="mcq")
    wrong = QuestionFactory(main_topic=whisper, kind="mcq")
    client.force_login(learner)
    client.post(reverse("quiz:quiz_new"), {"count": 2})

    for _ in range(2):
        page = client.get(reverse("quiz:quiz_play")).content.decode()
        question = right if f'name="question" value="{right.id}"' in page else wrong
        _answer(client, question, options=question.options.filter(correct=question == right).first().id)
    done = client.get(reverse("quiz:quiz_play")).content.decode()

    assert "Set complete" in done
    assert "Your score: <strong>50%</strong>" in done
    assert "You answered 2 of 2 questions" in done


def test_an_assignments_start_link_prefills_its_question_count(client, learner, two_phases):
    _, whisper, _ = two_phases
    QuestionFactory(main_topic=whisper)
    cohort = CohortFactory()
    MembershipFactory(cohort=cohort, user=learner)
    AssignmentFactory(cohort=cohort, kind="quiz", question_count=4, topics=[whisper])
    client.force_login(learner)

    [item] = learner_assignments(user=learner)
    assert "count=4" in item.start_url
    html = client.get(item.start_url).content.decode()

    assert 'type="number" name="count" value="4"' in html
    assert 'value="whisper" checked' in html
