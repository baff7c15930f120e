"""Evidence writes: a predict-then-run prediction is recorded before its run and settled once after it.

Independent of how the run happens (in the web process for light DSP, or as a job on a worker): the
caller commits, runs however it runs, then settles with what the run found.
"""

from django.db import transaction
from django.utils import timezone

from demos.models import PredictionAttempt
from webapp.fragments import fragments_invalidate_user


class EvidenceError(ValueError):
    """A refused evidence write; the message says why."""


def prediction_commit(
    *, user, demo: str, exercise: str, topic_slug: str, prediction: str
) -> PredictionAttempt:
    """Store the prediction before the run. If this learner has already seen this exercise's answer,
    the attempt is a replay: kept (they may try again) but never counted as evidence."""
    from curriculum.models import Topic

    if not prediction:
        raise EvidenceError("Commit a prediction first: pick one of the answers.")
    seen = PredictionAttempt.objects.filter(user=user, exercise=exercise, answered_at__isnull=False).exists()
    fragments_invalidate_user(user_id=user.pk)  # activity: their cohorts' dashboards
    return PredictionAttempt.objects.create(
        user=user, demo=demo, exercise=exercise, prediction=prediction[:200],
        topic=Topic.objects.filter(slug=topic_slug).first(), replay=seen,
    )  # fmt: skip


@transaction.atomic
def prediction_settle(*, attempt: PredictionAttempt, answer: str, measured: dict) -> PredictionAttempt:
    """Record what the run found against the stored prediction, once: a second settle (a replayed
    answer) is refused."""
    locked = PredictionAttempt.objects.select_for_update().get(pk=attempt.pk)
    if locked.answered_at is not None:
        raise EvidenceError("This prediction already has its answer.")
    locked.correct = locked.prediction == answer
    locked.measured, locked.answered_at = measured, timezone.now()
    locked.save(update_fields=["correct", "measured", "answered_at"])
    fragments_invalidate_user(user_id=locked.user_id)
    return locked
