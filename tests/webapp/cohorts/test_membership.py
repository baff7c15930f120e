"""Creating cohorts, invitation codes and links, joining and leaving, co-owners, removing learners."""

import pytest
from django.urls import reverse

from tests.factories import InstructorFactory, UserFactory
from tests.webapp.cohorts.conftest import ago
from tests.webapp.cohorts.factories import CohortFactory, MembershipFactory
from webapp.cohorts import services
from webapp.cohorts.models import Cohort, Membership

pytestmark = pytest.mark.django_db


def test_instructor_creates_a_cohort_and_owns_it(client, instructor):
    client.force_login(instructor)

    response = client.post(reverse("cohorts:new"), {"name": "Autumn ASR", "description": "Weekly sessions."})

    cohort = Cohort.objects.get(name="Autumn ASR")
    assert response["Location"] == reverse("cohorts:settings", args=[cohort.id])
    assert list(cohort.owners.all()) == [instructor]
    settings_page = client.get(response["Location"]).content.decode()
    assert cohort.invite_code in settings_page
    assert f"http://testserver/cohorts/join/{cohort.invite_code}/" in settings_page


def test_learners_cannot_create_cohorts(client, learner):
    client.force_login(learner)

    assert client.get(reverse("cohorts:new")).status_code == 403
    assert client.post(reverse("cohorts:new"), {"name": "Mine"}).status_code == 403
    with pytest.raises(services.CohortError):
        services.cohort_create(owner=learner, name="Mine")
    assert Cohort.objects.count() == 0
    assert client.get(reverse("cohorts:list"))["Location"] == reverse("cohorts:mine")


def test_invitation_codes_are_random_long_and_unique(owner):
    codes = {CohortFactory(created_by=owner).invite_code for _ in range(20)}

    assert len(codes) == 20
    assert all(len(code) == 16 for code in codes)


def test_regenerating_the_code_retires_the_old_link(client, owner, cohort, learner):
    old = cohort.invite_code
    client.force_login(owner)

    client.post(reverse("cohorts:invite_regenerate", args=[cohort.id]))

    cohort.refresh_from_db()
    assert cohort.invite_code != old
    client.force_login(learner)
    assert client.get(reverse("cohorts:join_link", args=[old])).status_code == 404
    client.post(reverse("cohorts:join"), {"code": old})
    assert not Membership.objects.filter(user=learner).exists()
    client.post(reverse("cohorts:join"), {"code": cohort.invite_code})
    assert Membership.objects.filter(user=learner, cohort=cohort, left_at__isnull=True).exists()


def test_joining_by_link_shows_what_is_shared_then_joins_on_post(client, cohort, learner):
    client.force_login(learner)
    url = reverse("cohorts:join_link", args=[cohort.invite_code])

    page = client.get(url).content.decode()
    assert "Join Spring speech cohort" in page and "from the moment you join" in page
    assert not Membership.objects.exists()

    response = client.post(url)
    assert response["Location"] == reverse("cohorts:mine")
    membership = Membership.objects.get(user=learner)
    assert membership.cohort == cohort and membership.is_current


def test_the_invitation_link_asks_anonymous_visitors_to_log_in(client, cohort):
    response = client.get(reverse("cohorts:join_link", args=[cohort.invite_code]))

    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_learner_may_be_in_several_cohorts_but_once_in_each(client, learner):
    first, second = CohortFactory(), CohortFactory()
    client.force_login(learner)

    client.post(reverse("cohorts:join"), {"code": first.invite_code})
    client.post(reverse("cohorts:join"), {"code": second.invite_code})
    response = client.post(reverse("cohorts:join"), {"code": first.invite_code}, follow=True)

    assert "You are already in" in response.content.decode()
    assert Membership.objects.filter(user=learner).count() == 2
    page = client.get(reverse("cohorts:mine")).content.decode()
    assert first.name in page and second.name in page


def test_unknown_code_is_refused_with_a_message(client, learner):
    client.force_login(learner)

    response = client.post(reverse("cohorts:join"), {"code": "not-a-real-code"}, follow=True)

    assert "No cohort has that invitation code" in response.content.decode()
    assert not Membership.objects.exists()


def test_owners_do_not_join_their_own_cohort(client, owner, cohort):
    client.force_login(owner)

    client.post(reverse("cohorts:join"), {"code": cohort.invite_code})

    assert not Membership.objects.exists()


def test_leaving_ends_the_membership_and_rejoining_starts_a_new_one(client, cohort, member, learner):
    client.force_login(learner)

    client.post(reverse("cohorts:leave", args=[cohort.id]))
    member.refresh_from_db()
    assert member.left_at is not None and member.removed_by is None
    assert client.get(reverse("cohorts:mine")).context["memberships"] == []

    client.post(reverse("cohorts:join"), {"code": cohort.invite_code})
    assert Membership.objects.filter(user=learner, cohort=cohort).count() == 2
    assert (
        Membership.objects.get(user=learner, cohort=cohort, left_at__isnull=True).joined_at > member.left_at
    )


def test_owner_removes_a_learner(client, owner, cohort, member, learner):
    client.force_login(owner)

    client.post(reverse("cohorts:member_remove", args=[cohort.id, learner.id]))

    member.refresh_from_db()
    assert member.left_at is not None and member.removed_by == owner
    page = client.get(reverse("cohorts:settings", args=[cohort.id])).content.decode()
    assert "Former learners" in page and "(removed)" in page


def test_co_owners_must_be_instructors(client, owner, cohort):
    colleague, learner = InstructorFactory(username="colleague"), UserFactory(username="a-learner")
    client.force_login(owner)

    response = client.post(
        reverse("cohorts:owner_add", args=[cohort.id]), {"username": "a-learner"}, follow=True
    )
    assert "Co-owners must be instructors" in response.content.decode()
    client.post(reverse("cohorts:owner_add", args=[cohort.id]), {"username": "colleague"})

    assert set(cohort.owners.all()) == {owner, colleague}
    assert learner not in cohort.owners.all()


def test_a_co_owner_sees_the_cohort_and_the_last_owner_cannot_leave(client, owner, cohort, member):
    colleague = InstructorFactory()
    cohort.owners.add(colleague)
    client.force_login(colleague)
    assert client.get(reverse("cohorts:dashboard", args=[cohort.id])).status_code == 200

    client.post(reverse("cohorts:owner_remove", args=[cohort.id, colleague.id]))  # leaving
    assert list(cohort.owners.all()) == [owner]
    client.force_login(owner)
    response = client.post(reverse("cohorts:owner_remove", args=[cohort.id, owner.id]), follow=True)

    assert "A cohort needs at least one owner" in response.content.decode()
    assert list(cohort.owners.all()) == [owner]
    client.force_login(colleague)
    assert client.get(reverse("cohorts:dashboard", args=[cohort.id])).status_code == 404


def test_only_the_creator_removes_co_owners(client, owner, cohort):
    first, second = InstructorFactory(), InstructorFactory()
    cohort.owners.add(first, second)
    client.force_login(first)

    response = client.post(reverse("cohorts:owner_remove", args=[cohort.id, owner.id]), follow=True)
    client.post(reverse("cohorts:owner_remove", args=[cohort.id, second.id]))
    page = client.get(reverse("cohorts:settings", args=[cohort.id])).content.decode()

    assert "Only the cohort&#x27;s creator removes co-owners" in response.content.decode()
    assert set(cohort.owners.all()) == {owner, first, second}
    assert f"Remove {second.shown_name}" not in page and "Stop owning this cohort" in page
    client.force_login(owner)
    client.post(reverse("cohorts:owner_remove", args=[cohort.id, second.id]))
    assert set(cohort.owners.all()) == {owner, first}


def test_a_creator_who_leaves_hands_the_role_on(client, owner, cohort):
    colleague = InstructorFactory()
    cohort.owners.add(colleague)
    client.force_login(owner)

    client.post(reverse("cohorts:owner_remove", args=[cohort.id, owner.id]))

    cohort.refresh_from_db()
    assert list(cohort.owners.all()) == [colleague] and cohort.created_by == colleague


def test_cohort_details_are_edited_by_owners(client, owner, cohort):
    client.force_login(owner)

    client.post(
        reverse("cohorts:settings", args=[cohort.id]), {"name": "Renamed", "description": "New text."}
    )

    cohort.refresh_from_db()
    assert (cohort.name, cohort.description) == ("Renamed", "New text.")


def test_one_current_membership_per_learner_is_enforced_by_the_database(cohort, learner):
    MembershipFactory(cohort=cohort, user=learner, joined_at=ago(10), left_at=ago(5))
    MembershipFactory(cohort=cohort, user=learner, joined_at=ago(4))

    with pytest.raises(services.CohortError):
        services.membership_join(user=learner, code=cohort.invite_code)
