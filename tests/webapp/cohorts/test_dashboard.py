"""The cohort dashboard: progress grid, mastery heatmap, weekly activity, flags, the forgetting
forecast, its pictures and their text alternatives, escaping, and a bounded number of queries."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quiz import scheduling
from quiz.models import Attempt, Card
from tests.factories import TopicProgressFactory, UserFactory
from tests.quiz.factories import CardFactory
from tests.webapp.cohorts.conftest import SVG, ago, attempt_at, heatmap_cells, progress_at, svg_parse
from tests.webapp.cohorts.factories import AssignmentFactory, MembershipFactory
from webapp.cohorts import charts
from webapp.cohorts.selectors.dashboard import DashboardOptions, cohort_dashboard
from webapp.cohorts.selectors.forecast import card_recall, card_recall_sql

pytestmark = pytest.mark.django_db


def _dashboard(client, cohort, **params):
    return client.get(reverse("cohorts:dashboard", args=[cohort.id]), params)


def _svgs(html: str) -> list[ElementTree.Element]:
    return [svg_parse(svg) for svg in re.findall(r'<svg class="cohort-chart.*?</svg>', html, re.S)]


def test_progress_grid_counts_done_topics_per_phase(client, owner, cohort, member, learner, roadmap):
    _, topics, _ = roadmap
    for topic in topics[:2]:
        progress_at(user=learner, topic=topic, started=ago(9), completed=ago(8))
    progress_at(user=learner, topic=topics[2], started=ago(7))
    progress_at(user=learner, topic=topics[3], started=ago(7), completed=ago(6))
    client.force_login(owner)

    response = _dashboard(client, cohort)

    row = response.context["d"].learners[0]
    assert [(c.done, c.started, c.total) for c in row.cells] == [(2, 1, 3), (1, 0, 3)]
    assert row.done == 3
    html = response.content.decode()
    assert "2/3" in html and "1/3" in html and 'style="--done:67%"' in html  # the bar under 2/3


def test_mastery_is_the_mean_score_per_learner_and_topic(client, owner, cohort, member, learner, roadmap):
    _, topics, questions = roadmap
    for score in (0.2, 0.4):
        attempt_at(ago(3), user=learner, question=questions[0], score=score)
    attempt_at(ago(3), user=learner, question=questions[1], score=None, options_correct=True)
    attempt_at(
        ago(3), user=learner, question=questions[1], score=None, options_correct=None, status="pending"
    )
    client.force_login(owner)

    d = _dashboard(client, cohort).context["d"]

    assert d.mastery == {
        (learner.id, topics[0].id): (pytest.approx(0.3), 2),
        (learner.id, topics[1].id): (1.0, 1),
    }
    assert d.learners[0].answers == 3 and d.learners[0].mastery == pytest.approx((0.2 + 0.4 + 1.0) / 3)
    assert [s.topic for s in d.topic_mastery] == [topics[0], topics[1]]  # weakest first


def test_flags_inactive_and_struggling_learners_with_the_instructors_thresholds(
    client, owner, cohort, roadmap
):
    _, _, questions = roadmap
    busy, idle, silent = (
        UserFactory(username="busy"),
        UserFactory(username="idle"),
        UserFactory(username="silent"),
    )
    for user in (busy, idle, silent):
        MembershipFactory(cohort=cohort, user=user, joined_at=ago(60))
    for _ in range(3):
        attempt_at(ago(1), user=busy, question=questions[0], score=0.3)
    attempt_at(ago(20), user=idle, question=questions[0], score=0.9)
    client.force_login(owner)

    d = _dashboard(client, cohort).context["d"]
    assert [r.user.username for r in d.inactive] == ["silent", "idle"]  # longest idle first
    assert [r.user.username for r in d.struggling] == ["busy"]

    d = _dashboard(client, cohort, inactive_days=30, mastery=20).context["d"]
    assert [r.user.username for r in d.inactive] == ["silent"]
    assert d.struggling == []


def test_recent_progress_and_demo_predictions_count_as_activity(owner, cohort, roadmap):
    from demos.models import PredictionAttempt

    _, topics, _ = roadmap
    reader, tinkerer = UserFactory(), UserFactory()
    for user in (reader, tinkerer):
        MembershipFactory(cohort=cohort, user=user, joined_at=ago(60))
    progress_at(user=reader, topic=topics[0], started=ago(2))
    prediction = PredictionAttempt.objects.create(
        user=tinkerer, demo="asr", exercise="x", prediction="y", correct=True
    )
    PredictionAttempt.objects.filter(id=prediction.id).update(created_at=ago(1))

    d = cohort_dashboard(cohort=cohort, options=DashboardOptions(inactive_days=7))

    assert d.inactive == []


def test_forecast_uses_fsrs_retrievability_on_the_chosen_date(
    client, owner, cohort, member, learner, roadmap
):
    _, topics, questions = roadmap
    fresh = scheduling.review(None, scheduling.GOOD, now=ago(3)).state
    shaky = scheduling.review(None, scheduling.AGAIN, now=ago(3)).state
    CardFactory(user=learner, question=questions[0], state=fresh, last_review=ago(3))
    CardFactory(user=learner, question=questions[1], state=shaky, last_review=ago(3))
    day = timezone.localdate() + timedelta(days=30)
    client.force_login(owner)

    d = _dashboard(client, cohort, forecast_on=day.isoformat(), recall=70).context["d"]

    moment = d.forecast_at
    assert moment.date() == day
    expected = {
        t.id: scheduling.retrievability(s, now=moment) for t, s in ((topics[0], fresh), (topics[1], shaky))
    }
    row = d.learners[0]
    assert [(t.id, pytest.approx(v)) for t, v in row.at_risk] == [
        (t, v) for t, v in sorted(expected.items(), key=lambda kv: kv[1]) if v < 0.7
    ]
    assert row.recall == pytest.approx(sum(expected.values()) / 2)
    assert d.forgetting == [row] and row.at_risk


def test_card_recall_matches_quiz_scheduling_for_every_kind_of_card():
    now = timezone.now()
    states = []
    state = None
    for rating in (3, 1, 2, 3, 4, 1, 3):
        state = scheduling.review(state, rating, now=now - timedelta(days=40 - 5 * len(states))).state
        states.append(state)
    for state in states:
        for days_ahead in (0, 1, 7, 45, 400):
            at = now + timedelta(days=days_ahead, hours=5)
            reviewed = Card(state=state).state["last_review"]
            since = at - timezone.datetime.fromisoformat(reviewed)
            assert card_recall(stability=state["stability"], since_review=since, at=at) == pytest.approx(
                scheduling.retrievability(state, now=at)
            )
    assert card_recall(stability=None, since_review=timedelta(days=1), at=now) == 0.0


def test_recall_in_sql_is_card_recall_of_each_card(roadmap):
    """The forecast computes each card's recall in the database: fsrs's numbers, whole days
    since the review counted as timedelta.days (a microsecond short of a day is the day before)."""
    _, _, questions = roadmap  # six questions: one per stability
    at = timezone.now().replace(microsecond=250_000)
    stabilities = [None, 0.4, 2.3, 11.0, 57.5, 300.0]
    since = [timedelta(days=d, hours=h) for d in (0, 1, 13, 400) for h in (0, 7)] + [
        timedelta(hours=-3),
        timedelta(days=2, microseconds=-1),
        timedelta(days=2, microseconds=-250_001),
    ]
    learners = UserFactory.create_batch(len(since))  # one per time since the review
    expected = {}
    for question, stability in zip(questions, stabilities, strict=True):
        for user, ago_ in zip(learners, since, strict=True):
            CardFactory(user=user, question=question, last_review=at - ago_, state={"stability": stability})
            expected[(user.id, question.id)] = card_recall(stability=stability, since_review=ago_, at=at)

    in_sql = Card.objects.annotate(r=card_recall_sql(at=at)).values_list("user_id", "question_id", "r")

    assert {(u, q): pytest.approx(r, rel=1e-12) for u, q, r in in_sql} == expected


def test_a_later_forecast_date_predicts_lower_recall(owner, cohort, member, learner, roadmap):
    _, _, questions = roadmap
    state = scheduling.review(None, scheduling.GOOD, now=ago(1)).state
    CardFactory(user=learner, question=questions[0], state=state, last_review=ago(1))
    today = timezone.localdate()

    soon = cohort_dashboard(cohort=cohort, options=DashboardOptions(forecast_on=today + timedelta(days=2)))
    later = cohort_dashboard(cohort=cohort, options=DashboardOptions(forecast_on=today + timedelta(days=90)))

    assert 0 < later.learners[0].recall < soon.learners[0].recall <= 1


def test_activity_counts_answers_and_progress_per_week(owner, cohort, member, learner, roadmap):
    _, topics, questions = roadmap
    now = timezone.now()
    attempt_at(now - timedelta(weeks=2), user=learner, question=questions[0])
    attempt_at(now - timedelta(weeks=2), user=learner, question=questions[0])
    progress_at(user=learner, topic=topics[0], started=now - timedelta(weeks=1), completed=now)

    d = cohort_dashboard(cohort=cohort, options=DashboardOptions(weeks=4), now=now)

    assert [(w.answers, w.progress) for w in d.weeks] == [(0, 0), (2, 0), (0, 1), (0, 1)]
    assert d.weeks[-1].start == timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())


def test_every_chart_is_inline_svg_with_a_text_and_table_alternative(
    client, owner, cohort, member, learner, roadmap
):
    _, topics, questions = roadmap
    attempt_at(ago(3), user=learner, question=questions[0], score=0.8)
    CardFactory(
        user=learner,
        question=questions[0],
        state=scheduling.review(None, 1, now=ago(3)).state,
        last_review=ago(3),
    )
    client.force_login(owner)

    html = _dashboard(client, cohort).content.decode()

    for chart in ("heatmap", "activity", "recall"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
    assert html.count('<svg class="cohort-chart') == 3 and html.count('role="img"') == 3
    assert html.count('<details class="alt-table">') == 3
    assert heatmap_cells(_svgs(html)[0]) == {(learner.shown_name, topics[0].title): (80, 1)}
    assert 'class="m8"' in html
    assert "Weakest topic across the cohort" in html
    # Drawn without script; the heatmap's tooltips come from our own static file (the CSP allows no
    # inline script), besides the site's menu toggle.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/js/nav.js" defer>',
        '<script src="/static/cohorts/heatmap.js" defer>',
    ]
    assert "cdn" not in html.lower()


def test_user_text_is_escaped_in_pages_and_charts(client, owner, cohort, roadmap):
    _, topics, questions = roadmap
    evil = UserFactory(display_name='<script>alert("x")</script>')
    MembershipFactory(cohort=cohort, user=evil, joined_at=ago(20))
    topics[0].title = "<b>Bold</b> & co"
    topics[0].save()
    cohort.name = "<img src=x onerror=alert(1)>"
    cohort.save()
    attempt_at(ago(2), user=evil, question=questions[0], score=0.1)
    CardFactory(
        user=evil,
        question=questions[0],
        state=scheduling.review(None, 1, now=ago(2)).state,
        last_review=ago(2),
    )
    AssignmentFactory(cohort=cohort, topics=[topics[0]], title="<i>read</i>")
    client.force_login(owner)

    pages = [
        _dashboard(client, cohort),
        client.get(reverse("cohorts:learner", args=[cohort.id, evil.id])),
        client.get(reverse("cohorts:settings", args=[cohort.id])),
        client.get(reverse("cohorts:list")),
    ]
    for page in pages:
        html = page.content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>Bold</b>" not in html
        assert "<i>read</i>" not in html
    dashboard = pages[0].content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in dashboard
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in dashboard


def test_bad_dashboard_settings_are_reported_and_defaults_used(client, owner, cohort, member):
    client.force_login(owner)

    response = _dashboard(client, cohort, inactive_days="-3", mastery="abc", forecast_on="3000-01-01")

    assert response.status_code == 200
    assert response.context["d"].options == DashboardOptions()
    html = response.content.decode()
    assert "Ensure this value is greater than or equal to 1." in html and "five years ahead" in html


def test_heatmap_bands_and_axis_tops():
    assert [charts.band(v) for v in (0.0, 0.05, 0.1, 0.55, 0.99, 1.0)] == [0, 0, 1, 5, 9, 9]
    assert [charts.nice_ceiling(v) for v in (1, 3, 7, 11, 180, 1001)] == [1, 5, 10, 20, 200, 2000]


def _cohort_of(cohort, learners: int, roadmap) -> None:
    """`learners` members, each with progress, answers, a card and an assignment to check."""
    _, topics, questions = roadmap
    users = UserFactory.create_batch(learners)
    for user in users:
        MembershipFactory(cohort=cohort, user=user, joined_at=ago(60))
        TopicProgressFactory(
            user=user, topic=topics[0], status="done", started_at=ago(30), completed_at=ago(20)
        )
    Attempt.objects.bulk_create(
        Attempt(user=user, question=q, mode="quiz", status="graded", score=0.5)
        for user in users
        for q in questions
    )
    state = scheduling.review(None, 3, now=ago(5)).state
    Card.objects.bulk_create(
        Card(user=user, question=questions[0], state=state, due=ago(0), last_review=ago(5)) for user in users
    )


@pytest.fixture
def all_kinds_of_assignment(cohort, roadmap):
    _, topics, _ = roadmap
    AssignmentFactory(cohort=cohort, kind="topics", topics=topics[:2])
    AssignmentFactory(cohort=cohort, kind="quiz", topics=topics[:1], question_count=3)
    AssignmentFactory(cohort=cohort, kind="mock", level="mid", question_count=2)


def _cache_query(sql: str) -> bool:
    return "soundpath_cache" in sql or "SAVEPOINT" in sql


QUERY_BOUND = 20  # session, user, cohort and owners, then a fixed set for the page (2 for challenges)


@pytest.mark.parametrize("learners", [30, 60])
def test_dashboard_queries_do_not_grow_with_the_cohort(
    client, owner, cohort, roadmap, all_kinds_of_assignment, learners
):
    _cohort_of(cohort, learners, roadmap)
    client.force_login(owner)

    with CaptureQueriesContext(connection) as queries:
        response = _dashboard(client, cohort)

    # The shared cache is a database table in the tests (Redis where configured): its reads and
    # first writes (the cached body's tokens and the body) are not the page's queries.
    page = [q["sql"] for q in queries.captured_queries if not _cache_query(q["sql"])]
    assert len(page) <= QUERY_BOUND, "\n".join(page)

    d = response.context["d"]
    assert len(d.learners) == learners and len(d.assignments) == 3
    assert re.search(
        rf"{learners} learners × \d+ topics|of {learners} learners on", response.content.decode()
    )


def test_learner_page_queries_do_not_grow_with_history(
    client, owner, cohort, member, learner, roadmap, django_assert_max_num_queries
):
    _, topics, questions = roadmap
    client.force_login(owner)
    url = reverse("cohorts:learner", args=[cohort.id, learner.id])
    client.get(url)  # the owner's menu is kept (webapp/site_nav.py): counted warm, as it is used
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    for question in questions:
        attempt_at(ago(2), user=learner, question=question)
    for topic in topics:
        progress_at(user=learner, topic=topic, started=ago(3), completed=ago(2))

    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_the_settings_form_shows_the_values_in_use(client, owner, cohort):
    client.force_login(owner)

    html = _dashboard(client, cohort).content.decode()

    day = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert f'type="date" name="forecast_on" value="{day}"' in html
    assert 'name="inactive_days" value="14"' in html and 'name="mastery" value="60"' in html


def test_the_charts_are_well_formed_svg_even_with_hostile_names(client, owner, cohort, roadmap):
    _, topics, questions = roadmap
    odd = UserFactory(display_name="Zoë \"&\" <Ann> 'O'Neil")
    MembershipFactory(cohort=cohort, user=odd, joined_at=ago(20))
    topics[0].title = "Sampling <& aliasing>"
    topics[0].save()
    attempt_at(ago(2), user=odd, question=questions[0], score=0.5)
    CardFactory(
        user=odd,
        question=questions[0],
        state=scheduling.review(None, 3, now=ago(2)).state,
        last_review=ago(2),
    )
    client.force_login(owner)

    html = _dashboard(client, cohort).content.decode()

    svgs = _svgs(html)
    assert len(svgs) == 3
    for svg in svgs:
        assert svg.find(f"{SVG}title").text
    assert heatmap_cells(svgs[0]) == {("Zoë \"&\" <Ann> 'O'Neil", "Sampling <& aliasing>"): (50, 1)}


def test_forecast_and_mastery_tables_name_each_learner_and_topic_with_its_percent(
    client, owner, cohort, member, learner, roadmap
):
    _, topics, questions = roadmap
    calm = UserFactory(display_name="Calm & <co>")
    MembershipFactory(cohort=cohort, user=calm, joined_at=ago(30))
    for question in questions[:5]:
        CardFactory(user=learner, question=question, last_review=ago(3),
                    state=scheduling.review(None, scheduling.AGAIN, now=ago(3)).state)  # fmt: skip
    attempt_at(ago(2), user=learner, question=questions[0], score=0.25)
    attempt_at(ago(2), user=calm, question=questions[0], score=0.5)
    attempt_at(ago(2), user=calm, question=questions[1], score=0.9)
    client.force_login(owner)

    response = _dashboard(client, cohort)

    html = re.sub(r">\s+<", "><", response.content.decode())
    row = response.context["d"].learners[0]
    named = [f"{t.title} {round(100 * v)}%" for t, v in row.at_risk]
    assert len(named) == 5 and row.user == learner
    url = reverse("cohorts:learner", args=[cohort.id, learner.id])
    assert (
        f'<tr><th scope="row"><a href="{url}">{learner.shown_name}</a></th><td>{round(100 * row.recall)}%</td>'
        f"<td>5: {', '.join(named[:3])}<details><summary>2 more</summary>{', '.join(named[3:])}</details></td></tr>"
    ) in html
    assert (
        f'<tr><th scope="row">{topics[0].title}</th><td>2</td><td>38%</td>'
        f"<td>{learner.shown_name} 25%, Calm &amp; &lt;co&gt; 50%</td></tr>"
    ) in html
    assert f'<tr><th scope="row">{topics[1].title}</th><td>1</td><td>90%</td><td>—</td></tr>' in html
