"""An owner sees a learner's data only from inside the learner's membership: nothing from before
joining, nothing from after leaving or being removed; a new stretch after rejoining shows again."""

import json

import pytest
from django.urls import reverse

from quiz import scheduling
from tests.quiz.factories import CardFactory, MockInterviewFactory
from tests.webapp.cohorts.conftest import ago, attempt_at, progress_at
from tests.webapp.cohorts.factories import MembershipFactory
from webapp.cohorts import selectors, services
from webapp.cohorts.selectors.dashboard import DashboardOptions, cohort_dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(cohort, learner, roadmap):
    """A learner who joined 30 days ago and left 10 days ago, with activity before, during and after."""
    membership = MembershipFactory(cohort=cohort, user=learner, joined_at=ago(30), left_at=ago(10))
    _, topics, questions = roadmap
    rows = {
        "before_progress": progress_at(user=learner, topic=topics[0], started=ago(40), completed=ago(35)),
        "inside_progress": progress_at(user=learner, topic=topics[1], started=ago(25), completed=ago(20)),
        "finished_after": progress_at(user=learner, topic=topics[2], started=ago(15), completed=ago(5)),
        "after_progress": progress_at(user=learner, topic=topics[3], started=ago(3)),
        "before": attempt_at(ago(40), user=learner, question=questions[0], score=0.11),
        "inside": attempt_at(ago(20), user=learner, question=questions[1], score=0.77),
        "after": attempt_at(ago(5), user=learner, question=questions[2], score=0.33),
        "mock_inside": MockInterviewFactory(
            user=learner, question_ids=[questions[1].id], started_at=ago(20), finished_at=ago(20)
        ),
        "mock_after": MockInterviewFactory(
            user=learner, question_ids=[questions[2].id], started_at=ago(4), finished_at=ago(4)
        ),
        "mock_across": MockInterviewFactory(
            user=learner, question_ids=[questions[2].id], started_at=ago(10.01), finished_at=ago(9.9)
        ),
    }
    return membership, topics, questions, rows


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_attempts_from_outside_the_membership_are_invisible_everywhere(
    client, owner, cohort, learner, history
):
    _, _, _, rows = history
    client.force_login(owner)

    detail = client.get(reverse("cohorts:learner", args=[cohort.id, learner.id]))
    assert [a.id for a in detail.context["attempts"]] == [rows["inside"].id]
    assert "77%" in detail.content.decode() and "11%" not in detail.content.decode()
    csv_rows = _body(client.get(reverse("cohorts:export_attempts", args=[cohort.id]))).strip().splitlines()
    assert len(csv_rows) == 2 and ",0.770," in csv_rows[1]
    statements = json.loads(_body(client.get(reverse("cohorts:export_xapi", args=[cohort.id]))))
    scores = [s["result"]["score"]["scaled"] for s in statements if s["verb"]["id"].endswith("/answered")]
    assert scores == [0.77]


def test_progress_shows_as_it_stood_inside_the_membership(client, owner, cohort, learner, history):
    _, topics, _, _ = history
    client.force_login(owner)

    phases = client.get(reverse("cohorts:learner", args=[cohort.id, learner.id])).context["phases"]
    status = {row.topic.id: row.status for phase in phases for row in phase.topics}
    assert status[topics[0].id] is None  # done before joining
    assert status[topics[1].id] == "done"
    assert status[topics[2].id] == "started"  # started inside, finished after leaving
    assert status[topics[3].id] is None  # started after leaving
    lines = _body(client.get(reverse("cohorts:export_progress", args=[cohort.id]))).strip().splitlines()[1:]
    assert [line.split(",")[4:7] for line in lines] == [
        [topics[1].slug, topics[1].title, "done"],
        [topics[2].slug, topics[2].title, "started"],
    ]
    assert lines[1].endswith(",")  # no completion date: it happened after leaving


def test_interviews_from_outside_the_membership_have_no_report(client, owner, cohort, learner, history):
    _, _, _, rows = history
    client.force_login(owner)

    url = lambda mock: reverse("cohorts:learner_mock", args=[cohort.id, learner.id, mock.id])  # noqa: E731
    assert client.get(url(rows["mock_inside"])).status_code == 200
    assert client.get(url(rows["mock_after"])).status_code == 404
    assert client.get(url(rows["mock_across"])).status_code == 404  # finished after leaving
    listed = client.get(reverse("cohorts:learner", args=[cohort.id, learner.id])).context["mocks"]
    assert [(m.id, visible) for m, visible in listed] == [
        (rows["mock_across"].id, False),
        (rows["mock_inside"].id, True),
    ]


def test_removing_a_learner_hides_what_they_do_next(client, owner, cohort, learner, roadmap):
    _, topics, questions = roadmap
    membership = MembershipFactory(cohort=cohort, user=learner, joined_at=ago(30))
    attempt_at(ago(2), user=learner, question=questions[0], score=0.5)
    client.force_login(owner)
    client.post(reverse("cohorts:member_remove", args=[cohort.id, learner.id]))
    membership.refresh_from_db()

    later = attempt_at(membership.left_at, user=learner, question=questions[1], score=0.9)  # the very moment
    progress_at(user=learner, topic=topics[0], started=membership.left_at)

    detail = client.get(reverse("cohorts:learner", args=[cohort.id, learner.id]))
    assert later.id not in [a.id for a in detail.context["attempts"]] and len(detail.context["attempts"]) == 1
    assert "90%" not in _body(client.get(reverse("cohorts:export_xapi", args=[cohort.id])))
    assert _body(client.get(reverse("cohorts:export_progress", args=[cohort.id]))).count("\n") == 1
    assert client.get(reverse("cohorts:dashboard", args=[cohort.id])).context["d"].learners == []


def test_rejoining_opens_a_new_window_but_not_the_gap(client, owner, cohort, learner, history):
    _, _, questions, rows = history
    MembershipFactory(cohort=cohort, user=learner, joined_at=ago(2))
    again = attempt_at(ago(1), user=learner, question=questions[3], score=0.66)
    client.force_login(owner)

    ids = [
        a.id for a in client.get(reverse("cohorts:learner", args=[cohort.id, learner.id])).context["attempts"]
    ]

    assert ids == [again.id, rows["inside"].id]  # the gap (rows["after"]) stays hidden


def test_the_dashboard_counts_only_the_current_window(owner, cohort, learner, roadmap):
    _, topics, questions = roadmap
    MembershipFactory(cohort=cohort, user=learner, joined_at=ago(30))
    progress_at(user=learner, topic=topics[0], started=ago(50), completed=ago(40))  # before joining
    progress_at(user=learner, topic=topics[1], started=ago(20), completed=ago(19))
    attempt_at(ago(45), user=learner, question=questions[0], score=0.0)
    attempt_at(ago(5), user=learner, question=questions[1], score=1.0)
    CardFactory(
        user=learner,
        question=questions[0],
        state=scheduling.review(None, 4, now=ago(45)).state,
        last_review=ago(45),
    )
    CardFactory(
        user=learner,
        question=questions[1],
        state=scheduling.review(None, 4, now=ago(5)).state,
        last_review=ago(5),
    )

    d = cohort_dashboard(cohort=cohort, options=DashboardOptions())

    row = d.learners[0]
    assert [c.done for c in row.cells] == [1, 0]
    assert (row.answers, row.mastery) == (1, 1.0)
    assert d.mastery == {(learner.id, topics[1].id): (1.0, 1)}
    assert [s.topic for s in d.recall_topics] == [topics[1]]


def test_window_rule_in_sql_and_in_python_agree(cohort, learner, roadmap):
    stretch = MembershipFactory(cohort=cohort, user=learner, joined_at=ago(30), left_at=ago(10))
    _, _, questions = roadmap
    moments = [ago(31), stretch.joined_at, ago(20), stretch.left_at, ago(5)]
    attempts = [attempt_at(m, user=learner, question=questions[0]) for m in moments]

    in_sql = set(selectors.attempts_visible(cohort=cohort).values_list("id", flat=True))
    windows = selectors.cohort_windows(cohort=cohort)
    in_python = {a.id for a in attempts if windows.contains(learner.id, a.created_at)}

    assert in_sql == in_python == {attempts[1].id, attempts[2].id}  # joining counts, leaving does not


def test_leaving_by_the_learner_is_the_same_as_removal(cohort, learner, roadmap):
    _, _, questions = roadmap
    membership = MembershipFactory(cohort=cohort, user=learner, joined_at=ago(30))
    services.membership_end(membership=membership)
    attempt_at(membership.left_at, user=learner, question=questions[0])

    assert not selectors.attempts_visible(cohort=cohort).exists()


def test_the_owner_reads_a_mock_interview_report_without_the_learners_controls(
    client, owner, cohort, member, learner, roadmap
):
    _, _, questions = roadmap
    mock = MockInterviewFactory(user=learner, question_ids=[questions[0].id, questions[1].id], question_count=2,
                                started_at=ago(3), finished_at=ago(2.99))  # fmt: skip
    attempt_at(ago(2.995), user=learner, question=questions[0], mode="mock", mock=mock, score=0.5,
               answer_text="It folds back to <b>6 kHz</b>.")  # fmt: skip
    client.force_login(owner)

    html = client.get(reverse("cohorts:learner_mock", args=[cohort.id, learner.id, mock.id])).content.decode()

    assert "It folds back to &lt;b&gt;6 kHz&lt;/b&gt;." in html
    assert "Key points covered" in html and "Key points missed" in html and "Not answered." in html
    assert "Score <strong>25%</strong> over 2 questions" in html
    assert "/practice/answers/" not in html and "<form" not in html.split("</header>")[1]
