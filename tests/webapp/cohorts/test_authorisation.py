"""Who sees what: owners and co-owners see their cohorts' learners, nobody else does (404 for any
id they may not see, exports included); learners see only their own; staff use the admin."""

import pytest
from django.urls import reverse

from tests.factories import InstructorFactory, UserFactory
from tests.quiz.factories import MockInterviewFactory
from tests.webapp.cohorts.conftest import ago, attempt_at, progress_at
from tests.webapp.cohorts.factories import AssignmentFactory, CohortFactory, MembershipFactory
from webapp.cohorts.models import Assignment, Cohort, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner, cohort, member, learner, other_learner, roadmap):
    """Two cohorts with different owners, each with a learner who has answers, an interview and an
    assignment; `learner` is in the owner's cohort, `other_learner` in the other instructor's."""
    _, topics, questions = roadmap
    rival = InstructorFactory(username="rival")
    other = CohortFactory(name="Rival cohort", created_by=rival)
    MembershipFactory(cohort=other, user=other_learner, joined_at=ago(30))
    data = {}
    for who, c in ((learner, cohort), (other_learner, other)):
        progress_at(user=who, topic=topics[0], started=ago(10), completed=ago(9))
        attempt = attempt_at(ago(5), user=who, question=questions[0], score=0.7)
        mock = MockInterviewFactory(
            user=who, question_ids=[questions[0].id], started_at=ago(4), finished_at=ago(4)
        )
        assignment = AssignmentFactory(cohort=c, topics=[topics[0]])
        data[who.id] = {"attempt": attempt, "mock": mock, "assignment": assignment}
    return {"rival": rival, "other": other, **data}


def _get_urls(cohort, learner, mock, assignment):
    return [
        reverse("cohorts:dashboard", args=[cohort.id]),
        reverse("cohorts:settings", args=[cohort.id]),
        reverse("cohorts:learner", args=[cohort.id, learner.id]),
        reverse("cohorts:learner_mock", args=[cohort.id, learner.id, mock.id]),
        reverse("cohorts:assignment_new", args=[cohort.id]),
        reverse("cohorts:assignment", args=[cohort.id, assignment.id]),
        reverse("cohorts:export_progress", args=[cohort.id]),
        reverse("cohorts:export_attempts", args=[cohort.id]),
        reverse("cohorts:export_xapi", args=[cohort.id]),
    ]


def _post_urls(cohort, learner, owner, assignment):
    return [
        (reverse("cohorts:settings", args=[cohort.id]), {"name": "Hijacked", "description": ""}),
        (reverse("cohorts:invite_regenerate", args=[cohort.id]), {}),
        (reverse("cohorts:owner_add", args=[cohort.id]), {"username": "rival"}),
        (reverse("cohorts:owner_remove", args=[cohort.id, owner.id]), {}),
        (reverse("cohorts:member_remove", args=[cohort.id, learner.id]), {}),
        (reverse("cohorts:assignment_new", args=[cohort.id]), {"kind": "topics", "due_on": "2099-01-01"}),
        (reverse("cohorts:assignment_delete", args=[cohort.id, assignment.id]), {}),
    ]


def _snapshot(cohort):
    cohort.refresh_from_db()
    return (
        cohort.name,
        cohort.invite_code,
        sorted(cohort.owners.values_list("id", flat=True)),
        list(Membership.objects.filter(cohort=cohort).values_list("id", "left_at")),
        sorted(Assignment.objects.filter(cohort=cohort).values_list("id", flat=True)),
    )


def test_owner_sees_every_page_of_their_cohort(client, owner, cohort, learner, world):
    client.force_login(owner)

    for url in _get_urls(cohort, learner, world[learner.id]["mock"], world[learner.id]["assignment"]):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_log_in(client, owner, cohort, learner, world):
    mine = world[learner.id]
    for url in _get_urls(cohort, learner, mine["mock"], mine["assignment"]):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], url
    for url, data in _post_urls(cohort, learner, owner, mine["assignment"]):
        assert client.post(url, data).status_code == 302, url
    for name in ("list", "new", "mine"):
        assert reverse("accounts:login") in client.get(reverse(f"cohorts:{name}"))["Location"]


@pytest.mark.parametrize("who", ["member", "other_learner", "rival", "staff"])
def test_everyone_but_the_owners_gets_404_for_every_page_and_action(
    client, owner, cohort, learner, world, who
):
    visitor = {
        "member": learner,
        "other_learner": world["other"].memberships.get().user,
        "rival": world["rival"],
        "staff": InstructorFactory(is_staff=True, is_superuser=True),
    }[who]
    mine = world[learner.id]
    before = _snapshot(cohort)
    client.force_login(visitor)

    for url in _get_urls(cohort, learner, mine["mock"], mine["assignment"]):
        assert client.get(url).status_code == 404, url
    for url, data in _post_urls(cohort, learner, owner, mine["assignment"]):
        assert client.post(url, data).status_code == 404, url

    assert _snapshot(cohort) == before


def test_owner_gets_404_for_learners_interviews_and_assignments_outside_the_cohort(
    client, owner, cohort, learner, other_learner, world
):
    theirs, mine = world[other_learner.id], world[learner.id]
    client.force_login(owner)

    not_found = [
        reverse("cohorts:learner", args=[cohort.id, other_learner.id]),  # not a member here
        reverse("cohorts:learner", args=[cohort.id, owner.id]),
        reverse("cohorts:learner", args=[cohort.id, 999999]),
        reverse("cohorts:learner_mock", args=[cohort.id, other_learner.id, theirs["mock"].id]),
        reverse(
            "cohorts:learner_mock", args=[cohort.id, learner.id, theirs["mock"].id]
        ),  # not this learner's
        reverse("cohorts:assignment", args=[cohort.id, theirs["assignment"].id]),  # another cohort's
        reverse("cohorts:dashboard", args=[world["other"].id]),
        reverse("cohorts:learner", args=[world["other"].id, other_learner.id]),
        reverse("cohorts:export_attempts", args=[world["other"].id]),
        reverse("cohorts:export_xapi", args=[world["other"].id]),
        "/cohorts/999999/",
    ]
    for url in not_found:
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("cohorts:assignment_delete", args=[cohort.id, theirs["assignment"].id]),
        reverse("cohorts:member_remove", args=[cohort.id, other_learner.id]),
        reverse("cohorts:owner_remove", args=[cohort.id, world["rival"].id]),
        reverse("cohorts:member_remove", args=[world["other"].id, other_learner.id]),
    ):
        assert client.post(url).status_code == 404, url
    assert Assignment.objects.filter(id=theirs["assignment"].id).exists()
    assert Membership.objects.filter(user=other_learner, left_at__isnull=True).exists()
    assert mine["assignment"].cohort == cohort


def test_exports_and_dashboard_hold_only_the_cohorts_own_learners(
    client, owner, cohort, learner, other_learner, world
):
    client.force_login(owner)

    for name in ("export_progress", "export_attempts", "export_xapi"):
        body = b"".join(client.get(reverse(f"cohorts:{name}", args=[cohort.id])).streaming_content).decode()
        assert learner.username in body and other_learner.username not in body, name
    dashboard = client.get(reverse("cohorts:dashboard", args=[cohort.id])).content.decode()
    assert learner.username in dashboard and other_learner.username not in dashboard


def test_a_learner_in_two_cohorts_is_seen_by_each_owner_only_through_their_own(
    client, owner, cohort, learner, world
):
    other = world["other"]
    MembershipFactory(cohort=other, user=learner, joined_at=ago(30))
    client.force_login(world["rival"])

    assert client.get(reverse("cohorts:learner", args=[other.id, learner.id])).status_code == 200
    assert client.get(reverse("cohorts:learner", args=[cohort.id, learner.id])).status_code == 404
    assert client.get(reverse("cohorts:dashboard", args=[cohort.id])).status_code == 404


def test_learners_see_only_their_own_cohorts_and_assignments(client, learner, other_learner, world):
    client.force_login(learner)

    page = client.get(reverse("cohorts:mine"))
    assert [m.cohort.name for m in page.context["memberships"]] == ["Spring speech cohort"]
    assert [a.assignment for a in page.context["assignments"]] == [world[learner.id]["assignment"]]
    assert "Rival cohort" not in page.content.decode()
    home = client.get(reverse("home"))
    assert [a.assignment for a in home.context["assignments"]] == [world[learner.id]["assignment"]]


def test_a_learner_cannot_leave_a_cohort_they_are_not_in(client, learner, other_learner, world):
    client.force_login(learner)

    response = client.post(reverse("cohorts:leave", args=[world["other"].id]))

    assert response.status_code == 404
    assert Membership.objects.get(user=other_learner).left_at is None


def test_instructors_list_only_the_cohorts_they_own(client, owner, cohort, world):
    client.force_login(owner)

    page = client.get(reverse("cohorts:list"))

    assert [c.name for c in page.context["cohorts"]] == ["Spring speech cohort"]


def test_role_is_checked_as_well_as_ownership(client, owner, cohort):
    owner.role = "learner"  # an instructor turned learner by staff keeps no access
    owner.save()
    client.force_login(owner)

    assert client.get(reverse("cohorts:dashboard", args=[cohort.id])).status_code == 404


def test_staff_see_everything_through_the_admin(client, cohort, member, world):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)

    for model in ("cohort", "membership", "assignment"):
        page = client.get(reverse(f"admin:cohorts_{model}_changelist"))
        assert page.status_code == 200, model
    assert "Rival cohort" in client.get(reverse("admin:cohorts_cohort_changelist")).content.decode()
    assert client.get(reverse("admin:cohorts_cohort_change", args=[cohort.id])).status_code == 200


def test_instructors_without_staff_status_get_no_admin(client, owner):
    client.force_login(owner)

    response = client.get(reverse("admin:cohorts_cohort_changelist"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_get_never_changes_anything(client, owner, cohort, learner, world):
    client.force_login(owner)
    before = _snapshot(cohort)

    for url, _ in _post_urls(cohort, learner, owner, world[learner.id]["assignment"]):
        if "settings" in url or "assignments/new" in url:
            continue  # pages with a form: GET shows it
        assert client.get(url).status_code == 405, url
    assert client.get(reverse("cohorts:leave", args=[cohort.id])).status_code == 405
    assert _snapshot(cohort) == before
    assert Cohort.objects.count() == 2
