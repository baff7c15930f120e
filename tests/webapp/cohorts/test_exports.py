"""Exports: progress and answers as CSV, and activity as xAPI statements a record store accepts."""

import csv
import io
import json
import uuid
from datetime import datetime

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.quiz.factories import MockInterviewFactory
from tests.webapp.cohorts.conftest import ago, attempt_at, progress_at
from tests.webapp.cohorts.factories import MembershipFactory
from webapp.cohorts.exports import ATTEMPTS_HEADER, PROGRESS_HEADER

pytestmark = pytest.mark.django_db


def _download(client, name, cohort):
    response = client.get(reverse(f"cohorts:{name}", args=[cohort.id]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content).decode()


@pytest.fixture
def activity(cohort, member, learner, roadmap):
    _, topics, questions = roadmap
    progress_at(user=learner, topic=topics[0], started=ago(9), completed=ago(8))
    progress_at(user=learner, topic=topics[1], started=ago(7))
    quiz = attempt_at(ago(6), user=learner, question=questions[0], score=0.625)
    mcq = attempt_at(
        ago(5), user=learner, question=questions[1], score=None, options_correct=False, seconds_taken=42
    )
    mock = MockInterviewFactory(user=learner, question_ids=[questions[2].id, questions[3].id], question_count=2,
                                started_at=ago(4), finished_at=ago(3.99))  # fmt: skip
    answer = attempt_at(ago(3.995), user=learner, question=questions[2], mode="mock", mock=mock, score=0.8)
    return {
        "topics": topics,
        "questions": questions,
        "quiz": quiz,
        "mcq": mcq,
        "mock": mock,
        "mock_answer": answer,
    }


def test_progress_csv(client, owner, cohort, learner, activity):
    client.force_login(owner)

    response, body = _download(client, "export_progress", cohort)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="cohort-{cohort.id}-progress-')
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == PROGRESS_HEADER
    topics = activity["topics"]
    assert [(r["learner"], r["topic_slug"], r["status"], bool(r["completed_at"])) for r in rows] == [
        (learner.username, topics[0].slug, "done", True),
        (learner.username, topics[1].slug, "started", False),
    ]
    assert datetime.fromisoformat(rows[0]["started_at"].replace("Z", "+00:00")).tzinfo is not None


def test_attempts_csv(client, owner, cohort, learner, activity):
    client.force_login(owner)

    _, body = _download(client, "export_attempts", cohort)

    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == ATTEMPTS_HEADER
    assert [
        (r["question"], r["mode"], r["score"], r["options_correct"], r["mock_interview"]) for r in rows
    ] == [
        (activity["questions"][0].slug, "quiz", "0.625", "", ""),
        (activity["questions"][1].slug, "quiz", "", "0", ""),
        (activity["questions"][2].slug, "mock", "0.800", "", str(activity["mock"].id)),
    ]
    assert rows[1]["seconds_taken"] == "42" and rows[0]["cohort"] == cohort.name


def test_names_that_look_like_formulas_are_quoted(client, owner, cohort, roadmap):
    _, topics, _ = roadmap
    sly = UserFactory(username="sly", display_name='=HYPERLINK("http://evil")')
    MembershipFactory(cohort=cohort, user=sly, joined_at=ago(5))
    progress_at(user=sly, topic=topics[0], started=ago(1))
    cohort.name = "+cmd"
    cohort.save()
    client.force_login(owner)

    _, body = _download(client, "export_progress", cohort)

    row = next(csv.DictReader(io.StringIO(body)))
    assert row["learner_name"] == '\'=HYPERLINK("http://evil")' and row["cohort"] == "'+cmd"


def test_xapi_statements(client, owner, cohort, learner, activity):
    client.force_login(owner)

    response, body = _download(client, "export_xapi", cohort)

    assert response["Content-Type"] == "application/json"
    statements = json.loads(body)
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert sorted(verbs) == sorted(["attempted", "completed", "attempted", "answered", "answered", "answered",
                                    "attempted", "completed"])  # fmt: skip
    for s in statements:
        uuid.UUID(s["id"])
        assert s["actor"] == {
            "objectType": "Agent", "name": learner.shown_name,
            "account": {"homePage": "http://testserver/", "name": learner.username},
        }  # fmt: skip
        assert s["verb"]["id"].startswith("http://adlnet.gov/expapi/verbs/")
        assert s["object"]["objectType"] == "Activity" and s["object"]["id"].startswith("http://testserver/")
        assert (
            s["context"]["contextActivities"]["grouping"][0]["id"]
            == f"http://testserver/cohorts/{cohort.id}/"
        )
        assert datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00")).tzinfo is not None
    answered = {s["object"]["id"]: s for s in statements if s["verb"]["id"].endswith("/answered")}
    quiz = answered[f"http://testserver/practice/questions/{activity['questions'][0].slug}/"]
    assert quiz["result"]["score"]["scaled"] == 0.625 and "success" not in quiz["result"]
    assert quiz["context"]["contextActivities"]["parent"][0]["id"] == (
        f"http://testserver/roadmap/topics/{activity['topics'][0].slug}/"
    )
    mcq = answered[f"http://testserver/practice/questions/{activity['questions'][1].slug}/"]
    assert mcq["result"] == {"completion": True, "score": {"scaled": 0.0, "raw": 0.0, "min": 0, "max": 100},
                             "success": False, "duration": "PT42S"}  # fmt: skip
    finished = next(s for s in statements if s["object"]["definition"]["type"].endswith("/assessment")
                    and s["verb"]["id"].endswith("/completed"))  # fmt: skip
    assert finished["object"]["id"] == f"http://testserver/practice/mock/{activity['mock'].id}/report/"
    assert finished["result"]["score"]["scaled"] == 0.4  # 0.8 over two planned questions
    topic_done = next(s for s in statements if s["object"]["definition"]["type"].endswith("/lesson")
                      and s["verb"]["id"].endswith("/completed"))  # fmt: skip
    assert topic_done["result"] == {"completion": True}


def test_xapi_statement_ids_are_stable_across_exports(client, owner, cohort, activity):
    client.force_login(owner)

    first = [s["id"] for s in json.loads(_download(client, "export_xapi", cohort)[1])]
    second = [s["id"] for s in json.loads(_download(client, "export_xapi", cohort)[1])]

    assert first == second and len(set(first)) == len(first)


def test_empty_cohort_exports_are_valid(client, owner, cohort):
    client.force_login(owner)

    assert json.loads(_download(client, "export_xapi", cohort)[1]) == []
    assert _download(client, "export_attempts", cohort)[1].strip() == ",".join(ATTEMPTS_HEADER)
