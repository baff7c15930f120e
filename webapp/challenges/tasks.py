"""Celery task: score one attempt on a worker."""

from celery import shared_task

from webapp.challenges.services import SCORE_ATTEMPT_TASK


@shared_task(name=SCORE_ATTEMPT_TASK, acks_late=True)
def score_attempt(attempt_id: str) -> str:
    from webapp.challenges.services import attempt_score

    attempt = attempt_score(attempt_id=attempt_id)
    return attempt.status if attempt else "gone"
