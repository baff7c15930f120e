"""The cohort dashboard's read model: the learner × phase grid, topic mastery, weekly activity,
flags, the forgetting forecast and assignment completion, in a fixed number of queries however
many learners the cohort has. Every number comes from data inside the membership window."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import TruncWeek
from django.utils import timezone

from curriculum.models import Phase, Topic, TopicProgress
from demos.models import PredictionAttempt
from quiz.chart_score import CHART_SCORE  # the number quiz's history chart plots, in SQL
from quiz.models import Attempt
from webapp.accounts.models import User
from webapp.cohorts import selectors
from webapp.cohorts.charts import Week
from webapp.cohorts.models import Assignment, Cohort, Membership
from webapp.cohorts.selectors import assignments, forecast

MIN_ANSWERS_TO_FLAG = 3  # one unlucky answer is not a trend
# Only what the dashboard shows: topic and phase bodies are long.
TOPIC_FIELDS = ("id", "slug", "title", "order", "is_active", "phase")
PHASE_FIELDS = ("id", "slug", "title", "order", "is_active")


@dataclass(frozen=True)
class DashboardOptions:
    inactive_days: int = 14
    mastery_threshold: float = 0.6
    recall_threshold: float = 0.7
    forecast_on: date | None = None  # None: two weeks from today
    weeks: int = 52  # the activity chart: a year

    def forecast_moment(self, today: date) -> datetime:
        """Midday on the forecast date, in the site's time zone."""
        day = self.forecast_on or today + timedelta(days=14)
        return timezone.make_aware(datetime.combine(day, time(12)))


@dataclass(frozen=True)
class PhaseCell:
    done: int
    started: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class LearnerRow:
    membership: Membership
    cells: list[PhaseCell] = field(default_factory=list)
    answers: int = 0
    mastery: float | None = None  # mean chart score over the visible graded answers
    last_active: datetime | None = None
    recall: float | None = None  # mean predicted recall over the learner's cards on the forecast date
    at_risk: list[tuple[Topic, float]] = field(default_factory=list)  # topics below the recall threshold

    @property
    def user(self):
        return self.membership.user

    @property
    def done(self) -> int:
        return sum(c.done for c in self.cells)

    def idle_days(self, now: datetime) -> int:
        return (now - (self.last_active or self.membership.joined_at)).days


@dataclass(frozen=True)
class TopicSummary:
    topic: Topic
    mean: float
    learners: int
    below: list[tuple[LearnerRow, float]]  # learners under the threshold, lowest first


@dataclass(frozen=True)
class AssignmentSummary:
    assignment: Assignment
    title: str
    done: int
    started: int
    overdue: int


@dataclass
class Dashboard:
    cohort: Cohort
    options: DashboardOptions
    now: datetime
    forecast_at: datetime
    phases: list[tuple[Phase, int]]
    learners: list[LearnerRow]
    heatmap_topics: list[Topic]
    mastery: dict[tuple[int, int], tuple[float, int]]  # (user id, topic id) → (mean score, answers)
    topic_mastery: list[TopicSummary]
    weeks: list[Week]
    recall_topics: list[TopicSummary]
    assignments: list[AssignmentSummary]
    former: list[Membership]

    @property
    def inactive(self) -> list[LearnerRow]:
        days = self.options.inactive_days
        rows = [r for r in self.learners if r.idle_days(self.now) >= days]
        return sorted(rows, key=lambda r: -r.idle_days(self.now))

    @property
    def struggling(self) -> list[LearnerRow]:
        limit = self.options.mastery_threshold
        rows = [r for r in self.learners if r.answers >= MIN_ANSWERS_TO_FLAG and (r.mastery or 0) < limit]
        return sorted(rows, key=lambda r: r.mastery or 0)

    @property
    def forgetting(self) -> list[LearnerRow]:
        return sorted((r for r in self.learners if r.at_risk), key=lambda r: (r.recall or 0, r.user.username))


def cohort_dashboard(*, cohort: Cohort, options: DashboardOptions, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    members = selectors.members_current(cohort=cohort)
    rows = {m.user_id: LearnerRow(m) for m in members}
    topics = (
        Topic.objects.select_related("phase")
        .only(*TOPIC_FIELDS, *(f"phase__{f}" for f in PHASE_FIELDS))
        .in_bulk()
    )
    phases = _phases(topics)
    progress = _progress(cohort, list(rows))
    _fill_progress(progress, rows, phases)
    mastery = _fill_mastery(cohort, rows)
    _fill_last_active(cohort, progress, rows)
    forecast_at = options.forecast_moment(timezone.localdate(now))
    recall = _fill_recall(cohort, rows, topics, forecast_at, options.recall_threshold)
    answered = {topic_id for _, topic_id in mastery}  # ids: hashing thousands of model instances is slow
    heatmap_topics = sorted((topics[t] for t in answered), key=lambda t: (t.phase.order, t.order, t.id))
    return Dashboard(
        cohort=cohort,
        options=options,
        now=now,
        forecast_at=forecast_at,
        phases=phases,
        learners=list(rows.values()),
        heatmap_topics=heatmap_topics,
        mastery=mastery,
        topic_mastery=_topic_summaries(mastery, rows, topics, options.mastery_threshold),
        weeks=_weeks(cohort, progress, list(rows), now, options.weeks),
        recall_topics=_topic_summaries(recall, rows, topics, options.recall_threshold),
        assignments=_assignment_summaries(cohort, list(rows)),
        former=selectors.members_former(cohort=cohort),
    )


def _phases(topics: dict[int, Topic]) -> list[tuple[Phase, int]]:
    counts: dict[Phase, int] = defaultdict(int)
    for topic in topics.values():
        if topic.is_active and topic.phase.is_active:
            counts[topic.phase] += 1
    return sorted(counts.items(), key=lambda item: item[0].order)


@dataclass(frozen=True)
class _Progress:
    """The current learners' progress rows seen inside the window, as sets SQL counts cheaply: each
    is a plain semi- or anti-join on the memberships ("started or finished inside" as one condition
    costs PostgreSQL a subquery per row). A topic shows where it was started or finished inside the
    window (`started` and `late`, disjoint) and as done where it was finished there (`finished`)."""

    started: QuerySet[TopicProgress]  # started inside the window
    late: QuerySet[TopicProgress]  # started outside, finished (completed_at set) inside
    finished: QuerySet[TopicProgress]  # done, finished inside the window (a subset of the two above)


def _progress(cohort: Cohort, user_ids: list[int]) -> _Progress:
    rows = TopicProgress.objects.filter(user_id__in=user_ids)
    started_inside = selectors.visible(cohort_id=cohort.id, at="started_at")
    completed_inside = selectors.visible(cohort_id=cohort.id, at="completed_at")
    return _Progress(
        started=rows.filter(started_inside),
        late=rows.exclude(started_inside).filter(completed_inside),
        finished=rows.filter(completed_inside, status=TopicProgress.Status.DONE),
    )


def _fill_progress(progress: _Progress, rows: dict[int, LearnerRow], phases: list[tuple[Phase, int]]) -> None:
    """The learner × phase grid: topics done and started per learner and phase, counted in SQL."""

    def per_phase(kind: int, progress_rows: QuerySet) -> QuerySet:
        return (
            progress_rows.filter(topic__is_active=True)
            .annotate(kind=Value(kind))
            .values_list("kind", "user_id", "topic__phase_id")
            .annotate(n=Count("id"))
            .order_by()
        )

    counts = per_phase(0, progress.finished).union(
        per_phase(1, progress.started), per_phase(1, progress.late), all=True
    )
    grid: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])  # → [done, seen]
    for kind, uid, phase_id, n in counts:
        grid[(uid, phase_id)][kind] += n
    for uid, row in rows.items():
        cells = ((phase, total, grid.get((uid, phase.id), (0, 0))) for phase, total in phases)
        row.cells = [PhaseCell(done, seen - done, total) for phase, total, (done, seen) in cells]


def _fill_mastery(cohort: Cohort, rows: dict[int, LearnerRow]) -> dict[tuple[int, int], tuple[float, int]]:
    per_topic = (
        selectors.attempts_visible(cohort=cohort)
        .filter(user_id__in=list(rows), status=Attempt.Status.GRADED)
        .values_list("user_id", "question__main_topic_id")
        .annotate(mean=Avg(CHART_SCORE), n=Count(CHART_SCORE))
        .order_by()
    )
    mastery = {}
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0])
    for uid, topic_id, mean, n in per_topic:
        if n:
            mastery[(uid, topic_id)] = (mean, n)
            totals[uid][0] += mean * n
            totals[uid][1] += n
    for uid, (weighted, n) in totals.items():
        rows[uid].answers, rows[uid].mastery = int(n), weighted / n
    return mastery


def _latest_of(rows: QuerySet, field: str) -> Subquery:
    """The latest `field` of a user's `rows` (correlated to the user being annotated)."""
    return Subquery(rows.filter(user_id=OuterRef("pk")).order_by(f"-{field}").values(field)[:1])


def _fill_last_active(cohort: Cohort, progress: _Progress, rows: dict[int, LearnerRow]) -> None:
    """Each learner's latest moment inside the window: an answer (of any status), a topic started,
    a topic finished, a demo prediction. One row per learner, read through the (user, moment)
    indexes, rather than a timestamp per topic or progress row."""
    predictions = PredictionAttempt.objects.filter(selectors.visible(cohort_id=cohort.id, at="created_at"))
    moments = (
        User.objects.filter(id__in=list(rows))
        .annotate(
            answered=_latest_of(selectors.attempts_visible(cohort=cohort), "created_at"),
            started=_latest_of(progress.started, "started_at"),
            finished=_latest_of(progress.finished, "completed_at"),
            predicted=_latest_of(predictions, "created_at"),
        )
        .values_list("id", "answered", "started", "finished", "predicted")
    )
    for uid, *latest in moments:
        rows[uid].last_active = _latest(*latest)


def _fill_recall(
    cohort: Cohort, rows: dict[int, LearnerRow], topics: dict[int, Topic], at: datetime, threshold: float
) -> dict[tuple[int, int], tuple[float, int]]:
    """Each learner's mean predicted recall on `at`, and their topics below the threshold."""
    recall = forecast.recall_by_learner_and_topic(cohort=cohort, user_ids=list(rows), at=at)
    per_user: dict[int, list[tuple[int, float, int]]] = defaultdict(list)
    for (uid, topic_id), (mean, n) in recall.items():
        per_user[uid].append((topic_id, mean, n))
    for uid, items in per_user.items():
        row = rows[uid]
        row.recall = sum(mean * n for _, mean, n in items) / sum(n for _, _, n in items)
        low = sorted((mean, topics[t].title, t) for t, mean, _ in items if mean < threshold)
        row.at_risk = [(topics[t], mean) for mean, _, t in low]
    return recall


def _topic_summaries(
    values: dict[tuple[int, int], tuple[float, int]],
    rows: dict[int, LearnerRow],
    topics: dict[int, Topic],
    threshold: float,
) -> list[TopicSummary]:
    """Per topic: the mean over learners of their own mean, and those under the threshold."""
    by_topic: dict[int, list[tuple[LearnerRow, float]]] = defaultdict(list)
    for (uid, topic_id), (mean, _) in values.items():
        by_topic[topic_id].append((rows[uid], mean))
    summaries = []
    for topic_id, items in by_topic.items():
        below = sorted(((r, v) for r, v in items if v < threshold), key=lambda item: item[1])
        summaries.append(
            TopicSummary(topics[topic_id], sum(v for _, v in items) / len(items), len(items), below)
        )
    return sorted(summaries, key=lambda s: (s.mean, s.topic.title))


class SiteWeek(TruncWeek):
    """TruncWeek (the Monday starting the moment's week on the site's clock), computed by SQLite
    itself where that clock is UTC, as on the embedded default: Django's SQLite TruncWeek calls
    back into Python for every row, which over a year of a cohort's answers was most of the
    dashboard's time. SQLite holds moments as UTC text; the fraction of a second is dropped first
    (SQLite rounds it to milliseconds, which could carry 23:59:59.9999995 into the next day)."""

    def as_sqlite(self, compiler, connection, **extra):
        if self.get_tzname() not in (None, "UTC"):  # a clock that changes: Django's, row by row
            return self.as_sql(compiler, connection)
        sql, params = compiler.compile(self.lhs)
        return f"datetime(substr({sql}, 1, 19), 'start of day', '-6 days', 'weekday 1')", params


def _weeks(cohort: Cohort, progress: _Progress, user_ids: list[int], now: datetime, count: int) -> list[Week]:
    """The current learners' answers and progress events (a topic started, a topic finished)
    inside the window per week, oldest first: counted by the database in the site's weeks."""
    today = timezone.localdate(now)
    first = today - timedelta(days=today.weekday(), weeks=count - 1)
    since = timezone.make_aware(datetime.combine(first, time()))

    def per_week(rows: QuerySet, field: str) -> QuerySet:
        return (
            rows.filter(user_id__in=user_ids, **{f"{field}__gte": since})
            .annotate(week=SiteWeek(field))
            .values("week")
            .annotate(n=Count("id"))
            .values_list("week", "n")
            .order_by()
        )

    answers = per_week(selectors.attempts_visible(cohort=cohort), "created_at")
    started = per_week(progress.started, "started_at")
    finished = per_week(progress.finished, "completed_at")
    counts: dict[tuple[int, date], int] = defaultdict(int)
    for kind, rows in ((0, answers), (1, started.union(finished, all=True))):
        for week, n in rows:
            counts[(kind, _week_start(week))] += n
    days = [first + timedelta(weeks=i) for i in range(count)]
    return [Week(d, counts[(0, d)], counts[(1, d)]) for d in days]


def _week_start(value: datetime | date) -> date:
    day = timezone.localtime(value).date() if isinstance(value, datetime) else value
    return day - timedelta(days=day.weekday())


def _assignment_summaries(cohort: Cohort, user_ids: list[int]) -> list[AssignmentSummary]:
    rows = assignments.assignments_for_cohort(cohort=cohort)
    if not rows:
        return []
    statuses = assignments.assignment_statuses(cohort=cohort, assignments=rows, user_ids=user_ids)
    summaries = []
    for a in rows:
        mine = [statuses[(a.id, uid)] for uid in user_ids]
        summaries.append(
            AssignmentSummary(
                a,
                assignments.assignment_title(assignment=a, topics=list(a.topics.all())),
                done=sum(s.state == "done" for s in mine),
                started=sum(s.state == "started" for s in mine),
                overdue=sum(s.overdue for s in mine),
            )
        )
    return summaries


def _latest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None
