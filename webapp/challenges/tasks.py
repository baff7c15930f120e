"""Celery task: score one attempt on a worker."""

from celery import shared_task


@shared_task(name="challenges.score_attempt", acks_late=True)
def score_attempt(attempt_id: str) -> str:
    from webapp.challenges.services import attempt_score

    attempt = attempt_score(attempt_id=attempt_id)
    return attempt.status if attempt else "gone"
