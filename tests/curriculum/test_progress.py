"""Marking progress: start, done, undo; only ever one's own; survives re-imports."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from curriculum.models import Topic, TopicProgress
from tests.factories import TopicFactory, TopicProgressFactory

pytestmark = pytest.mark.django_db


def _mark(client, topic, status):
    return client.post(reverse("curriculum:topic_progress", args=[topic.slug]), {"status": status})


def test_learner_starts_finishes_and_undoes_a_topic(client, learner):
    topic = TopicFactory()
    client.force_login(learner)

    _mark(client, topic, "started")
    assert TopicProgress.objects.get(user=learner, topic=topic).status == "started"

    response = _mark(client, topic, "done")
    progress = TopicProgress.objects.get(user=learner, topic=topic)
    assert progress.status == "done" and progress.completed_at is not None
    assert response.status_code == 302 and response["Location"] == reverse(
        "curriculum:topic", args=[topic.slug]
    )

    _mark(client, topic, "reset")
    assert not TopicProgress.objects.filter(user=learner, topic=topic).exists()


def test_anonymous_cannot_mark_progress(client):
    topic = TopicFactory()

    response = _mark(client, topic, "done")

    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert TopicProgress.objects.count() == 0


def test_get_does_not_change_progress(client, learner):
    topic = TopicFactory()
    client.force_login(learner)

    response = client.get(reverse("curriculum:topic_progress", args=[topic.slug]), {"status": "done"})

    assert response.status_code == 405
    assert TopicProgress.objects.count() == 0


def test_marking_never_touches_another_users_progress(client, learner, other_learner):
    topic = TopicFactory()
    theirs = TopicProgressFactory(user=other_learner, topic=topic, status="done")
    client.force_login(learner)

    _mark(client, topic, "reset")
    client.post(
        reverse("curriculum:topic_progress", args=[topic.slug]),
        {"status": "started", "user": other_learner.pk, "user_id": other_learner.pk},
    )

    theirs.refresh_from_db()
    assert theirs.status == "done"
    assert TopicProgress.objects.get(user=learner, topic=topic).status == "started"


def test_unknown_status_is_refused_with_a_message(client, learner):
    topic = TopicFactory()
    client.force_login(learner)

    response = client.post(
        reverse("curriculum:topic_progress", args=[topic.slug]), {"status": "mastered"}, follow=True
    )

    assert "Unknown progress status" in response.content.decode()
    assert TopicProgress.objects.count() == 0


def test_next_parameter_only_redirects_within_the_site(client, learner):
    topic = TopicFactory()
    client.force_login(learner)

    outside = client.post(
        reverse("curriculum:topic_progress", args=[topic.slug]),
        {"status": "done", "next": "https://evil.example/"},
    )
    inside = client.post(
        reverse("curriculum:topic_progress", args=[topic.slug]), {"status": "done", "next": "/roadmap/"}
    )

    assert outside["Location"] == reverse("curriculum:topic", args=[topic.slug])
    assert inside["Location"] == "/roadmap/"


def test_progress_survives_reimport(client, learner, content):
    call_command("import_curriculum", content_dir=content.root)
    topic = Topic.objects.get(slug="ctc")
    client.force_login(learner)
    _mark(client, topic, "done")
    content.topic("ctc", "speech", 1, title="CTC (edited)", prerequisites=["spectrograms"])

    call_command("import_curriculum", content_dir=content.root)

    assert TopicProgress.objects.get(user=learner, topic__slug="ctc").status == "done"
