"""`replaces:` — a new topic that takes over old ones carries learners' state over on import."""

import pytest
from django.utils import timezone

from curriculum.models import CheckAnswer, Topic, TopicProgress
from curriculum.services import curriculum_import
from demos.models import PredictionAttempt
from quiz.models import MockInterview
from tests.factories import UserFactory
from tests.quiz.factories import QuestionFactory
from tests.webapp.cohorts.factories import AssignmentFactory

QUESTIONS = "## Check yourself\n- What is a blank?\n- Why merge repeats?\n"


@pytest.fixture
def imported(content, db):
    content.topic("ctc", "speech", 1, prerequisites=["spectrograms"], body=f"## Why\nOld.\n\n{QUESTIONS}")
    content.topic("rnnt", "speech", 2, body=f"## Why\nOld too.\n\n{QUESTIONS}")
    curriculum_import(content_dir=content.root)
    return {t.slug: t for t in Topic.objects.all()}


def _replace(content, *, new_questions: str = QUESTIONS):
    for old in ("ctc", "rnnt"):
        (content.root / "topics" / "speech" / f"{old}.md").unlink()
    content.topic(
        "alignment-free-asr", "speech", 1, replaces=["ctc", "rnnt"], body=f"## Why\nNew.\n\n{new_questions}"
    )
    return curriculum_import(content_dir=content.root)


def test_progress_evidence_questions_and_assignments_move_to_the_new_topic(content, imported):
    learner, other = UserFactory(), UserFactory()
    now = timezone.now()
    TopicProgress.objects.create(
        user=learner, topic=imported["ctc"], status="done", started_at=now, completed_at=now
    )
    TopicProgress.objects.create(user=other, topic=imported["rnnt"], status="started", started_at=now)
    prediction = PredictionAttempt.objects.create(
        user=learner, demo="asr", exercise="wer", topic=imported["ctc"], prediction="10"
    )
    question = QuestionFactory(main_topic=imported["rnnt"])
    assignment = AssignmentFactory(kind="topics")
    assignment.topics.set([imported["ctc"]])
    mock = MockInterview.objects.create(
        user=learner, level="mid", question_count=1, time_limit_seconds=60, started_at=now
    )
    mock.topics.set([imported["rnnt"]])
    answer = CheckAnswer.objects.create(
        user=learner, topic=imported["ctc"], question=1, attempt="x", substantive=True
    )

    report = _replace(content)

    new = Topic.objects.get(slug="alignment-free-asr")
    assert sorted(report.replaced) == [("ctc", "alignment-free-asr"), ("rnnt", "alignment-free-asr")]
    assert TopicProgress.objects.get(user=learner).topic == new
    assert TopicProgress.objects.get(user=other).topic == new
    prediction.refresh_from_db()
    question.refresh_from_db()
    answer.refresh_from_db()
    assert prediction.topic == new
    assert question.main_topic == new and list(question.topics.all()) == [new]
    assert list(assignment.topics.all()) == [new] and list(mock.topics.all()) == [new]
    assert (answer.topic, answer.question) == (new, 1)
    assert set(Topic.objects.filter(is_active=False).values_list("slug", flat=True)) == {"ctc", "rnnt"}


def test_progress_on_both_old_topics_merges_to_the_further_along_status(content, imported):
    learner = UserFactory()
    now = timezone.now()
    TopicProgress.objects.create(user=learner, topic=imported["ctc"], status="started", started_at=now)
    TopicProgress.objects.create(
        user=learner, topic=imported["rnnt"], status="done", started_at=now, completed_at=now
    )

    _replace(content)

    rows = list(TopicProgress.objects.filter(user=learner))
    assert [(r.topic.slug, r.status) for r in rows] == [("alignment-free-asr", "done")]


def test_a_written_answer_moves_only_to_the_same_question(content, imported):
    learner = UserFactory()
    kept = CheckAnswer.objects.create(
        user=learner, topic=imported["ctc"], question=0, attempt="a", substantive=True
    )
    CheckAnswer.objects.create(
        user=learner, topic=imported["rnnt"], question=0, attempt="b", substantive=True
    )
    stays = CheckAnswer.objects.create(user=learner, topic=imported["ctc"], question=1, attempt="c")

    _replace(content, new_questions="## Check yourself\n- Something else?\n- What is a blank?\n")

    new = Topic.objects.get(slug="alignment-free-asr")
    kept.refresh_from_db()
    stays.refresh_from_db()
    assert (kept.topic, kept.question) == (new, 1)  # same question text, new position
    assert stays.topic.slug == "ctc"  # "Why merge repeats?" is not asked any more
    assert CheckAnswer.objects.filter(topic=new).count() == 1  # the second answer to it did not overwrite


def test_reimport_after_replacing_changes_nothing(content, imported):
    _replace(content)
    again = curriculum_import(content_dir=content.root)

    assert again.created == [] and again.updated == []


def test_a_topic_cannot_replace_a_live_topic(content, imported):
    from curriculum.content_loader import ContentError

    content.topic("alignment-free-asr", "speech", 3, replaces=["ctc"])

    with pytest.raises(ContentError, match="replaces 'ctc', which is still a topic file"):
        curriculum_import(content_dir=content.root)
