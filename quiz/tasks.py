"""Celery tasks of interview practice: thin wrappers that take ids and call one service each (the web
process never loads the sentence encoder)."""

from celery import shared_task

from quiz.services import GRADE_ATTEMPT_TASK, SPOKEN_ANSWER_GRADE_TASK, attempts_settle_for_recording
from workers.procedures import EngineNeed, engines_load

# What grading is handed on the worker; the registry there loads it once per worker process.
GRADING_NEEDS = (EngineNeed("sentence-embedding"),)


@shared_task(name=SPOKEN_ANSWER_GRADE_TASK, acks_late=True, ignore_result=True)
def spoken_answer_grade(job_id: str) -> None:
    """Idempotent (attempt_settle grades a pending attempt once, under a row lock), so acks_late."""
    attempts_settle_for_recording(job_id=job_id)


@shared_task(name=GRADE_ATTEMPT_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def grade_attempt(attempt_id: int) -> None:
    """Grade a typed answer, or a spoken one whose transcription finished, with the other typed
    answers waiting at that moment in one encoder pass; idempotent, so a redelivered message or a
    second request changes nothing. The worker lends the sentence
    encoder through `engines_load`, as it does to procedures; quiz code never looks one up."""
    from quiz.services import attempts_grade_batch

    (encoder,) = engines_load(GRADING_NEEDS)
    attempts_grade_batch(attempt_id=attempt_id, encoder=encoder)
