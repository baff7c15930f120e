"""Assignments: setting them, each kind's status from the learner's own activity, the learner's
home page and the owner's completion view."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt
from tests.factories import UserFactory
from tests.quiz.factories import MockInterviewFactory, QuestionFactory
from tests.webapp.cohorts.conftest import ago, attempt_at, progress_at
from tests.webapp.cohorts.factories import AssignmentFactory, CohortFactory, MembershipFactory
from webapp.cohorts.models import Assignment
from webapp.cohorts.selectors import assignments as selectors

pytestmark = pytest.mark.django_db


def _status(assignment, user):
    return selectors.assignment_statuses(
        cohort=assignment.cohort, assignments=[assignment], user_ids=[user.id]
    )[(assignment.id, user.id)]


def _post(client, cohort, **data):
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    return client.post(reverse("cohorts:assignment_new", args=[cohort.id]), {"due_on": due, **data})


def test_owner_sets_each_kind_of_assignment(client, owner, cohort, roadmap):
    _, topics, _ = roadmap
    client.force_login(owner)

    _post(client, cohort, kind="topics", topics=[topics[0].slug, topics[1].slug], instructions="Read both.")
    _post(client, cohort, kind="quiz", topics=[topics[0].slug], level="mid", question_count=5)
    response = _post(client, cohort, kind="mock", level="mid", question_count=1, minutes=15)

    kinds = list(
        Assignment.objects.filter(cohort=cohort)
        .order_by("id")
        .values_list("kind", "question_count", "minutes")
    )
    assert kinds == [("topics", None, None), ("quiz", 5, None), ("mock", 1, 15)]
    last = Assignment.objects.order_by("id").last()
    assert response["Location"] == reverse("cohorts:assignment", args=[cohort.id, last.id])
    assert list(Assignment.objects.order_by("id").first().topics.all()) == topics[:2]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "topics"}, "Choose the topics to finish."),
        ({"kind": "quiz", "topics": ["topic-none"]}, "Select a valid choice."),
        ({"kind": "quiz", "question_count": 3}, "Choose the topics the quiz covers."),
        ({"kind": "mock", "question_count": 2}, "Choose the interview&#x27;s level."),
        ({"kind": "mock", "level": "mid", "question_count": 13}, "at most 12 questions"),
        ({"kind": "mock", "level": "mid", "question_count": 9}, "Only 6 question(s) match"),
        ({"kind": "mock", "level": "principal", "question_count": 1}, "Only 0 question(s) match"),
    ],
)
def test_assignments_that_cannot_be_done_are_refused(client, owner, cohort, roadmap, data, error):
    client.force_login(owner)

    response = _post(client, cohort, **data)

    assert response.status_code == 200 and error in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_due_date_in_the_past_is_refused(client, owner, cohort, roadmap):
    _, topics, _ = roadmap
    client.force_login(owner)

    response = _post(client, cohort, kind="topics", topics=[topics[0].slug], due_on="2001-01-01")

    assert "The due date has passed." in response.content.decode()


def test_topics_assignment_is_done_when_every_topic_is_done_while_a_member(cohort, member, learner, roadmap):
    _, topics, _ = roadmap
    assignment = AssignmentFactory(cohort=cohort, topics=topics[:2])
    assert _status(assignment, learner).state == "todo"

    progress_at(user=learner, topic=topics[0], started=ago(3), completed=ago(2))
    progress_at(user=learner, topic=topics[1], started=ago(3))
    status = _status(assignment, learner)
    assert (status.state, status.have, status.need, status.label) == ("started", 1, 2, "In progress")

    progress_at(user=learner, topic=topics[2], started=ago(3), completed=ago(2))  # not assigned
    topics[1].progress.filter(user=learner).update(status="done", completed_at=ago(1))
    assert _status(assignment, learner).state == "done"


def test_a_topic_done_before_joining_does_not_count_until_marked_again(cohort, learner, roadmap):
    _, topics, _ = roadmap
    MembershipFactory(cohort=cohort, user=learner, joined_at=ago(5))
    progress = progress_at(user=learner, topic=topics[0], started=ago(20), completed=ago(10))
    assignment = AssignmentFactory(cohort=cohort, topics=topics[:1])

    assert _status(assignment, learner).state == "todo"
    progress.completed_at = ago(1)
    progress.save()
    assert _status(assignment, learner).state == "done"


def test_quiz_assignment_counts_graded_answers_on_its_topics_and_level_after_it_was_set(
    cohort, member, learner, roadmap
):
    _, topics, questions = roadmap
    assignment = AssignmentFactory(
        cohort=cohort, kind="quiz", topics=[topics[0]], level="mid", question_count=3
    )
    shared = QuestionFactory(
        main_topic=topics[1], topics=[topics[1], topics[0]], level="mid"
    )  # tagged with both
    senior = QuestionFactory(main_topic=topics[0], level="senior")
    attempt_at(ago(2), user=learner, question=questions[0])  # before the assignment
    attempt_at(ago(0.5), user=learner, question=senior)  # another level
    attempt_at(ago(0.5), user=learner, question=questions[1])  # another topic
    attempt_at(ago(0.5), user=learner, question=questions[0])
    assert (_status(assignment, learner).state, _status(assignment, learner).have) == ("started", 1)

    attempt_at(ago(0.4), user=learner, question=shared)
    attempt_at(ago(0.3), user=learner, question=questions[0], status=Attempt.Status.PENDING, score=None)
    assert (_status(assignment, learner).state, _status(assignment, learner).have) == ("started", 2)
    attempt_at(ago(0.2), user=learner, question=questions[0])
    assert _status(assignment, learner).state == "done"


def test_mock_assignment_is_done_by_a_finished_interview_at_the_level_and_length(
    cohort, member, learner, roadmap
):
    _, topics, _ = roadmap
    assignment = AssignmentFactory(
        cohort=cohort, kind="mock", level="senior", question_count=2, topics=[topics[0]]
    )

    def mock(level="senior", length=2, topic=topics[0], **fields):
        m = MockInterviewFactory(
            user=learner, started_at=ago(0.5), level=level, question_count=length, **fields
        )
        m.topics.set([topic])
        return m

    MockInterviewFactory(
        user=learner, started_at=ago(3), finished_at=ago(3), level="senior", question_count=2
    )
    assert _status(assignment, learner).state == "todo"  # before the assignment
    unfinished = mock()
    assert _status(assignment, learner).state == "started"
    mock(level="mid", finished_at=ago(0.3))
    mock(length=1, finished_at=ago(0.3))
    mock(topic=topics[1], finished_at=ago(0.3))
    assert _status(assignment, learner).state == "started"

    unfinished.finished_at = ago(0.1)
    unfinished.save()
    assert _status(assignment, learner).state == "done"


def test_overdue_is_shown_until_done(cohort, member, learner, roadmap):
    _, topics, _ = roadmap
    assignment = AssignmentFactory(
        cohort=cohort, topics=topics[:1], due_on=timezone.localdate() - timedelta(days=1)
    )

    assert _status(assignment, learner).label == "Not started · overdue"
    progress_at(user=learner, topic=topics[0], started=ago(1), completed=ago(0.5))
    assert _status(assignment, learner).label == "Done"


def test_learners_see_their_assignments_on_the_home_page_with_status_and_a_way_in(
    client, cohort, member, learner, roadmap
):
    _, topics, _ = roadmap
    AssignmentFactory(cohort=cohort, kind="topics", topics=[topics[0]], title="Read about sampling")
    AssignmentFactory(
        cohort=cohort, kind="quiz", topics=[topics[0], topics[1]], level="mid", question_count=4
    )
    AssignmentFactory(cohort=cohort, kind="mock", level="senior", question_count=3)
    progress_at(user=learner, topic=topics[0], started=ago(2), completed=ago(1))
    client.force_login(learner)

    html = client.get(reverse("home")).content.decode()

    assert "Your assignments" in html and "Read about sampling" in html
    assert f"Quiz: 4 answers on {topics[0].title}, {topics[1].title} (Mid)" in html
    assert "Mock interview: 3 questions (Senior)" in html
    assert (
        f"{reverse('quiz:quiz_new')}?topics={topics[0].slug}&amp;topics={topics[1].slug}&amp;level=mid"
        in html
    )
    assert f"{reverse('quiz:mock_new')}?level=senior" in html
    assert '<span class="assignment-status done">Done</span>' in html
    assert html.count('<span class="assignment-status todo">Not started</span>') == 2
    assert 'href="/cohorts/mine/"' in html  # the navigation's "My cohorts"


def test_no_block_and_no_nav_link_without_a_cohort(client, learner):
    client.force_login(learner)

    html = client.get(reverse("home")).content.decode()

    assert "Your assignments" not in html and "My cohorts" not in html


def test_instructors_get_the_cohorts_link(client, owner):
    client.force_login(owner)

    assert f'<a href="{reverse("cohorts:list")}"' in client.get(reverse("home")).content.decode()


def test_leaving_removes_the_cohorts_assignments_from_home(client, cohort, member, learner, roadmap):
    _, topics, _ = roadmap
    AssignmentFactory(cohort=cohort, topics=[topics[0]])
    client.force_login(learner)
    client.post(reverse("cohorts:leave", args=[cohort.id]))

    assert client.get(reverse("home")).context["assignments"] == []


def test_owner_sees_completion_per_learner_and_can_delete(client, owner, cohort, roadmap):
    _, topics, _ = roadmap
    done, idle = UserFactory(username="finisher"), UserFactory(username="idler")
    for user in (done, idle):
        MembershipFactory(cohort=cohort, user=user, joined_at=ago(10))
    progress_at(user=done, topic=topics[0], started=ago(2), completed=ago(1))
    assignment = AssignmentFactory(cohort=cohort, topics=[topics[0]])
    client.force_login(owner)

    page = client.get(reverse("cohorts:assignment", args=[cohort.id, assignment.id]))

    assert [(m.user.username, s.state) for m, s in page.context["rows"]] == [
        ("idler", "todo"),
        ("finisher", "done"),
    ]
    assert "Completion: 1 of 2" in page.content.decode()
    summary = client.get(reverse("cohorts:dashboard", args=[cohort.id])).context["d"].assignments[0]
    assert (summary.done, summary.started, summary.overdue) == (1, 0, 0)
    client.post(reverse("cohorts:assignment_delete", args=[cohort.id, assignment.id]))
    assert not Assignment.objects.exists()


def test_home_page_queries_do_not_grow_with_assignments(
    client, learner, roadmap, django_assert_max_num_queries
):
    _, topics, _ = roadmap
    cohort = CohortFactory()
    MembershipFactory(cohort=cohort, user=learner, joined_at=ago(10))
    AssignmentFactory(cohort=cohort, kind="topics", topics=topics[:1])
    client.force_login(learner)
    client.get(reverse("home"))  # the learner's menu is kept (webapp/site_nav.py): counted warm, as used
    with django_assert_max_num_queries(30) as first:
        client.get(reverse("home"))
    for kind, extra in (("quiz", {"question_count": 2}), ("mock", {"level": "mid", "question_count": 1})):
        for _ in range(3):
            AssignmentFactory(cohort=cohort, kind=kind, topics=topics[:2], **extra)

    with django_assert_max_num_queries(len(first.captured_queries) + 2):  # one query per kind present
        client.get(reverse("home"))
