"""Challenge pages and the scoring job: anonymous visitors read, learners download and submit,
a real worker scores, only the owner sees an attempt, and a pass marks the topic mastered."""

import io
import json
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from webapp.challenges.catalog import CHALLENGES
from webapp.challenges.models import ChallengeAttempt
from webapp.challenges.packs import challenge_pack
from webapp.challenges.selectors import mastered_topic_slugs


def _perfect_beats() -> bytes:
    reference = challenge_pack(CHALLENGES["beat-tracking"]).reference
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for clip, truth in reference.items():
            archive.writestr(f"answers/{clip}.txt", "\n".join(map(str, truth["beats"])))
    return buffer.getvalue()


def test_anonymous_visitors_read_the_task_but_sign_in_for_the_pack(client, db):
    page = client.get(reverse("challenges:detail", args=["beat-tracking"]))
    assert page.status_code == 200 and b"Sign in" in page.content
    assert client.get(reverse("challenges:pack", args=["beat-tracking"])).status_code == 302
    assert client.get(reverse("challenges:detail", args=["nope"])).status_code == 404


def test_the_pack_is_a_zip_with_readme_and_data(client, learner):
    client.force_login(learner)
    response = client.get(reverse("challenges:pack", args=["resampling"]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["README.md", "data/tones_48k.wav"]


def test_an_attempt_is_only_its_owners(client, learner, other_learner):
    attempt = ChallengeAttempt.objects.create(
        user=learner, challenge="vad", topic_slug="voice-activity-detection"
    )
    client.force_login(other_learner)
    assert client.get(reverse("challenges:attempt", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("challenges:attempt_status", args=[attempt.pk])).status_code == 404


def test_empty_and_oversized_uploads_are_refused_before_storing(client, learner, settings):
    client.force_login(learner)
    url = reverse("challenges:submit", args=["vad"])
    client.post(url, {"submission": SimpleUploadedFile("s.csv", b"")})
    settings.CHALLENGE_SUBMISSION_MAX_BYTES = 10
    response = client.post(
        url, {"submission": SimpleUploadedFile("s.csv", b"file,start,end\n" * 3)}, follow=True
    )
    assert b"at most" in response.content
    assert not ChallengeAttempt.objects.exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_submission_is_scored_on_a_worker_and_a_pass_means_mastered(client, celery_worker, learner):
    client.force_login(learner)
    response = client.post(
        reverse("challenges:submit", args=["beat-tracking"]),
        {"submission": SimpleUploadedFile("beats.zip", _perfect_beats(), content_type="application/zip")},
    )
    attempt_id = response["Location"].rstrip("/").split("/")[-1]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(reverse("challenges:attempt_status", args=[attempt_id])).json()
        if status["finished"]:
            break
        time.sleep(0.5)
    attempt = ChallengeAttempt.objects.get(pk=attempt_id)
    assert attempt.status == "scored" and attempt.passed and attempt.score == 1.0
    assert set(attempt.breakdown["per_clip"]) == {"loop1", "loop2", "loop3"}
    assert "beat-tracking-melody" in mastered_topic_slugs(user=learner)
    page = client.get(reverse("challenges:attempt", args=[attempt_id])).content.decode()
    assert "Passed" in page and "mastered" in page


def test_command_lists_and_scores_through_the_same_path(db, tmp_path):
    out = io.StringIO()
    call_command("challenges", "list", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert {r["id"] for r in rows} == set(CHALLENGES) and all(
        {"metric", "threshold", "baseline"} <= set(r) for r in rows
    )
    submission = tmp_path / "beats.zip"
    submission.write_bytes(_perfect_beats())
    out = io.StringIO()
    call_command("challenges", "score", "beat-tracking", str(submission), stdout=out)
    assert json.loads(out.getvalue())["passed"] is True
    submission.write_bytes(b"\xff\xfe")
    with pytest.raises(CommandError, match="Missing file"):
        call_command("challenges", "score", "beat-tracking", str(submission))


def test_topic_and_phase_pages_show_the_challenge_and_mastery(
    client, learner, django_capture_on_commit_callbacks
):
    from tests.factories import PhaseFactory, TopicFactory
    from webapp.fragments import fragments_invalidate_user

    topic = TopicFactory(slug="beat-tracking-melody", phase=PhaseFactory(slug="music-ai-test"))
    client.force_login(learner)
    page = client.get(reverse("curriculum:topic", args=[topic.slug])).content.decode()
    assert reverse("challenges:detail", args=["beat-tracking"]) in page and "Mastered" not in page
    with django_capture_on_commit_callbacks(execute=True):  # as attempt_score writes a score
        ChallengeAttempt.objects.create(
            user=learner,
            challenge="beat-tracking",
            topic_slug=topic.slug,
            status="scored",
            score=0.95,
            passed=True,
        )
        fragments_invalidate_user(user_id=learner.pk)
    assert "Mastered" in client.get(reverse("curriculum:topic", args=[topic.slug])).content.decode()
    assert "Mastered" in client.get(reverse("curriculum:phase", args=[topic.phase.slug])).content.decode()


def test_cohort_dashboard_exports_and_opt_in_leaderboard(client, learner, other_learner):
    from datetime import timedelta

    from django.utils import timezone

    from tests.webapp.cohorts.factories import CohortFactory, MembershipFactory

    cohort = CohortFactory()
    for user in (learner, other_learner):
        MembershipFactory(cohort=cohort, user=user, joined_at=timezone.now() - timedelta(days=3))
        ChallengeAttempt.objects.create(
            user=user, challenge="vad", topic_slug="voice-activity-detection", status="scored",
            score=0.91 if user == learner else 0.5, passed=user == learner,
        )  # fmt: skip
    client.force_login(learner)
    client.post(reverse("cohorts:leaderboard_choice", args=[cohort.pk]), {"visible": "1"})
    client.force_login(cohort.created_by)
    page = client.get(reverse("cohorts:dashboard", args=[cohort.pk])).content.decode()
    assert "0.91 ✓" in page and "0.5" in page
    board = page[page.index("Leaderboard") :]
    assert learner.shown_name in board and other_learner.shown_name not in board  # only who opted in
    csv = b"".join(
        client.get(reverse("cohorts:export_challenges", args=[cohort.pk])).streaming_content
    ).decode()
    assert "vad" in csv and learner.username in csv and "True" in csv
    body = b"".join(client.get(reverse("cohorts:export_xapi", args=[cohort.pk])).streaming_content)
    statements = json.loads(body)
    scored = [s for s in statements if s["verb"]["display"]["en-GB"] == "scored"]
    assert len(scored) == 2 and {s["result"]["success"] for s in scored} == {True, False}


def test_the_result_page_charts_each_file(client, learner):
    from webapp.challenges.selectors import attempt_chart

    breakdown = {"per_file": {"conversation1": {"diarization error rate": 0.2, "total": 20.0},
                              "conversation2": {"diarization error rate": 0.1, "total": 22.0}}}  # fmt: skip
    assert attempt_chart(breakdown=breakdown) == [("conversation1", 0.2, 1.0), ("conversation2", 0.1, 0.5)]
    assert attempt_chart(breakdown={"per_mixture": {"mix1": {"si_sdri_db": [4.0, 8.0]}}}) == [
        ("mix1", 6.0, 1.0)
    ]
    attempt = ChallengeAttempt.objects.create(
        user=learner, challenge="diarization", topic_slug="speaker-diarization", status="scored",
        score=0.15, passed=True, breakdown=breakdown,
    )  # fmt: skip
    client.force_login(learner)
    page = client.get(reverse("challenges:attempt", args=[attempt.pk])).content.decode()
    assert '<meter min="0" max="1" value="0.500"' in page and "conversation2" in page


def test_the_baseline_measured_on_this_server_is_shown(client, learner, settings, tmp_path):
    from webapp.challenges.selectors import baseline_record

    settings.VAR_DIR = tmp_path
    baseline_record(slug="resampling", score=73.55, passed=True, seconds=1.8)
    out = io.StringIO()
    call_command("challenges", "baseline", "resampling", "--missing", stdout=out)
    assert out.getvalue() == ""  # measured already
    page = client.get(reverse("challenges:detail", args=["resampling"])).content.decode()
    assert "which scores <strong>73.55 dB</strong> on this server" in page
