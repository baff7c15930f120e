"""Submitting and scoring challenge attempts; the pack a learner downloads."""

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from webapp.challenges.catalog import challenge_get
from webapp.challenges.catalog.base import Challenge, SubmissionError
from webapp.challenges.models import ChallengeAttempt
from webapp.challenges.packs import challenge_pack, challenge_seed, pack_zip
from webapp.challenges.submissions import submission_read
from webapp.fragments import fragments_invalidate_user

log = logging.getLogger(__name__)
SCORE_ATTEMPT_TASK = "challenges.score_attempt"  # sent by name: tasks.py imports this module, not the reverse


class AttemptRefused(Exception):
    """Refused before storing (size, quota): the message says why."""


def challenge_pack_zip(*, challenge: Challenge) -> bytes:
    """The pack's zip, built once per deployment seed and kept in storage."""
    name = f"challenges/packs/{challenge.slug}-{challenge_seed(challenge):08x}.zip"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    data = pack_zip(challenge, challenge_pack(challenge))
    default_storage.save(name, ContentFile(data))
    return data


def attempt_submit(*, user, challenge: Challenge, upload, original_name: str) -> ChallengeAttempt:
    """Store the submission and queue its scoring on a worker (after the transaction commits)."""
    from workers.services import task_send

    if upload.size > settings.CHALLENGE_SUBMISSION_MAX_BYTES:
        raise AttemptRefused(
            f"The file is {upload.size / 1e6:.1f} MB; submissions may be at most "
            f"{settings.CHALLENGE_SUBMISSION_MAX_BYTES / 1e6:.0f} MB."
        )
    if upload.size == 0:
        raise AttemptRefused("The uploaded file is empty.")
    recent = ChallengeAttempt.objects.filter(
        user=user, created_at__gte=timezone.now() - dt.timedelta(hours=1)
    )
    if recent.count() >= settings.CHALLENGE_ATTEMPTS_PER_HOUR:
        raise AttemptRefused(
            f"At most {settings.CHALLENGE_ATTEMPTS_PER_HOUR} attempts an hour: try again later."
        )
    attempt = ChallengeAttempt(
        user=user, challenge=challenge.slug, topic_slug=challenge.topic, original_name=original_name[:255]
    )
    attempt.submission.save(original_name or "submission", upload, save=False)
    attempt.save()
    transaction.on_commit(lambda: task_send(SCORE_ATTEMPT_TASK, args=[str(attempt.pk)], queue="cpu"))
    return attempt


def submission_score(*, challenge: Challenge, data: bytes, filename: str, progress=None):
    """Score bytes against this deployment's reference: the one code path for jobs and the CLI."""
    report = progress or (lambda fraction, message: None)
    files = submission_read(data, filename=filename)
    report(0.3, "building the reference")
    pack = challenge_pack(challenge)
    report(0.5, "scoring")
    return challenge.score(files, pack.reference, report)


def attempt_score(*, attempt_id) -> ChallengeAttempt:
    """Score one attempt (idempotent: a finished attempt is left as it is)."""
    attempt = ChallengeAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None or attempt.is_finished:
        return attempt

    def report(fraction: float, message: str) -> None:
        ChallengeAttempt.objects.filter(pk=attempt_id).update(
            progress=fraction, progress_message=message[:200]
        )

    ChallengeAttempt.objects.filter(pk=attempt_id).update(status=ChallengeAttempt.Status.SCORING)
    challenge = challenge_get(attempt.challenge)
    with attempt.submission.open("rb") as handle:
        data = handle.read()
    try:
        result = submission_score(
            challenge=challenge, data=data, filename=attempt.original_name, progress=report
        )
    except SubmissionError as exc:
        ChallengeAttempt.objects.filter(pk=attempt_id).update(
            status=ChallengeAttempt.Status.REFUSED, error=str(exc), finished_at=timezone.now(), progress=1.0
        )
    else:
        ChallengeAttempt.objects.filter(pk=attempt_id).update(
            status=ChallengeAttempt.Status.SCORED, score=result.value, passed=result.passed,
            breakdown=result.breakdown, finished_at=timezone.now(), progress=1.0, progress_message="scored",
        )  # fmt: skip
        # Any score: the learner's cohorts' dashboards show it; a pass is also a mastery badge on
        # their cached phase pages.
        fragments_invalidate_user(user_id=attempt.user_id)
    return ChallengeAttempt.objects.get(pk=attempt_id)
