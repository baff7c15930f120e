"""Roadmap, phase, topic and search pages: content shown, progress shown, bounded queries."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from curriculum.models import Resource
from tests.factories import PhaseFactory, ResourceFactory, TopicFactory, TopicProgressFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap_data():
    phases = [PhaseFactory(order=i + 1, weeks=2 + i) for i in range(4)]
    topics = [TopicFactory(phase=phase, order=j + 1) for phase in phases for j in range(5)]
    return phases, topics


def test_roadmap_lists_phases_in_order_with_durations(client, roadmap_data):
    phases, _ = roadmap_data

    response = client.get(reverse("curriculum:roadmap"))

    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(p.title) for p in phases]
    assert positions == sorted(positions)
    assert "margin-left: 0.0%; width: 14.29%" in html  # first bar: 2 of 14 weeks


def test_roadmap_shows_learner_progress_per_phase(client, learner, roadmap_data):
    phases, topics = roadmap_data
    first_phase_topics = [t for t in topics if t.phase == phases[0]]
    for topic in first_phase_topics[:2]:
        TopicProgressFactory(user=learner, topic=topic, status="done")
    TopicProgressFactory(user=learner, topic=first_phase_topics[2], status="started")
    client.force_login(learner)

    html = client.get(reverse("curriculum:roadmap")).content.decode()

    assert "2 done, 1 in progress of 5" in html
    assert 'aria-valuenow="2"' in html


def test_roadmap_query_count_does_not_grow_with_phases(
    client, learner, django_assert_max_num_queries, roadmap_data, settings
):
    # A cache outside the database, emptied before each request: these are the page's own queries,
    # progress for every phase in one (test_page_cache.py covers the cached body).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    client.force_login(learner)
    with django_assert_max_num_queries(6):
        client.get(reverse("curriculum:roadmap"))
    for i in range(10):
        TopicFactory(phase=PhaseFactory(order=100 + i))
    cache.clear()
    with django_assert_max_num_queries(6):
        html = client.get(reverse("curriculum:roadmap")).content.decode()
    assert html.count('class="card phase-card"') == 14


def test_phase_page_lists_topics_with_status(
    client, learner, roadmap_data, django_assert_max_num_queries, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # page's own
    cache.clear()
    phases, topics = roadmap_data
    TopicProgressFactory(user=learner, topic=topics[0], status="done")
    client.force_login(learner)

    with django_assert_max_num_queries(8):  # two of them: the previous/next phases, mastered topics
        response = client.get(reverse("curriculum:phase", args=[phases[0].slug]))

    html = response.content.decode()
    assert all(t.title in html for t in topics[:5])
    assert topics[5].title not in html
    assert "1 of 5 done" in html


def test_topic_page_renders_body_resources_by_kind_prerequisites_and_demos(
    client, django_assert_max_num_queries, monkeypatch, settings
):
    # A cache outside the database: the page's own queries, cold (its shared parts get cached).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()  # a process-wide cache: nothing from an earlier test
    monkeypatch.setattr("demos.registry.DEMO_BUILDERS", {"fundamentals": "demos.fundamentals:build"})
    basics = TopicFactory(title="Sampling basics")
    topic = TopicFactory(
        title="CTC",
        body_html="<h2>The idea</h2><p>Blank tokens.</p>",
        demos=["fundamentals", "asr"],
        phase=basics.phase,
    )
    topic.prerequisites.add(basics)
    ResourceFactory(
        topic=topic, title="Distill CTC", kind=Resource.Kind.ARTICLE, url="https://distill.pub/2017/ctc/"
    )
    ResourceFactory(topic=topic, title="Some book", kind=Resource.Kind.BOOK, url="")

    with django_assert_max_num_queries(8):
        response = client.get(reverse("curriculum:topic", args=[topic.slug]))

    html = response.content.decode()
    assert "<p>Blank tokens.</p>" in html
    assert "<h3>Articles</h3>" in html and "<h3>Books</h3>" in html
    assert '<a href="https://distill.pub/2017/ctc/" rel="noopener noreferrer">Distill CTC</a>' in html
    assert "<cite>Some book</cite>" in html
    assert "Sampling basics" in html
    assert (
        '<iframe class="demo-iframe" src="/demos/fundamentals/" title="Audio fundamentals lab demo" allow="microphone'
        in html
    )
    assert "This demo is not available on this server yet" in html  # asr is not mounted in this test
    assert "0 interview questions" in html
    cache.clear()  # and nothing left for a later one


def test_unknown_topic_is_404(client):
    assert client.get(reverse("curriculum:topic", args=["nope"])).status_code == 404


def test_retired_topic_page_says_so(client):
    topic = TopicFactory(is_active=False)

    html = client.get(reverse("curriculum:topic", args=[topic.slug])).content.decode()

    assert "retired from the roadmap" in html


def test_search_finds_topics_by_title_and_body_title_first(client):
    in_body = TopicFactory(title="Filters", body_markdown="A spectrogram is used to check the filter.")
    in_title = TopicFactory(title="Spectrogram basics", body_markdown="Time and frequency.")
    TopicFactory(title="Unrelated", body_markdown="Nothing here.")

    html = client.get(reverse("curriculum:search"), {"q": "spectrogram"}).content.decode()

    assert "2 topics for" in html
    assert html.index(in_title.title) < html.index(in_body.title)
    assert "Unrelated" not in html


def test_search_escapes_query_and_handles_no_results(client):
    html = client.get(reverse("curriculum:search"), {"q": "<script>alert(1)</script>"}).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "Nothing matched" in html


def test_home_shows_continue_where_you_left_off(client, learner, roadmap_data):
    _, topics = roadmap_data
    TopicProgressFactory(user=learner, topic=topics[0], status="done")
    TopicProgressFactory(user=learner, topic=topics[7], status="started")
    client.force_login(learner)

    html = client.get(reverse("home")).content.decode()

    assert "Continue where you left off" in html
    assert topics[7].title in html
    assert "finished <strong>1</strong> of 20 topics" in html


def test_home_for_visitors_invites_sign_up_and_shows_empty_state(client):
    html = client.get(reverse("home")).content.decode()

    assert "Start learning" in html
    assert "No curriculum yet" in html


def test_timeline_places_fixed_phases_in_sequence_and_open_ones_to_the_end():
    from curriculum.selectors import PhaseProgress, roadmap_timeline

    phases = [PhaseFactory.build(weeks=w, order=i) for i, w in enumerate([6, None, 2])]
    rows, total = roadmap_timeline([PhaseProgress(p, 1, 0, 0) for p in phases])

    assert total == 8
    assert [(r.start_percent, r.width_percent, r.ongoing) for r in rows] == [
        (0.0, 75.0, False),
        (75.0, 25.0, True),
        (75.0, 25.0, False),
    ]


def test_topic_page_shows_the_learners_demo_predictions(client, learner, other_learner):
    from demos.models import PredictionAttempt

    topic = TopicFactory()
    for user, correct in [(learner, True), (learner, False), (learner, True), (other_learner, False)]:
        PredictionAttempt.objects.create(
            user=user,
            demo="fundamentals",
            exercise="x",
            topic=topic,
            prediction="2 kHz",
            correct=correct,
            answered_at=timezone.now(),
        )
    client.force_login(learner)

    html = client.get(reverse("curriculum:topic", args=[topic.slug])).content.decode()

    assert "demo predictions: 2 of 3 right" in html
