"""The dashboard's cached body (webapp/cohorts/dashboard_page.py): served from the shared cache
until something it shows changes, then computed afresh — one test per kind of change, each made
through the service the platform calls — never another cohort's, never to a non-owner, and in a
number of queries that does not depend on the cohort's size. After a member's change the previous
body is served once more, marked stale, while the new one is built (in the tests, by that same
request after it chose the stale body: FRAGMENT_REBUILD_IN_BACKGROUND is off); after a change to the
memberships or assignments it never is."""

import threading

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curriculum.services import topic_progress_mark
from demos.services import prediction_commit
from quiz import services as quiz_services
from quiz.models import Attempt
from tests.factories import InstructorFactory, UserFactory
from tests.quiz.factories import AttemptFactory, QuestionFactory
from tests.webapp.challenges.test_pages import _perfect_beats
from tests.webapp.cohorts.conftest import ago
from tests.webapp.cohorts.factories import AssignmentFactory, CohortFactory, MembershipFactory
from tests.webapp.cohorts.test_dashboard import _cohort_of
from webapp.challenges.models import ChallengeAttempt
from webapp.challenges.services import attempt_score
from webapp.cohorts import services as cohort_services
from webapp.cohorts.models import Assignment
from webapp.fragments import fragments_invalidate_user, group_fragment_get_or_render
from webapp.privacy.deletion import user_account_delete
from workers.engines.registry import get_engine

pytestmark = pytest.mark.django_db


def _get(client, cohort):
    response = client.get(reverse("cohorts:dashboard", args=[cohort.id]))
    assert response.status_code == 200
    return response


def _body(response) -> str:
    """The figures below the settings form (the page around them carries a fresh CSRF token)."""
    html = response.content.decode()
    return html[html.index('aria-labelledby="flags-h"') :]


def _context(response, template_name: str):
    return next(
        c for t, c in zip(response.templates, response.context, strict=True) if t.name == template_name
    )


def _served(response):
    """The read model behind the body the page served; None when it came from the cache. Not
    response.context["d"], which finds a body rebuilt after a stale one was chosen as well."""
    return _context(response, "cohorts/dashboard.html")["d"]


def _rebuilt(response):
    """The read model of the body this request built, whether it served it or a stale one."""
    return _context(response, "cohorts/_dashboard_body.html")["d"]


def _stale(response) -> bool:
    return "· refreshing" in response.content.decode()


def _warm(client, owner, cohort):
    """Fill the cache, and check the next request is served from it (no read model computed)."""
    client.force_login(owner)
    first = _get(client, cohort)
    again = _get(client, cohort)
    assert _served(first) is not None and _served(again) is None
    assert not _stale(first) and not _stale(again)
    return first


def _fresh(client, cohort):
    """The request after a change to the cohort itself: computed again, never the previous body."""
    response = _get(client, cohort)
    assert not _stale(response), "served the previous body after a change to the cohort"
    assert _served(response) is not None, "served the cached body after a change"
    return response


def _renewed(client, cohort):
    """The requests after a member's change: the previous body once, marked stale, while this
    request builds the new one; then the new one, from the cache. Returns (that body's read model,
    the page that served it)."""
    stale = _get(client, cohort)
    assert _stale(stale) and _served(stale) is None, "the previous body was not served once, marked stale"
    renewed = _get(client, cohort)
    assert not _stale(renewed) and _served(renewed) is None, "the new body was not cached"
    assert _body(renewed) != _body(stale), "the change did not reach the dashboard"
    return _rebuilt(stale), renewed


def test_the_second_request_is_the_cached_body_with_fewer_queries(client, owner, cohort, member, roadmap):
    client.force_login(owner)
    with CaptureQueriesContext(connection) as computed:
        first = _get(client, cohort)
    with CaptureQueriesContext(connection) as cached:
        second = _get(client, cohort)

    assert _served(second) is None
    assert _body(second) == _body(first) and "Spring speech cohort" in second.content.decode()
    assert len(cached) < len(computed) // 2


def test_a_cached_body_never_shows_another_cohorts_learners(client, owner, cohort, member, learner, roadmap):
    other = CohortFactory(name="Autumn cohort", created_by=owner)
    stranger = UserFactory(username="autumn-learner")
    MembershipFactory(cohort=other, user=stranger, joined_at=ago(10))
    client.force_login(owner)

    mine = _body(_get(client, cohort))
    theirs = _body(_get(client, other))
    mine_again = _body(_get(client, cohort))

    assert learner.username in mine and stranger.username not in mine
    assert stranger.username in theirs and learner.username not in theirs
    assert mine_again == mine


def test_an_instructor_who_does_not_own_the_cohort_is_refused_a_cached_dashboard(
    client, owner, cohort, member, roadmap
):
    _warm(client, owner, cohort)
    client.force_login(InstructorFactory(username="prof-elsewhere"))

    response = client.get(reverse("cohorts:dashboard", args=[cohort.id]))

    assert response.status_code == 404


def test_a_progress_change_shows_at_once(
    client, owner, cohort, member, learner, roadmap, django_capture_on_commit_callbacks
):
    _, topics, _ = roadmap
    _warm(client, owner, cohort)

    with django_capture_on_commit_callbacks(execute=True):
        topic_progress_mark(user=learner, topic=topics[0], status="done")

    d, page = _renewed(client, cohort)
    assert [(c.done, c.total) for c in d.learners[0].cells] == [(1, 3), (0, 3)]
    assert "1/3" in _body(page)


def test_a_quiz_answer_shows_at_once(
    client, owner, cohort, member, learner, roadmap, django_capture_on_commit_callbacks
):
    _, topics, _ = roadmap
    question = QuestionFactory(main_topic=topics[0], kind="mcq", level="mid")
    correct = question.options.get(correct=True)
    _warm(client, owner, cohort)

    with django_capture_on_commit_callbacks(execute=True):
        quiz_services.attempt_submit(user=learner, question=question, mode="quiz", option_ids=[correct.id])

    d, _ = _renewed(client, cohort)
    assert d.learners[0].answers == 1 and d.mastery == {(learner.id, topics[0].id): (1.0, 1)}


def test_a_grade_from_the_worker_shows_at_once(
    client, owner, cohort, member, learner, roadmap, django_capture_on_commit_callbacks
):
    _, topics, questions = roadmap
    attempt = AttemptFactory(
        user=learner, question=questions[0], mode="quiz", status="grading", score=None,
        answer_text="Sampling at 16 kHz gives a Nyquist frequency of 8 kHz.",
    )  # fmt: skip
    assert _served(_warm(client, owner, cohort)).mastery == {}

    with django_capture_on_commit_callbacks(execute=True):
        quiz_services.attempt_grade(attempt_id=attempt.id, encoder=get_engine("sentence-embedding"))

    graded = Attempt.objects.get(id=attempt.id)
    d, _ = _renewed(client, cohort)
    assert graded.status == "graded" and d.learners[0].answers == 1
    assert d.mastery[(learner.id, topics[0].id)] == (pytest.approx(graded.score), 1)


def test_a_challenge_result_shows_at_once(
    client, owner, cohort, member, learner, roadmap, django_capture_on_commit_callbacks
):
    attempt = ChallengeAttempt(user=learner, challenge="beat-tracking", topic_slug="beat-tracking-melody")
    attempt.submission.save("beats.zip", ContentFile(_perfect_beats()), save=False)
    attempt.save()
    assert "No challenge attempts yet" in _warm(client, owner, cohort).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        attempt_score(attempt_id=attempt.pk)

    html = _renewed(client, cohort)[1].content.decode()
    assert "beat-tracking" in html and "1.0 ✓" in html


def test_a_mock_interview_shows_at_once(
    client, owner, cohort, member, learner, roadmap, django_capture_on_commit_callbacks
):
    AssignmentFactory(cohort=cohort, kind="mock", level="mid", question_count=1)
    assert _served(_warm(client, owner, cohort)).assignments[0].done == 0

    with django_capture_on_commit_callbacks(execute=True):
        mock = quiz_services.mock_start(user=learner, level="mid", topics=[], question_count=1, minutes=10)
    started = _renewed(client, cohort)[0].assignments[0]
    with django_capture_on_commit_callbacks(execute=True):
        quiz_services.mock_finish(mock=mock)
    finished = _renewed(client, cohort)[0].assignments[0]

    assert (started.started, started.done) == (1, 0)
    assert finished.done == 1


def test_a_demo_prediction_counts_as_activity_at_once(
    client, owner, cohort, member, learner, roadmap, django_capture_on_commit_callbacks
):
    assert _served(_warm(client, owner, cohort)).learners[0].last_active is None

    with django_capture_on_commit_callbacks(execute=True):
        prediction_commit(user=learner, demo="aliasing", exercise="fold", topic_slug="", prediction="6 kHz")

    assert _renewed(client, cohort)[0].learners[0].last_active is not None


def test_a_learner_joining_shows_at_once(
    client, owner, cohort, member, roadmap, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(username="newcomer")
    assert "newcomer" not in _warm(client, owner, cohort).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        cohort_services.membership_join(user=newcomer, code=cohort.invite_code)

    response = _fresh(client, cohort)
    assert "newcomer" in response.content.decode() and len(_served(response).learners) == 2


def test_a_learner_leaving_shows_at_once(
    client, owner, cohort, member, learner, roadmap, django_capture_on_commit_callbacks
):
    _warm(client, owner, cohort)

    with django_capture_on_commit_callbacks(execute=True):
        cohort_services.membership_end(membership=member, removed_by=owner)

    d = _served(_fresh(client, cohort))
    assert d.learners == [] and [m.user for m in d.former] == [learner]


def test_a_deleted_account_leaves_the_dashboard_at_once(
    client, owner, cohort, member, learner, roadmap, django_capture_on_commit_callbacks
):
    assert learner.username in _warm(client, owner, cohort).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        user_account_delete(user=learner)

    response = _fresh(client, cohort)
    assert _served(response).learners == [] and learner.username not in response.content.decode()


def test_an_assignment_set_and_deleted_shows_at_once(
    client, owner, cohort, member, roadmap, django_capture_on_commit_callbacks
):
    _, topics, _ = roadmap
    _warm(client, owner, cohort)

    with django_capture_on_commit_callbacks(execute=True):
        assignment = cohort_services.assignment_create(
            cohort=cohort, created_by=owner, kind="topics", due_on=ago(-7).date(), topics=topics[:2],
            title="Finish the filters",
        )  # fmt: skip
    created = _fresh(client, cohort)
    _get(client, cohort)
    with django_capture_on_commit_callbacks(execute=True):
        cohort_services.assignment_delete(assignment=Assignment.objects.get(id=assignment.id))
    deleted = _fresh(client, cohort)

    assert [s.title for s in _served(created).assignments] == ["Finish the filters"]
    assert "Finish the filters" in created.content.decode()
    assert _served(deleted).assignments == [] and "Finish the filters" not in deleted.content.decode()


def test_a_change_to_a_learner_elsewhere_keeps_this_cohort_cached(
    client, owner, cohort, member, roadmap, django_capture_on_commit_callbacks
):
    _, topics, _ = roadmap
    outsider = UserFactory(username="outsider")
    _warm(client, owner, cohort)

    with django_capture_on_commit_callbacks(execute=True):
        topic_progress_mark(user=outsider, topic=topics[0], status="done")

    response = _get(client, cohort)
    assert _served(response) is None and not _stale(response)


@pytest.fixture
def five_and_fifty(owner, roadmap):
    cohorts = []
    for size in (5, 50):
        cohort = CohortFactory(name=f"{size} learners", created_by=owner)
        _cohort_of(cohort, size, roadmap)
        AssignmentFactory(cohort=cohort, kind="quiz", topics=roadmap[1][:1], question_count=3)
        cohorts.append(cohort)
    return cohorts


def test_the_number_of_queries_does_not_depend_on_the_cohorts_size(client, owner, five_and_fifty):
    client.force_login(owner)
    _get(client, CohortFactory(created_by=owner))  # the site's cache token exists from here on
    counts = {}
    for cohort in five_and_fifty:
        with CaptureQueriesContext(connection) as computed:
            first = _get(client, cohort)
        with CaptureQueriesContext(connection) as cached:
            second = _get(client, cohort)
        assert _served(first) is not None and _served(second) is None
        counts[len(_served(first).learners)] = (len(computed), len(cached))

    assert counts[5] == counts[50]


def test_a_reader_that_misses_while_another_builds_waits_for_that_body(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "single-flight"}
    }  # shared by the threads of this process, like Redis by processes
    building, release, first = threading.Event(), threading.Event(), []

    def slow_render() -> str:
        building.set()
        release.wait(5)
        return "built once"

    builder = threading.Thread(
        target=lambda: first.append(
            group_fragment_get_or_render(name="probe", group="g:1", render=slow_render).html
        )
    )
    builder.start()
    assert building.wait(5)
    threading.Timer(0.1, release.set).start()
    second_renders = []
    second = group_fragment_get_or_render(
        name="probe", group="g:1", render=lambda: second_renders.append(1) or "built twice"
    ).html
    builder.join(5)

    assert first == ["built once"] and second == "built once" and second_renders == []


def test_after_a_members_change_the_previous_body_is_served_once_with_its_age(
    client, owner, cohort, member, learner, roadmap, django_capture_on_commit_callbacks
):
    _, topics, _ = roadmap
    before = _body(_warm(client, owner, cohort))

    with django_capture_on_commit_callbacks(execute=True):
        topic_progress_mark(user=learner, topic=topics[0], status="done")
    stale = _get(client, cohort)
    renewed = _get(client, cohort)

    assert _body(stale) == before and "1/3" not in _body(stale)
    note = '<p class="meta dashboard-freshness" role="status">Updated '
    assert note in stale.content.decode() and stale.context["body_stale_age_s"] >= 0
    assert "1/3" in _body(renewed) and note not in renewed.content.decode()


def test_a_stale_body_younger_than_the_rebuild_interval_is_served_without_a_rebuild(
    client, owner, cohort, member, learner, roadmap, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Members changing things every second must not keep a core rebuilding: one rebuild per interval."""
    from datetime import timedelta

    from django.utils import timezone

    settings.FRAGMENT_GROUP_REBUILD_MIN_S = 60
    _, topics, _ = roadmap
    before = _body(_warm(client, owner, cohort))
    with django_capture_on_commit_callbacks(execute=True):
        topic_progress_mark(user=learner, topic=topics[0], status="done")

    soon = [_get(client, cohort) for _ in range(2)]
    later = timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    due = _get(client, cohort)
    renewed = _get(client, cohort)

    def rebuilt(response) -> bool:
        return any(t.name == "cohorts/_dashboard_body.html" for t in response.templates)

    assert all(_stale(r) and _body(r) == before and not rebuilt(r) for r in soon)
    assert _stale(due) and _body(due) == before and rebuilt(due)  # served stale, rebuilt after it
    assert not _stale(renewed) and "1/3" in _body(renewed)


@pytest.mark.parametrize("change", ["removed", "account deleted"])
def test_a_learner_removed_or_deleted_after_a_change_of_theirs_is_never_served_stale(
    client, owner, cohort, member, learner, roadmap, django_capture_on_commit_callbacks, change
):
    """Their progress makes the cached body the stale one; their removal must not let it be served."""
    _, topics, _ = roadmap
    assert learner.username in _body(_warm(client, owner, cohort))
    with django_capture_on_commit_callbacks(execute=True):
        topic_progress_mark(user=learner, topic=topics[0], status="done")

    with django_capture_on_commit_callbacks(execute=True):
        if change == "removed":
            cohort_services.membership_end(membership=member, removed_by=owner)
        else:
            user_account_delete(user=learner)
    response = _fresh(client, cohort)

    assert _served(response).learners == []
    if change == "account deleted":
        assert learner.username not in response.content.decode()


def test_a_members_change_in_one_cohort_leaves_another_cached_and_serves_neither_the_others_body(
    client, owner, cohort, member, learner, roadmap, django_capture_on_commit_callbacks
):
    _, topics, _ = roadmap
    other = CohortFactory(name="Autumn cohort", created_by=owner)
    stranger = UserFactory(username="autumn-learner")
    MembershipFactory(cohort=other, user=stranger, joined_at=ago(10))
    _warm(client, owner, cohort)
    theirs = _body(_warm(client, owner, other))

    with django_capture_on_commit_callbacks(execute=True):
        topic_progress_mark(user=learner, topic=topics[0], status="done")
    other_page = _get(client, other)
    stale = _get(client, cohort)

    assert _served(other_page) is None and not _stale(other_page) and _body(other_page) == theirs
    assert _stale(stale) and learner.username in _body(stale) and stranger.username not in _body(stale)


def test_a_failed_rebuild_is_logged_and_the_stale_body_served_until_one_succeeds(
    cohort, member, learner, django_capture_on_commit_callbacks, caplog
):
    group = f"cohort:{cohort.id}"
    group_fragment_get_or_render(name="probe", group=group, render=lambda: "first body")
    with django_capture_on_commit_callbacks(execute=True):
        fragments_invalidate_user(user_id=learner.id)

    def failing_render() -> str:
        raise RuntimeError("the database went away")

    failed = group_fragment_get_or_render(name="probe", group=group, render=failing_render)
    retried = group_fragment_get_or_render(name="probe", group=group, render=lambda: "second body")
    renewed = group_fragment_get_or_render(name="probe", group=group, render=lambda: "never built")

    assert (failed.html, failed.stale) == ("first body", True) and "the database went away" in caplog.text
    assert (retried.html, retried.stale) == ("first body", True)  # the lock went with the failure
    assert (renewed.html, renewed.stale, renewed.built_at) == ("second body", False, None)


def test_readers_of_a_stale_body_wait_for_nothing_and_start_one_background_build(
    settings, cohort, member, learner, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "stale-builds"}
    }  # shared by the threads of this process, like Redis by processes
    settings.FRAGMENT_REBUILD_IN_BACKGROUND = True
    group = f"cohort:{cohort.id}"
    group_fragment_get_or_render(name="probe", group=group, render=lambda: "before the change")
    with django_capture_on_commit_callbacks(execute=True):
        fragments_invalidate_user(user_id=learner.id)
    release, renders = threading.Event(), []

    def slow_render() -> str:
        renders.append(threading.current_thread().name)
        release.wait(5)
        return "after the change"

    served = [group_fragment_get_or_render(name="probe", group=group, render=slow_render) for _ in range(5)]
    release.set()
    for thread in threading.enumerate():
        if thread.name == "fragment-rebuild":
            thread.join(5)
    renewed = group_fragment_get_or_render(name="probe", group=group, render=slow_render)

    assert [(f.html, f.stale) for f in served] == [("before the change", True)] * 5
    assert renders == ["fragment-rebuild"]
    assert (renewed.html, renewed.stale) == ("after the change", False)


def test_a_background_rebuild_runs_behind_the_requests_in_cpu_priority(db):
    """The rebuild thread lowers its own priority (Linux schedules threads on their own), so the
    requests its process serves meanwhile keep theirs."""
    import os

    from webapp import fragments

    seen: dict[str, int] = {}
    own_before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def rebuild():
        seen["rebuild"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    worker = threading.Thread(target=fragments._rebuild_in_thread, args=(rebuild,))
    worker.start()
    worker.join(timeout=30)

    assert seen["rebuild"] >= 10  # niceness: higher is lower priority
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own_before  # only that thread
