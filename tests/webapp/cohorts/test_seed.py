"""manage.py seed_cohort: a cohort of learners with history, written in bulk, deterministic."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from curriculum.models import TopicProgress
from quiz.models import Attempt, Card, MockInterview
from tests.factories import InstructorFactory, UserFactory
from webapp.cohorts.models import Cohort, Membership

pytestmark = pytest.mark.django_db


def test_seed_cohort_writes_learners_with_a_history(roadmap, client):
    owner = InstructorFactory(username="demo-instructor")

    call_command("seed_cohort", "--learners", "6", "--days", "120", "--seed", "3")

    cohort = Cohort.objects.get(owners=owner)
    learners = Membership.objects.filter(cohort=cohort)
    assert learners.count() == 6
    users = [m.user_id for m in learners]
    attempts = Attempt.objects.filter(user_id__in=users)
    assert attempts.count() > 6 * 10
    oldest, newest = attempts.order_by("created_at").first(), attempts.order_by("-created_at").first()
    assert (newest.created_at - oldest.created_at).days > 60  # spread over the months, not stamped now
    assert newest.created_at < timezone.now()
    assert all(m.joined_at <= oldest.created_at for m in learners)
    assert TopicProgress.objects.filter(user_id__in=users, status="done").exists()
    assert Card.objects.filter(user_id__in=users, last_review__isnull=False).count() == (
        attempts.values("user_id", "question_id").distinct().count()
    )
    assert (
        MockInterview.objects.filter(user_id__in=users).count()
        == attempts.filter(mode="mock").values("mock_id").distinct().count()
    )

    client.force_login(owner)
    response = client.get(reverse("cohorts:dashboard", args=[cohort.id]))
    assert response.status_code == 200 and len(response.context["d"].learners) == 6


def test_seed_is_deterministic(roadmap):
    owner = InstructorFactory()
    call_command("seed_cohort", "--learners", "3", "--days", "60", "--owner", owner.username, "--seed", "7")
    call_command("seed_cohort", "--learners", "3", "--days", "60", "--owner", owner.username, "--seed", "7")

    first, second = Cohort.objects.order_by("id")
    counts = [Attempt.objects.filter(user__cohort_memberships__cohort=c).count() for c in (first, second)]
    assert counts[0] == counts[1] > 0


def test_seed_needs_an_instructor(roadmap):
    UserFactory(username="not-an-instructor")

    with pytest.raises(CommandError, match="No instructor"):
        call_command("seed_cohort", "--owner", "not-an-instructor", "--learners", "1")
