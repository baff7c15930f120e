"""factory_boy factories for cohorts: a cohort owned by an instructor, memberships, assignments."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import InstructorFactory, UserFactory
from webapp.cohorts.models import Assignment, Cohort, Membership


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cohort {n}")
    description = "Speech engineers, spring intake."
    created_by = factory.SubFactory(InstructorFactory)

    @factory.post_generation
    def owners(obj, create, extracted, **kwargs):
        if create:
            obj.owners.set(extracted or [obj.created_by])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    joined_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    kind = Assignment.Kind.TOPICS
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)
