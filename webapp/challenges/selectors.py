"""Reads: challenges of a topic, a learner's attempts and mastered topics, the queue ahead."""

from webapp.challenges.catalog import CHALLENGES
from webapp.challenges.catalog.base import Challenge
from webapp.challenges.models import ChallengeAttempt


def challenges_for_topic(*, topic_slug: str) -> list[Challenge]:
    return [c for c in CHALLENGES.values() if c.topic == topic_slug]


def mastered_topic_slugs(*, user) -> set[str]:
    """Topics whose challenge the learner has passed: mastery, distinct from "done"."""
    if not user.is_authenticated:
        return set()
    return set(ChallengeAttempt.objects.filter(user=user, passed=True).values_list("topic_slug", flat=True))


def attempt_queue_position(*, attempt: ChallengeAttempt) -> int | None:
    if attempt.status != ChallengeAttempt.Status.QUEUED:
        return None
    return ChallengeAttempt.objects.filter(status="queued", created_at__lt=attempt.created_at).count() + 1


def attempt_status_payload(*, attempt: ChallengeAttempt) -> dict:
    return {
        "status": attempt.status,
        "status_label": attempt.get_status_display(),
        "progress": round(attempt.progress, 3),
        "message": attempt.progress_message,
        "queue_position": attempt_queue_position(attempt=attempt),
        "error": attempt.error,
        "finished": attempt.is_finished,
    }
