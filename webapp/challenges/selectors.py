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


HEADLINE_KEYS = (
    "diarization error rate",
    "wer",
    "pesq_wb",
    "si_sdri_db",
    "f1",
    "f_measure",
    "accuracy",
    "eer",
    "score",
)
PER_ITEM_KEYS = (
    "per_clip",
    "per_file",
    "per_clip_f1",
    "per_mixture",
    "per_trial_group",
    "per_keyword",
    "per_class",
)


def _headline(value) -> float | None:
    """One number for a per-item entry: the number itself, a list's mean, or a dict's first figure."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list) and value and all(isinstance(v, int | float) for v in value):
        return float(sum(value) / len(value))
    if isinstance(value, dict):
        # Stored as JSON (PostgreSQL's jsonb reorders keys), so the metric is found by name first.
        for key in HEADLINE_KEYS:
            if key in value and _headline(value[key]) is not None:
                return _headline(value[key])
        for item in value.values():
            number = _headline(item) if not isinstance(item, dict) else None
            if number is not None:
                return number
    return None


def attempt_chart(*, breakdown: dict) -> list[tuple[str, float, float]]:
    """(item, value, bar fraction 0..1) per file/clip/mixture of a scored attempt, for a bar chart."""
    for key in PER_ITEM_KEYS:
        items = breakdown.get(key)
        if isinstance(items, dict) and items:
            values = [(str(name), _headline(value)) for name, value in items.items()]
            values = [(name, v) for name, v in values if v is not None]
            if values:
                top = max(abs(v) for _, v in values) or 1.0
                return [(name, round(v, 4), abs(v) / top) for name, v in values]
    return []


def _baselines_file():
    from django.conf import settings

    return settings.VAR_DIR / "challenge-baselines.json"


def baseline_scores() -> dict[str, dict]:
    """The baseline of each challenge on this server's own packs (`manage.py challenges baseline`)."""
    import json

    path = _baselines_file()
    return json.loads(path.read_text()) if path.is_file() else {}


def baseline_record(*, slug: str, score: float, passed: bool, seconds: float) -> None:
    import json

    scores = baseline_scores() | {slug: {"score": score, "passed": passed, "seconds": seconds}}
    path = _baselines_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(scores, indent=2))
