"""Cohort exports, streamed: progress and attempts as CSV, and the same activity as xAPI 1.0.3
statements (a JSON list a learning record store accepts). Only data inside the membership window."""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from urllib.parse import urljoin

from django.db.models import BooleanField, QuerySet, Sum, Value
from django.urls import reverse

from curriculum.models import TopicProgress
from quiz.models import Attempt, MockInterview
from webapp.cohorts import selectors
from webapp.cohorts.models import Cohort

PROGRESS_HEADER = [
    "cohort", "learner", "learner_name", "phase", "topic_slug", "topic", "status", "started_at", "completed_at",
]  # fmt: skip
ATTEMPTS_HEADER = [
    "cohort", "learner", "learner_name", "answered_at", "question", "topic_slug", "topic", "level", "mode",
    "status", "score", "options_correct", "rating", "mock_interview", "seconds_taken",
]  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # spreadsheet formula triggers (CSV injection)
CHUNK = 2000


def _text(value: str) -> str:
    """Names typed by people are quoted so that a spreadsheet never runs them as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _iso(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def progress_rows(*, cohort: Cohort) -> Iterator[list]:
    rows = (
        selectors.progress_visible(cohort=cohort)
        .order_by("user__username", "topic__phase__order", "topic__order")
        .values_list(
            "user__username", "user__display_name", "topic__phase__title", "topic__slug", "topic__title",
            "status", "started_at", "completed_at", "started_seen", "completed_seen",
        )
    )  # fmt: skip
    name = _text(cohort.name)
    for username, display, phase, slug, title, status, started, completed, s_seen, c_seen in rows.iterator(
        chunk_size=CHUNK
    ):
        done = status == "done" and c_seen
        yield [
            name, _text(username), _text(display or username), phase, slug, title,
            "done" if done else "started", _iso(started) if s_seen else "", _iso(completed) if done else "",
        ]  # fmt: skip


def attempt_rows(*, cohort: Cohort) -> Iterator[list]:
    rows = (
        selectors.attempts_visible(cohort=cohort)
        .order_by("user__username", "created_at", "id")
        .values_list(
            "user__username", "user__display_name", "created_at", "question__slug", "question__main_topic__slug",
            "question__main_topic__title", "question__level", "mode", "status", "score", "options_correct",
            "rating", "mock_id", "seconds_taken",
        )
    )  # fmt: skip
    name = _text(cohort.name)
    for username, display, created, *rest in rows.iterator(chunk_size=CHUNK):
        question, topic_slug, topic, level, mode, status, score, correct, rating, mock_id, seconds = rest
        yield [
            name, _text(username), _text(display or username), _iso(created), question, topic_slug, topic,
            level, mode, status, "" if score is None else f"{score:.3f}", "" if correct is None else int(correct),
            rating or "", mock_id or "", "" if seconds is None else seconds,
        ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# xAPI

VERBS = {
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "scored": "http://adlnet.gov/expapi/verbs/scored",
}
ACTIVITY_TYPES = {
    "cohort": "http://adlnet.gov/expapi/activities/course",
    "topic": "http://adlnet.gov/expapi/activities/lesson",
    "question": "http://adlnet.gov/expapi/activities/question",
    "mock": "http://adlnet.gov/expapi/activities/assessment",
    "challenge": "http://adlnet.gov/expapi/activities/performance",
}
LANGUAGE = "en-GB"


class XapiBuilder:
    """Builds statements whose activity ids live under the site's URL (`base_url`, e.g.
    "https://soundpath.example/"). Statement ids are derived from what they describe, so
    exporting twice gives the same ids and a record store keeps one copy."""

    def __init__(self, *, cohort: Cohort | None, base_url: str):
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        # A learner's own export has no cohort around it: statements then carry no grouping.
        self.grouping = (
            self.activity(reverse("cohorts:dashboard", args=[cohort.id]), "cohort", cohort.name)
            if cohort
            else None
        )

    def url(self, path: str) -> str:
        return urljoin(self.base, path.lstrip("/"))

    def activity(self, path: str, kind: str, name: str) -> dict:
        return {
            "objectType": "Activity",
            "id": self.url(path),
            "definition": {"type": ACTIVITY_TYPES[kind], "name": {LANGUAGE: name}},
        }

    def statement(
        self, *, key: str, user: tuple[str, str], verb: str, obj: dict, at: datetime, **extra
    ) -> dict:
        username, display = user
        parents = extra.pop("parents", [])
        context_activities = {
            **({"grouping": [self.grouping]} if self.grouping else {}),
            **({"parent": parents} if parents else {}),
        }
        return {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.base}xapi/{key}/{verb}")),
            "actor": {
                "objectType": "Agent",
                "name": display or username,
                "account": {"homePage": self.base, "name": username},
            },
            "verb": {"id": VERBS[verb], "display": {LANGUAGE: verb}},
            "object": obj,
            "context": {
                "platform": "Soundpath",
                "language": LANGUAGE,
                "contextActivities": context_activities,
            },
            "timestamp": _iso(at),
            **extra,
        }


def xapi_statements(*, cohort: Cohort, base_url: str) -> Iterator[dict]:
    x = XapiBuilder(cohort=cohort, base_url=base_url)
    yield from _progress_statements(selectors.progress_visible(cohort=cohort), x)
    yield from _attempt_statements(selectors.attempts_visible(cohort=cohort), x)
    mocks = selectors.mocks_visible(cohort=cohort).annotate(
        finished_seen=selectors.visible(cohort_id=cohort.id, at="finished_at")
    )
    yield from _mock_statements(mocks, x)
    yield from _challenge_statements(selectors.challenge_attempts_visible(cohort=cohort), x)


def learner_xapi_statements(*, user, base_url: str) -> Iterator[dict]:
    """The same statements for one learner's own data, all of it (their data export)."""
    x = XapiBuilder(cohort=None, base_url=base_url)
    seen = Value(True, output_field=BooleanField())
    progress = TopicProgress.objects.filter(user=user).annotate(started_seen=seen, completed_seen=seen)
    yield from _progress_statements(progress, x)
    yield from _attempt_statements(Attempt.objects.filter(user=user), x)
    yield from _mock_statements(MockInterview.objects.filter(user=user).annotate(finished_seen=seen), x)
    from webapp.challenges.models import ChallengeAttempt

    yield from _challenge_statements(ChallengeAttempt.objects.filter(user=user, status="scored"), x)


def _topic(x: XapiBuilder, slug: str, title: str) -> dict:
    return x.activity(reverse("curriculum:topic", args=[slug]), "topic", title)


def _progress_statements(visible_progress: QuerySet, x: XapiBuilder) -> Iterator[dict]:
    rows = (
        visible_progress.order_by("id")
        .values_list(
            "id", "user__username", "user__display_name", "topic__slug", "topic__title", "status",
            "started_at", "completed_at", "started_seen", "completed_seen",
        )
    )  # fmt: skip
    for pk, username, display, slug, title, status, started, completed, s_seen, c_seen in rows.iterator(
        chunk_size=CHUNK
    ):
        topic, user = _topic(x, slug, title), (username, display)
        if s_seen:
            yield x.statement(key=f"progress/{pk}", user=user, verb="attempted", obj=topic, at=started)
        if status == "done" and c_seen:
            yield x.statement(
                key=f"progress/{pk}", user=user, verb="completed", obj=topic, at=completed,
                result={"completion": True},
            )  # fmt: skip


def _attempt_statements(visible_attempts: QuerySet, x: XapiBuilder) -> Iterator[dict]:
    rows = (
        visible_attempts.filter(status=Attempt.Status.GRADED)
        .order_by("id")
        .values_list(
            "id", "user__username", "user__display_name", "created_at", "question__slug", "question__level",
            "question__main_topic__slug", "question__main_topic__title", "score", "options_correct",
            "seconds_taken", "mock_id",
        )
    )  # fmt: skip
    for (
        pk,
        username,
        display,
        created,
        slug,
        level,
        t_slug,
        t_title,
        score,
        correct,
        seconds,
        mock_id,
    ) in rows.iterator(chunk_size=CHUNK):
        scaled = score if score is not None else (None if correct is None else float(correct))
        result: dict = {"completion": True}
        if scaled is not None:
            result["score"] = {
                "scaled": round(scaled, 4),
                "raw": round(100 * scaled, 1),
                "min": 0,
                "max": 100,
            }
        if correct is not None:
            result["success"] = bool(correct)
        if seconds is not None:
            result["duration"] = f"PT{seconds}S"
        parents = [_topic(x, t_slug, t_title)]
        if mock_id:
            parents.append(x.activity(reverse("quiz:mock_report", args=[mock_id]), "mock", "Mock interview"))
        question = x.activity(f"{reverse('quiz:home')}questions/{slug}/", "question", f"{t_title}: {slug}")
        question["definition"]["extensions"] = {x.url("xapi/extensions/level"): level}
        yield x.statement(
            key=f"attempt/{pk}", user=(username, display), verb="answered", obj=question, at=created,
            result=result, parents=parents,
        )  # fmt: skip


def _mock_statements(visible_mocks: QuerySet, x: XapiBuilder) -> Iterator[dict]:
    """`visible_mocks` carries `finished_seen`: whether the finish may be shown."""
    mocks = list(visible_mocks.select_related("user").order_by("id"))
    totals = dict(
        Attempt.objects.filter(mock__in=[m.id for m in mocks], status=Attempt.Status.GRADED)
        .values("mock_id")
        .annotate(total=Sum("score"))
        .values_list("mock_id", "total")
    )
    for mock in mocks:
        user = (mock.user.username, mock.user.display_name)
        obj = x.activity(
            reverse("quiz:mock_report", args=[mock.id]), "mock", f"{mock.get_level_display()} mock interview"
        )
        yield x.statement(key=f"mock/{mock.id}", user=user, verb="attempted", obj=obj, at=mock.started_at)
        if mock.finished_at and mock.finished_seen:
            scaled = min(1.0, (totals.get(mock.id) or 0.0) / max(1, mock.question_count))
            yield x.statement(
                key=f"mock/{mock.id}", user=user, verb="completed", obj=obj, at=mock.finished_at,
                result={"completion": True, "score": {"scaled": round(scaled, 4)},
                        "duration": f"PT{round((mock.finished_at - mock.started_at).total_seconds())}S"},
            )  # fmt: skip


CHALLENGES_HEADER = [
    "cohort",
    "learner",
    "learner_name",
    "submitted_at",
    "challenge",
    "topic_slug",
    "score",
    "passed",
]


def challenge_rows(*, cohort: Cohort) -> Iterator[list]:
    rows = (
        selectors.challenge_attempts_visible(cohort=cohort)
        .order_by("user__username", "created_at")
        .values_list(
            "user__username", "user__display_name", "created_at", "challenge", "topic_slug", "score", "passed"
        )
    )
    for username, display, created, challenge, topic, score, passed in rows.iterator(chunk_size=CHUNK):
        yield [cohort.name, _text(username), _text(display), _iso(created), challenge, topic, score, passed]


def _challenge_statements(scored_attempts: QuerySet, x: XapiBuilder) -> Iterator[dict]:
    """One `scored` statement per scored challenge attempt, with the metric's value and pass/fail."""
    from webapp.challenges.catalog import CHALLENGES

    rows = scored_attempts.order_by("id").values_list(
        "id",
        "user__username",
        "user__display_name",
        "created_at",
        "challenge",
        "topic_slug",
        "score",
        "passed",
    )
    for pk, username, display, created, slug, topic_slug, score, passed in rows.iterator(chunk_size=CHUNK):
        challenge = CHALLENGES.get(slug)
        title = challenge.title if challenge else slug
        obj = x.activity(reverse("challenges:detail", args=[slug]), "challenge", title)
        if challenge:
            obj["definition"]["extensions"] = {x.url("xapi/extensions/metric"): challenge.metric}
        yield x.statement(
            key=f"challenge/{pk}", user=(username, display), verb="scored", obj=obj, at=created,
            result={"score": {"raw": score}, "success": bool(passed), "completion": True},
            parents=[_topic(x, topic_slug, topic_slug)],
        )  # fmt: skip


def json_lines(statements: Iterable[dict]) -> Iterator[str]:
    """A JSON list, one statement per line, written as it is produced."""
    yield "["
    for i, statement in enumerate(statements):
        yield ("\n" if i == 0 else ",\n") + json.dumps(statement, ensure_ascii=False)
    yield "\n]\n"
