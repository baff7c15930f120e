"""Quiz writes: grading and storing attempts, FSRS cards, mock interviews (importing: quiz.importing)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from curriculum.models import Topic
from quiz import scheduling, selectors
from quiz.models import Attempt, Card, MockInterview, Question
from webapp.fragments import fragments_invalidate_user

if TYPE_CHECKING:
    from quiz.grading import SentenceEncoder

log = logging.getLogger(__name__)

# An answer that arrives this long after a mock interview's time limit still counts (network, upload).
MOCK_GRACE_SECONDS = 15


class AnswerRefused(ValueError):
    """The answer was not stored; the message says why, for the learner."""


# ---------------------------------------------------------------------------------------------
# Answers: checking, grading, and the FSRS review they drive


def answer_text_check(text: str) -> str:
    """The answer as stored (stripped); refused when longer than QUIZ_ANSWER_MAX_CHARS."""
    text = text.replace("\x00", "").strip()
    limit = settings.QUIZ_ANSWER_MAX_CHARS
    if len(text) > limit:
        raise AnswerRefused(
            f"Your answer is {len(text):,} characters long; the limit is {limit:,}. "
            "Keep it to what you would say in an interview."
        )
    return text


def _grade_options(
    attempt: Attempt, question: Question, option_ids: Iterable[int], shown: Sequence[str]
) -> None:
    options = list(question.options.all())
    chosen = [o for o in options if o.id in set(option_ids)]
    if not chosen:
        raise AnswerRefused("Choose at least one of the options.")
    attempt.selected_options = [o.text for o in chosen]
    attempt.options_correct = {o.id for o in chosen} == {o.id for o in options if o.correct}
    texts = {o.text for o in options}
    attempt.options_shown = [t for t in shown if t in texts] or [o.text for o in options]


def attempt_text_grade(attempt: Attempt, question: Question, text: str, *, encoder: SentenceEncoder) -> None:
    """Grade the free text onto the attempt (worker side: this runs the sentence encoder)."""
    from quiz.grading import KeyPointInput, grade_answer
    from quiz.textnorm import declared_quantity

    points = [
        KeyPointInput(
            kp.text,
            tuple(kp.terms),
            None if kp.numbers is None else tuple(declared_quantity(**n) for n in kp.numbers),
        )
        for kp in question.key_points.all()
    ]
    grade = grade_answer(text, points, prompt=question.prompt, encoder=encoder)
    attempt.score = grade.score
    attempt.points_hit = [p.as_json() for p in grade.hit]
    attempt.points_missed = [p.as_json() for p in grade.missed]
    attempt.notes = list(grade.notes)


def attempt_mastery(attempt: Attempt) -> float:
    """How well this attempt knew the answer, 0..1: the text score and the options, averaged, but
    never below what a correct choice earns on its own (an explanation can only add)."""
    parts = [] if attempt.score is None else [attempt.score]
    counted = attempt.options_correct is not None and attempt.options_counted
    if counted:
        parts.append(1.0 if attempt.options_correct else 0.0)
    mean = sum(parts) / len(parts) if parts else 0.0
    return max(mean, 1.0) if counted and attempt.options_correct else mean


def _card_review(attempt: Attempt, *, now: datetime) -> None:
    """Rate the attempt from its grade and move the learner's card for the question accordingly."""
    card, _ = Card.objects.select_for_update().get_or_create(
        user_id=attempt.user_id,
        question_id=attempt.question_id,
        defaults={"state": scheduling.new_state(), "due": now},
    )
    options_correct = attempt.options_correct if attempt.options_counted else None
    attempt.graded_rating = attempt.rating = scheduling.rating_for_answer(
        options_correct=options_correct, score=attempt.score
    )
    attempt.card_before = card.state
    review = scheduling.review(card.state, attempt.rating, now=now)
    card.state, card.due, card.last_review = review.state, review.due, review.last_review
    card.last_score = attempt_mastery(attempt)
    card.reviews += 1
    card.lapses += review.lapsed
    card.save()


def attempt_submit(
    *,
    user,
    question: Question,
    mode: str,
    answer_text: str = "",
    option_ids: Sequence[int] = (),
    options_shown: Sequence[str] = (),
    seconds_taken: int | None = None,
    mock: MockInterview | None = None,
) -> Attempt:
    """Store a typed answer. Options alone (multiple choice) are graded here; free text goes to
    a worker (status "grading"). A "both" question takes its free text first: the options come
    after it is graded (status "options", answered with attempt_options_submit)."""
    text = answer_text_check(answer_text)
    attempt = Attempt(user=user, question=question, mode=mode, mock=mock, seconds_taken=seconds_taken)
    attempt.options_counted = question.options_graded and mode != Attempt.Mode.MOCK
    if attempt.options_counted and question.kind == Question.Kind.MCQ:
        _grade_options(attempt, question, option_ids, options_shown)
        with transaction.atomic():
            _card_review(attempt, now=timezone.now())
            attempt.save()
            fragments_invalidate_user(user_id=attempt.user_id)  # e.g. their cohorts' dashboards
        return attempt
    optional = attempt.options_counted  # "both": the explanation may be skipped, the options may not
    if not text and not optional:
        raise AnswerRefused("Your answer is empty. Write what you would say in the interview.")
    attempt.answer_text = text
    attempt.status = Attempt.Status.GRADING if text else Attempt.Status.OPTIONS
    with transaction.atomic():
        attempt.save()
        fragments_invalidate_user(user_id=attempt.user_id)
        if text:
            attempt_grading_enqueue(attempt=attempt)
    return attempt


def attempt_options_submit(
    *, attempt: Attempt, user, option_ids: Sequence[int], options_shown: Sequence[str] = ()
) -> Attempt:
    """The options after the free text: graded and combined with it ("both"), or, for a principal
    question, kept as a self-check beside the graded answer without changing its rating."""
    if attempt.user_id != user.id:
        raise PermissionError("Only the learner who answered can choose the options.")
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().select_related("question").get(id=attempt.id)
        question = locked.question
        self_check = not locked.options_counted and locked.status == Attempt.Status.GRADED
        if (
            not question.has_options
            or locked.selected_options
            or not (self_check or locked.status == Attempt.Status.OPTIONS)
        ):
            raise AnswerRefused("These options are not open for this answer.")
        _grade_options(locked, question, option_ids, options_shown)
        if not self_check:
            locked.status = Attempt.Status.GRADED
            _card_review(locked, now=timezone.now())
        locked.save()
        fragments_invalidate_user(user_id=locked.user_id)
    return locked


def attempt_grading_enqueue(*, attempt: Attempt) -> None:
    """Web side of grading: send the attempt to a worker once the transaction that stored it commits."""
    from workers.services import task_send

    limit = settings.JOB_TIME_LIMITS.get("sentence-embedding", settings.JOB_TIME_LIMIT_DEFAULT)
    transaction.on_commit(
        lambda: task_send(
            GRADE_ATTEMPT_TASK, args=[attempt.id], queue="cpu", soft_time_limit=limit, time_limit=limit + 10
        )
    )


def attempt_grade(*, attempt_id: int, encoder: SentenceEncoder) -> Attempt:
    """Worker side of grading (idempotent): a transcribed spoken answer takes its transcript, then
    the free text is graded with `encoder` (the task's); the card is reviewed, unless a "both"
    question's options come next."""
    from quiz.delivery import analyse_delivery

    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("question", "recording")
            .get(id=attempt_id)
        )
        if attempt.status not in (Attempt.Status.PENDING, Attempt.Status.GRADING):
            return attempt  # settled already: a redelivered message, or graded in another's batch
        transaction.on_commit(lambda: _announce_settled(attempt))
        if attempt.status == Attempt.Status.PENDING:
            _transcript_take(attempt, analyse_delivery)
        fragments_invalidate_user(user_id=attempt.user_id)  # on commit: the grade is then visible
        if attempt.status != Attempt.Status.GRADING:
            attempt.save()
            return attempt
        attempt_text_grade(attempt, attempt.question, attempt.answer_text, encoder=encoder)
        options_next = attempt.options_counted and attempt.question.kind == Question.Kind.BOTH
        if options_next:
            attempt.status = Attempt.Status.OPTIONS
        else:
            attempt.status = Attempt.Status.GRADED
            _card_review(attempt, now=timezone.now())
        attempt.save()
    return attempt


GRADE_BATCH_MAX = 16  # answers encoded in one pass: a class answering at once, not a backlog's worth


def attempts_grade_batch(*, attempt_id: int, encoder: SentenceEncoder) -> Attempt:
    """Grade this attempt and the other typed answers already waiting to be graded, encoding all
    their sentences in one pass: under load the encoder's fixed cost per call, not the words, is
    what limits graded answers a second. The others' own messages then find them graded and change
    nothing (attempt_grade is idempotent); one that fails here is left to its own message, and
    only recent ones join (an answer stuck for minutes is its own message's business)."""
    from quiz.grading import PrimedEncoder, encoder_texts

    others = list(
        Attempt.objects.filter(
            status=Attempt.Status.GRADING, created_at__gte=timezone.now() - timedelta(minutes=5)
        )
        .exclude(id=attempt_id)
        .order_by("created_at", "id")
        .values_list("id", flat=True)[: GRADE_BATCH_MAX - 1]
    )
    waiting = Attempt.objects.filter(id__in=[attempt_id, *others], status=Attempt.Status.GRADING)
    texts = [
        text
        for answer, prompt in waiting.values_list("answer_text", "question__prompt")
        for text in encoder_texts(answer, prompt)
    ]
    primed = PrimedEncoder(encoder, texts)
    graded = attempt_grade(attempt_id=attempt_id, encoder=primed)
    for other_id in others:
        try:
            attempt_grade(attempt_id=other_id, encoder=primed)
        except Exception:  # its own message retries it and reports the error there
            log.exception("grading attempt %s alongside %s failed", other_id, attempt_id)
    return graded


def _announce_settled(attempt: Attempt) -> None:
    """Tell a POST waiting for this grade (selectors.attempt_wait_graded) through the shared cache,
    once the grade is committed; a spoken answer still waiting for its transcript is not settled."""
    if attempt.status not in (Attempt.Status.PENDING, Attempt.Status.GRADING):
        cache.set(selectors.attempt_settled_key(attempt.id), 1, selectors.SETTLED_KEY_SECONDS)


def _transcript_take(attempt: Attempt, analyse_delivery) -> None:
    """A spoken answer whose ASR job has finished: its transcript becomes the answer (or it fails)."""
    job = attempt.recording
    if job is not None and not job.is_finished:
        return
    result = (job.result or {}) if job is not None else {}
    text = str(result.get("text", "")).strip()[: settings.QUIZ_ANSWER_MAX_CHARS]
    if job is None or job.status != "succeeded":
        reason = (job.error or job.get_status_display()) if job else "the recording was deleted"
        attempt.status, attempt.error = Attempt.Status.FAILED, f"Transcription failed: {reason}"
    elif not text:
        attempt.status = Attempt.Status.FAILED
        attempt.error = "No speech was recognised in the recording. Record it again or type your answer."
    else:
        attempt.transcript = attempt.answer_text = text
        attempt.delivery = analyse_delivery(result.get("words") or []).as_json()
        attempt.status = Attempt.Status.GRADING


def attempt_rating_override(*, attempt: Attempt, user, rating: int) -> Attempt:
    """The learner's own rating replaces the grade's; the card is rescheduled from before the attempt."""
    if attempt.user_id != user.id:
        raise PermissionError("Only the learner who answered can re-rate an answer.")
    if rating not in Attempt.Rating.values:
        raise AnswerRefused(f"Unknown rating {rating!r}.")
    if attempt.status != Attempt.Status.GRADED or attempt.card_before is None:
        raise AnswerRefused("This answer has not been graded, so there is nothing to re-rate.")
    with transaction.atomic():
        card = Card.objects.select_for_update().get(user=user, question_id=attempt.question_id)
        latest = (
            Attempt.objects.filter(user=user, question_id=attempt.question_id, status=Attempt.Status.GRADED)
            .order_by("-created_at", "-id")
            .values_list("id", flat=True)
            .first()
        )
        if latest != attempt.id:
            raise AnswerRefused(
                "Only your latest answer to a question can be re-rated; a later review already built on this one."
            )
        was = scheduling.review(attempt.card_before, attempt.rating, now=attempt.created_at)
        review = scheduling.review(attempt.card_before, rating, now=attempt.created_at)
        card.state, card.due, card.last_review = review.state, review.due, review.last_review
        card.lapses = max(0, card.lapses - was.lapsed + review.lapsed)
        card.save()
        attempt.rating = rating
        attempt.rating_overridden = rating != attempt.graded_rating
        attempt.save(update_fields=["rating", "rating_overridden"])
        fragments_invalidate_user(user_id=attempt.user_id)  # the card's forecast
    return attempt


# ---------------------------------------------------------------------------------------------
# Mock interviews, with typed or spoken answers


def mock_start(
    *, user, level: str, topics: Sequence[Topic], question_count: int, minutes: int
) -> MockInterview:
    from quiz.selectors import mock_questions_pick

    ids = mock_questions_pick(user=user, level=level, topics=topics, count=question_count)
    if not ids:
        raise AnswerRefused("No interview questions match that level and those topics yet.")
    mock = MockInterview.objects.create(
        user=user, level=level, question_count=len(ids), time_limit_seconds=minutes * 60,
        question_ids=ids, started_at=timezone.now(),
    )  # fmt: skip
    mock.topics.set(topics)
    fragments_invalidate_user(user_id=user.pk)
    return mock


def mock_deadline(mock: MockInterview) -> datetime:
    return mock.started_at + timedelta(seconds=mock.time_limit_seconds)


def mock_closed_at(mock: MockInterview, *, now: datetime) -> datetime | None:
    """When the interview ended — finished, or its time ran out — or None while it runs. Read-only,
    so a page (GET) can tell without writing anything."""
    if mock.finished_at is not None:
        return mock.finished_at
    deadline = mock_deadline(mock)
    return deadline if now > deadline else None


def _mock_check_open(mock: MockInterview, question: Question, now: datetime) -> None:
    if mock.is_finished:
        raise AnswerRefused("This mock interview has finished; start a new one to keep practising.")
    if now > mock_deadline(mock) + timedelta(seconds=MOCK_GRACE_SECONDS):
        mock_finish(mock=mock)
        raise AnswerRefused("Time is up: the answer arrived after the interview's time limit.")
    if question.id not in mock.question_ids:
        raise AnswerRefused("That question is not part of this interview.")
    answered = mock.attempts.filter(question=question).exclude(status=Attempt.Status.FAILED)
    if answered.exists():
        raise AnswerRefused("You have already answered this question.")


def _mock_seconds(mock: MockInterview, now: datetime) -> int:
    """Time on this question: since the previous answer, or since the start."""
    last = mock.attempts.order_by("-created_at").values_list("created_at", flat=True).first()
    return max(0, round((now - max(filter(None, [last, mock.started_at]))).total_seconds()))


def mock_answer_typed(*, user, mock: MockInterview, question: Question, answer_text: str) -> Attempt:
    now = timezone.now()
    _mock_check_open(mock, question, now)
    return attempt_submit(
        user=user, question=question, mode=Attempt.Mode.MOCK, answer_text=answer_text,
        seconds_taken=_mock_seconds(mock, now), mock=mock,
    )  # fmt: skip


# Named on the ASR job of a spoken answer (InferenceJob.follow_up; the task is in quiz/tasks.py):
# the worker sends it with the job's id once the transcription has finished, so grading never
# waits for someone to open a page.
GRADE_ATTEMPT_TASK = "quiz.grade_attempt"  # sent by name: tasks.py imports this module, not the reverse
SPOKEN_ANSWER_GRADE_TASK = "quiz.spoken_answer_grade"


def mock_answer_spoken(*, user, mock: MockInterview, question: Question, upload) -> Attempt:
    """Send the recording (a workers.services.UploadedInput) to the platform's ASR as a job; the
    attempt is graded on the worker as soon as the transcript exists (quiz.tasks.spoken_answer_grade)."""
    from workers.services import JobRefused, job_submit

    now = timezone.now()
    _mock_check_open(mock, question, now)
    # One transaction: the job is enqueued on commit, so its follow-up always finds the attempt.
    with transaction.atomic():
        try:
            job = job_submit(
                user=user, capability="asr", files=[upload], origin="mock-interview",
                follow_up=SPOKEN_ANSWER_GRADE_TASK,
            )  # fmt: skip
        except JobRefused as exc:
            raise AnswerRefused(
                f"The recording could not be transcribed: {exc} You can type the answer instead."
            ) from exc
        fragments_invalidate_user(user_id=user.pk)
        return Attempt.objects.create(
            user=user, question=question, mode=Attempt.Mode.MOCK, mock=mock, status=Attempt.Status.PENDING,
            recording=job, seconds_taken=_mock_seconds(mock, now),
        )  # fmt: skip


def attempt_settle(*, attempt: Attempt) -> Attempt:
    """Send a spoken answer whose ASR job has finished to a worker for grading (attempt_grade
    takes the transcript; sending twice is harmless). Writes nothing; never grades in-process."""
    if attempt.status != Attempt.Status.PENDING:
        return attempt
    job = attempt.recording
    if job is not None:
        job.refresh_from_db()
        if not job.is_finished:
            return attempt
    attempt_grading_enqueue(attempt=attempt)
    return attempt


def attempts_settle_for_recording(*, job_id) -> list[Attempt]:
    """On a worker, once a spoken answer's ASR job has finished: grade the attempts waiting for it."""
    pending = Attempt.objects.filter(recording_id=job_id, status=Attempt.Status.PENDING).select_related(
        "recording"
    )
    return [attempt_settle(attempt=attempt) for attempt in pending]


def mock_finish(*, mock: MockInterview) -> MockInterview:
    """Close the interview; spoken answers still being transcribed are graded when their job ends."""
    if mock.finished_at is None:
        mock.finished_at = min(timezone.now(), mock_deadline(mock) + timedelta(seconds=MOCK_GRACE_SECONDS))
        mock.save(update_fields=["finished_at"])
        fragments_invalidate_user(user_id=mock.user_id)
    return mock
