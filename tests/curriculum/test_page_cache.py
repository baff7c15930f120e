"""The roadmap's cached body (webapp/fragments.py): each learner sees their own progress, a progress
change or a curriculum import shows at once, and a cached body skips the page's queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.services import curriculum_import
from tests.factories import PhaseFactory, TopicFactory, TopicProgressFactory
from webapp.fragments import fragment_get_or_render

pytestmark = pytest.mark.django_db


@pytest.fixture
def phase_with_topics():
    phase = PhaseFactory(order=1, weeks=4)
    return phase, [TopicFactory(phase=phase, order=i + 1) for i in range(3)]


def _roadmap(client) -> str:
    response = client.get(reverse("curriculum:roadmap"))
    assert response.status_code == 200
    return response.content.decode()


def _mark(client, topic, status: str, capture) -> None:
    with capture(execute=True):  # the invalidation runs on commit, as it does outside a test
        response = client.post(reverse("curriculum:topic_progress", args=[topic.slug]), {"status": status})
    assert response.status_code == 302


def test_roadmap_second_learner_sees_own_progress_not_the_cached_first(
    client, learner, other_learner, phase_with_topics
):
    _, topics = phase_with_topics
    for topic in topics[:2]:
        TopicProgressFactory(user=learner, topic=topic, status="done")
    TopicProgressFactory(user=other_learner, topic=topics[0], status="started")

    client.force_login(learner)
    first = _roadmap(client)
    client.force_login(other_learner)
    second = _roadmap(client)

    assert "2 done of 3" in first
    assert "0 done, 1 in progress of 3" in second
    assert "2 done of 3" not in second


def test_roadmap_signed_in_body_is_not_served_to_a_visitor(client, learner, phase_with_topics):
    _, topics = phase_with_topics
    TopicProgressFactory(user=learner, topic=topics[0], status="done")
    client.force_login(learner)
    assert "1 done of 3" in _roadmap(client)

    client.logout()
    html = _roadmap(client)

    assert "done of 3" not in html
    assert 'role="progressbar"' not in html


def test_roadmap_shows_progress_marked_after_it_was_cached(
    client, learner, phase_with_topics, django_capture_on_commit_callbacks
):
    _, topics = phase_with_topics
    client.force_login(learner)
    assert "0 done of 3" in _roadmap(client)

    _mark(client, topics[0], "done", django_capture_on_commit_callbacks)
    after_done = _roadmap(client)
    _mark(client, topics[0], "reset", django_capture_on_commit_callbacks)
    after_reset = _roadmap(client)

    assert "1 done of 3" in after_done
    assert "0 done of 3" in after_reset


def test_roadmap_one_learners_change_leaves_the_others_cached_body_right(
    client, learner, other_learner, phase_with_topics, django_capture_on_commit_callbacks
):
    _, topics = phase_with_topics
    TopicProgressFactory(user=other_learner, topic=topics[1], status="done")
    client.force_login(other_learner)
    assert "1 done of 3" in _roadmap(client)

    client.force_login(learner)
    _mark(client, topics[0], "done", django_capture_on_commit_callbacks)
    client.force_login(other_learner)

    assert "1 done of 3" in _roadmap(client)


def test_roadmap_from_cache_runs_no_curriculum_query(
    client, learner, phase_with_topics, django_assert_max_num_queries
):
    client.force_login(learner)
    with CaptureQueriesContext(connection) as cold:  # the first view also stores tokens and the body
        _roadmap(client)
    # Session, user, the two tokens, the body, and the menu's cohort check: nothing grows with the roadmap.
    with django_assert_max_num_queries(6) as warm:
        _roadmap(client)

    def curriculum_queries(captured):
        return [q["sql"] for q in captured.captured_queries if "curriculum_" in q["sql"]]

    assert curriculum_queries(cold) != []
    assert curriculum_queries(warm) == []


def test_roadmap_shows_a_phase_imported_after_it_was_cached(
    client, learner, content, django_capture_on_commit_callbacks
):
    curriculum_import(content_dir=content.root)
    client.force_login(learner)
    assert "Phase extra" not in _roadmap(client)

    content.phase("extra", 3)
    with django_capture_on_commit_callbacks(execute=True):
        curriculum_import(content_dir=content.root)

    assert "Phase extra" in _roadmap(client)


def test_fragment_whose_token_was_evicted_is_rendered_again(learner, django_capture_on_commit_callbacks):
    first = fragment_get_or_render(name="probe", user=learner, render=lambda: "old")
    cache.delete(f"fragver:user:{learner.pk}")  # as if Redis had evicted the learner's token

    again = fragment_get_or_render(name="probe", user=learner, render=lambda: "new")

    assert (first, again) == ("old", "new")


def test_fragment_parts_keep_entries_apart(learner):
    one = fragment_get_or_render(name="probe", user=learner, render=lambda: "one", parts=("a",))
    two = fragment_get_or_render(name="probe", user=learner, render=lambda: "two", parts=("b",))
    one_again = fragment_get_or_render(name="probe", user=learner, render=lambda: "unused", parts=("a",))

    assert (one, two, one_again) == ("one", "two", "one")


def _phase_page(client, phase) -> str:
    response = client.get(reverse("curriculum:phase", args=[phase.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_phase_second_learner_sees_own_progress_not_the_cached_first(
    client, learner, other_learner, phase_with_topics
):
    phase, topics = phase_with_topics
    TopicProgressFactory(user=learner, topic=topics[0], status="done")
    TopicProgressFactory(user=learner, topic=topics[1], status="done")

    client.force_login(learner)
    first = _phase_page(client, phase)
    client.force_login(other_learner)
    second = _phase_page(client, phase)

    assert "2 of 3 done" in first
    assert "0 of 3 done" in second


def test_phase_shows_progress_marked_after_it_was_cached(
    client, learner, phase_with_topics, django_capture_on_commit_callbacks
):
    phase, topics = phase_with_topics
    client.force_login(learner)
    assert "0 of 3 done" in _phase_page(client, phase)

    _mark(client, topics[2], "done", django_capture_on_commit_callbacks)

    assert "1 of 3 done" in _phase_page(client, phase)


def test_phase_pages_are_cached_apart(client, learner, phase_with_topics):
    phase, _ = phase_with_topics
    other = PhaseFactory(order=2)
    TopicFactory(phase=other, order=1)
    client.force_login(learner)

    assert "0 of 3 done" in _phase_page(client, phase)
    assert "0 of 1 done" in _phase_page(client, other)


def test_phase_shows_mastery_won_after_it_was_cached(client, learner, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.webapp.challenges.test_pages import _perfect_beats
    from webapp.challenges.models import ChallengeAttempt
    from webapp.challenges.services import attempt_score

    topic = TopicFactory(slug="beat-tracking-melody", phase=PhaseFactory(slug="music-ai-test"))
    client.force_login(learner)
    assert "Mastered" not in _phase_page(client, topic.phase)
    assert "Mastered" not in _topic(client, topic.slug)
    with django_capture_on_commit_callbacks(execute=False):  # scored here below, not sent to a worker
        client.post(
            reverse("challenges:submit", args=["beat-tracking"]),
            {"submission": SimpleUploadedFile("beats.zip", _perfect_beats(), content_type="application/zip")},
        )

    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_score(attempt_id=ChallengeAttempt.objects.get(user=learner).pk)

    assert attempt.passed
    assert "Mastered" in _phase_page(client, topic.phase)
    assert "Mastered" in _topic(client, topic.slug)


def _topic(client, slug: str) -> str:
    response = client.get(reverse("curriculum:topic", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_topic_page_takes_its_shared_parts_from_the_cache(client, learner, phase_with_topics):
    _, topics = phase_with_topics
    client.force_login(learner)
    _topic(client, topics[0].slug)

    with CaptureQueriesContext(connection) as warm:
        page = _topic(client, topics[0].slug)

    shared_tables = ('FROM "curriculum_topic" ', '"curriculum_resource"', '"quiz_question"')
    assert topics[0].title in page
    assert [q["sql"] for q in warm.captured_queries if any(t in q["sql"] for t in shared_tables)] == []


def test_topic_page_shows_a_body_imported_after_it_was_cached(
    client, learner, content, django_capture_on_commit_callbacks
):
    curriculum_import(content_dir=content.root)
    client.force_login(learner)
    assert "Because." in _topic(client, "sampling")

    content.topic("sampling", "basics", 1, body="## Why\nNyquist, rewritten.")
    with django_capture_on_commit_callbacks(execute=True):
        curriculum_import(content_dir=content.root)

    page = _topic(client, "sampling")
    assert "Nyquist, rewritten." in page and "Because." not in page


def test_topic_page_keeps_each_learners_progress_its_own(
    client, learner, other_learner, phase_with_topics, django_capture_on_commit_callbacks
):
    _, topics = phase_with_topics
    client.force_login(learner)
    _mark(client, topics[0], "done", django_capture_on_commit_callbacks)
    assert "Status: <strong>Done</strong>" in _topic(client, topics[0].slug)

    client.force_login(other_learner)
    assert "Status: <strong>Not started</strong>" in _topic(client, topics[0].slug)


CHECKS_BODY = """## Idea
Blank symbols let CTC align.

## Check yourself
- Why does CTC need a blank?

## Worked answers
### 1. Why a blank
Without it a doubled letter could not be told from one long letter.
"""
WRITTEN = "Because repeated frames merge, so a blank has to keep two equal letters apart in the output."


@pytest.fixture
def topic_with_check(content, db):
    content.topic("ctc", "speech", 1, body=CHECKS_BODY)
    curriculum_import(content_dir=content.root)
    return "ctc"


def _check(client, slug: str, capture) -> None:
    with capture(execute=True):
        response = client.post(reverse("curriculum:topic_check", args=[slug, 0]), {"attempt": WRITTEN})
    assert response.status_code == 302


def test_topic_page_shows_a_check_answer_written_after_it_was_cached(
    client, learner, topic_with_check, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    assert 'name="attempt"' in _topic(client, topic_with_check)

    _check(client, topic_with_check, django_capture_on_commit_callbacks)
    page = _topic(client, topic_with_check)

    assert WRITTEN in page and "could not be told from one long letter" in page
    assert 'name="attempt"' not in page


def test_topic_page_never_shows_one_learners_check_answer_to_another_or_a_visitor(
    client, learner, other_learner, topic_with_check, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    _check(client, topic_with_check, django_capture_on_commit_callbacks)
    assert WRITTEN in _topic(client, topic_with_check)

    client.force_login(other_learner)
    other = _topic(client, topic_with_check)
    client.logout()
    visitor = _topic(client, topic_with_check)

    for page in (other, visitor):
        assert WRITTEN not in page and "could not be told from one long letter" not in page
    assert 'name="attempt"' in other and "Sign in</a> to write your answer" in visitor


def _progress_form_token(page: str, slug: str) -> str:
    import re

    action = re.escape(reverse("curriculum:topic_progress", args=[slug]))
    found = re.search(
        action + r'"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', page
    )
    assert found, "the progress form carries a token"
    return found.group(1)


def test_a_cached_topic_body_carries_each_requests_own_csrf_token(learner, topic_with_check):
    """Signing in again gives the learner a new CSRF secret: the kept body must not post the old one."""
    from django.test import Client

    from webapp.fragments import CSRF_STAND_IN

    first = Client(enforce_csrf_checks=True)
    first.force_login(learner)
    _topic(first, topic_with_check)  # the body is now kept for this learner

    second = Client(enforce_csrf_checks=True)  # another browser: another CSRF cookie
    second.force_login(learner)
    page = _topic(second, topic_with_check)
    token = _progress_form_token(page, topic_with_check)
    response = second.post(
        reverse("curriculum:topic_progress", args=[topic_with_check]),
        {"status": "started", "csrfmiddlewaretoken": token},
    )

    assert CSRF_STAND_IN not in page
    assert response.status_code == 302  # a stale token would be refused with 403


def test_csrf_fill_replaces_only_the_stand_in_tag_never_typed_text():
    from django.test import RequestFactory

    from webapp.fragments import CSRF_STAND_IN, fragment_csrf_fill

    tag = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_STAND_IN}">'
    typed = f"<blockquote>{CSRF_STAND_IN} &lt;input value=&quot;{CSRF_STAND_IN}&quot;&gt;</blockquote>"
    filled = fragment_csrf_fill(f"<form>{tag}</form>{typed}", RequestFactory().get("/"))

    assert tag not in filled and typed in filled
    assert filled.count('name="csrfmiddlewaretoken"') == 1


def test_a_site_value_held_by_this_process_is_dropped_when_another_bumps_the_site_token(
    db, django_capture_on_commit_callbacks
):
    """The process's copy is only good under the token it was read with: an import in any process
    bumps the token in the shared cache, and the next call computes afresh."""
    from webapp.fragments import fragments_invalidate_site, site_value_get_or_compute

    computed = []

    def compute():
        computed.append(len(computed))
        return {"version": len(computed)}

    first = site_value_get_or_compute(name="probe-site-value", compute=compute)
    cache.delete(f"siteval:probe-site-value:{_site_token()}")  # gone from the shared cache
    again = site_value_get_or_compute(name="probe-site-value", compute=compute)  # this process's copy
    with django_capture_on_commit_callbacks(execute=True):
        fragments_invalidate_site()
    after_import = site_value_get_or_compute(name="probe-site-value", compute=compute)

    assert first is again and computed == [0, 1]
    assert after_import == {"version": 2}


def _site_token() -> str:
    from webapp.fragments import SITE_SCOPE, _token_key

    return cache.get(_token_key(SITE_SCOPE))
