"""Mock interview pages: set-up, one question at a time against the clock (typed, recorded in the
browser, or uploaded), finishing, and the report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from quiz import selectors, services
from quiz.forms import MockAnswerForm, MockSetupForm, RecordingForm
from quiz.models import Attempt, Level, MockInterview, Question
from quiz.views.practice import question_or_404


def _mock_or_404(mock_id: int, user) -> MockInterview:
    try:
        return selectors.mock_for_user(mock_id=mock_id, user=user)
    except MockInterview.DoesNotExist as exc:
        raise Http404("No such interview") from exc


@login_required
def mock_new(request: HttpRequest) -> HttpResponse:
    form = MockSetupForm(request.POST or None, initial={"level": request.GET.get("level", Level.MID)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mock = services.mock_start(
                user=request.user, level=data["level"], topics=list(data["topics"]),
                question_count=data["count"], minutes=data["minutes"],
            )  # fmt: skip
        except services.AnswerRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("quiz:mock", mock_id=mock.id)
    return render(request, "quiz/mock_new.html", {"form": form})


@login_required
def mock_detail(request: HttpRequest, mock_id: int) -> HttpResponse:
    mock = _mock_or_404(mock_id, request.user)
    now = timezone.now()
    if services.mock_closed_at(mock, now=now) is not None:  # time is up: a GET writes nothing, the
        return redirect("quiz:mock_report", mock_id=mock.id)  # report shows the interview as it ended
    next_id = selectors.mock_next_question_id(mock=mock)
    question = selectors.question_with_details(question_id=next_id) if next_id else None
    return render(request, "quiz/mock.html", _mock_context(mock, question, now))


def _mock_context(
    mock: MockInterview, question: Question | None, now, *, answer_form=None, recording_form=None
) -> dict:
    attempts = list(mock.attempts.select_related("question", "recording").order_by("created_at"))
    answered = {a.question_id for a in attempts if a.status != Attempt.Status.FAILED}
    current = question.id if question else None
    return {
        "mock": mock,
        "question": question,
        "pending": [a for a in attempts if a.status == Attempt.Status.PENDING],
        "failed": [a for a in attempts if a.status == Attempt.Status.FAILED and a.question_id == current],
        "position": len(answered) + 1,
        "seconds_left": max(0, round((services.mock_deadline(mock) - now).total_seconds())),
        "answer_form": answer_form or MockAnswerForm(initial={"question": current}),
        "recording_form": recording_form or RecordingForm(initial={"question": current}),
    }


def _mock_question(mock: MockInterview, question_id) -> Question:
    try:
        planned = int(question_id) in mock.question_ids
    except (TypeError, ValueError):
        planned = False
    if not planned:
        raise Http404("That question is not part of this interview")
    return question_or_404(question_id)


@login_required
@require_POST
def mock_answer(request: HttpRequest, mock_id: int) -> HttpResponse:
    mock = _mock_or_404(mock_id, request.user)
    form = MockAnswerForm(request.POST)
    if form.is_valid():
        question = _mock_question(mock, form.cleaned_data["question"])
        try:
            services.mock_answer_typed(
                user=request.user, mock=mock, question=question, answer_text=form.cleaned_data["answer"]
            )
        except services.AnswerRefused as exc:
            form.add_error("answer", str(exc))
        else:
            messages.success(request, "Answer saved. Here is the next question.")
            return redirect("quiz:mock", mock_id=mock.id)
        context = _mock_context(mock, question, timezone.now(), answer_form=form)
        return render(request, "quiz/mock.html", context, status=400)
    return redirect("quiz:mock", mock_id=mock.id)


@login_required
@require_POST
def mock_record(request: HttpRequest, mock_id: int) -> HttpResponse:
    from workers.services import UploadedInput

    mock = _mock_or_404(mock_id, request.user)
    form = RecordingForm(request.POST, request.FILES)
    question = _mock_question(mock, request.POST.get("question"))
    if form.is_valid():
        audio = form.cleaned_data["audio"]
        upload = UploadedInput("audio", audio, audio.name or "answer.webm", audio.size)
        try:
            services.mock_answer_spoken(user=request.user, mock=mock, question=question, upload=upload)
        except services.AnswerRefused as exc:
            form.add_error("audio", str(exc))
        else:
            messages.success(request, "Recording received: it is being transcribed while you go on.")
            return redirect("quiz:mock", mock_id=mock.id)
    context = _mock_context(mock, question, timezone.now(), recording_form=form)
    return render(request, "quiz/mock.html", context, status=400)


@login_required
@require_POST
def mock_finish(request: HttpRequest, mock_id: int) -> HttpResponse:
    mock = _mock_or_404(mock_id, request.user)
    services.mock_finish(mock=mock)
    return redirect("quiz:mock_report", mock_id=mock.id)


@login_required
def mock_report(request: HttpRequest, mock_id: int) -> HttpResponse:
    mock = _mock_or_404(mock_id, request.user)
    closed_at = services.mock_closed_at(mock, now=timezone.now())
    if closed_at is None:
        return redirect("quiz:mock", mock_id=mock.id)
    mock.finished_at = closed_at  # for the report's duration only; never saved from a GET
    return render(request, "quiz/mock_report.html", {"report": selectors.mock_report(mock=mock)})
