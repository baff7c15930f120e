"""Celery tasks of the quiz: grading answers on a worker (the web process never loads the encoder)."""

from celery import shared_task


@shared_task(name="quiz.grade_attempt", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def grade_attempt(attempt_id: int) -> None:
    """Grade a typed answer, or a spoken one whose transcription finished; idempotent, so a
    redelivered message or a second request changes nothing."""
    from quiz.services import attempt_grade

    attempt_grade(attempt_id=attempt_id)
