"""factory_boy factories for the project's models."""

import factory
from django.utils import timezone

from curriculum.models import Phase, Resource, Topic, TopicProgress
from webapp.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = User.Role.LEARNER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class InstructorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"instructor{n}")
    role = User.Role.INSTRUCTOR


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    slug = factory.Sequence(lambda n: f"phase-{n}")
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Phase {n}")
    duration = "2 weeks"
    weeks = 2
    goals = factory.LazyFunction(lambda: ["Understand the basics."])


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    phase = factory.SubFactory(PhaseFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Topic {n}")
    summary = "A topic about sound."
    levels = factory.LazyFunction(lambda: ["mid"])
    body_markdown = "## Why it matters\nBecause."
    body_html = "<h2>Why it matters</h2><p>Because.</p>"


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    topic = factory.SubFactory(TopicFactory)
    order = factory.Sequence(lambda n: n)
    title = "A paper"
    url = "https://arxiv.org/abs/1706.03762"
    kind = Resource.Kind.PAPER


class TopicProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicProgress

    user = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory)
    status = TopicProgress.Status.STARTED
    started_at = factory.LazyFunction(timezone.now)
