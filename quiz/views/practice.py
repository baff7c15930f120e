"""Practice pages: home, quiz sets, the review queue, answers and their feedback, readiness by
level and the learner's history."""

from __future__ import annotations

import secrets
import time
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from curriculum.models import Topic
from quiz import selectors, services
from quiz.charts import chart_summary, score_chart_svg
from quiz.forms import AnswerForm, OptionsForm, QuizSetupForm, RatingForm
from quiz.models import Attempt, Level, Question
from webapp.fragments import CSRF_STAND_IN
from webapp.pages import page_get_or_render

SESSION_KEY = "quiz_set"
SET_INFO_KEY = "quiz_set_info"
TOKEN_SALT = "quiz.answer"
OPTIONS_SALT = "quiz.options"
MAX_SECONDS = 3 * 3600  # longer "time taken" means the tab was left open: not recorded
# After a typed answer is stored, its POST waits up to this long for the worker's grade (checked
# every 20 ms), so the learner usually lands on the graded page; a slower grade is polled there.
GRADE_WAIT_SECONDS = 3.0


def question_or_404(question_id) -> Question:
    try:
        return selectors.question_for_answering(question_id=question_id)
    except (Question.DoesNotExist, ValueError, TypeError) as exc:  # unknown, retired or not a number
        raise Http404("No such question") from exc


def _attempt_or_404(attempt_id: int, user) -> Attempt:
    try:
        return selectors.attempt_for_user(attempt_id=attempt_id, user=user)
    except Attempt.DoesNotExist as exc:
        raise Http404("No such answer") from exc


def _answer_form(question: Question, mode: str) -> AnswerForm:
    """A fresh form: the options in a new random order, carried (signed) in the form's token."""
    order = selectors.options_order(question=question, seed=secrets.randbits(32))
    token = signing.dumps({"q": question.id, "t": int(time.time()), "o": order}, salt=TOKEN_SALT)
    initial = {"question": question.id, "token": token, "mode": mode}
    return AnswerForm(question=question, order=order, initial=initial)


def _token_order(token: str, salt: str, **expected) -> list[int] | None:
    """The option order a signed token carries, when it was made for this question or answer."""
    try:
        data = signing.loads(token or "", salt=salt)
    except signing.BadSignature:
        return None
    if any(data.get(k) != v for k, v in expected.items()):
        return None
    order = data.get("o")
    return order if isinstance(order, list) and all(isinstance(i, int) for i in order) else None


def _seconds_from_token(token: str, question_id: int) -> int | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    seconds = int(time.time()) - int(data.get("t", 0))
    return seconds if data.get("q") == question_id and 0 <= seconds <= MAX_SECONDS else None


# Due counts and predicted recall move with the clock, not only with the learner's answers: the
# practice page's kept body is renewed each minute as well as after every change to their answers.
HOME_BODY_SECONDS = 60


def home_body_period(*, user_id: int, now: float) -> int:
    """The minute a learner's kept practice page belongs to. Each learner's minute starts at a
    second of their own (37 is prime to 60: sixty learners in a row, sixty different seconds), so a
    class's pages are renewed one by one, not all in the same second (a p99 spike at 50 users)."""
    offset = (user_id * 37) % HOME_BODY_SECONDS
    return int((now + offset) // HOME_BODY_SECONDS)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    def render_page() -> str:
        context = {
            "retention": selectors.retention_stats(user=request.user),
            "levels": selectors.readiness_by_level(user=request.user),
            "recent": selectors.attempts_for_history(user=request.user, limit=5),
            "open_mock": selectors.mock_open_for_user(user=request.user),
            "csrf_token": CSRF_STAND_IN,  # the page is kept: each response fills in its own token
        }
        return render_to_string("quiz/home.html", context, request=request)

    minute = home_body_period(user_id=request.user.pk, now=time.time())
    return page_get_or_render(
        request, name="practice", render=render_page, parts=(minute,), timeout=2 * HOME_BODY_SECONDS
    )


# ---------------------------------------------------------------------------------------------
# Quiz sets and the review queue


def _start_set(request: HttpRequest, *, topics, level: str | None, count: int) -> HttpResponse:
    ids = selectors.quiz_questions_pick(user=request.user, topics=topics, level=level or None, count=count)
    if not ids:
        messages.error(request, "No questions match that choice yet. Try more topics or any level.")
        return redirect("quiz:quiz_new")
    request.session[SESSION_KEY] = {"ids": ids, "pos": 0}
    # What the learner picked and when, for the topic shown on each question and the final score.
    request.session[SET_INFO_KEY] = {"topics": [t.id for t in topics], "started": timezone.now().isoformat()}
    return redirect("quiz:quiz_play")


def _set_score(request: HttpRequest, ids: list[int]) -> dict[str, int | None]:
    """The set's result: the latest quiz answer to each of its questions since the set started."""
    info = request.session.get(SET_INFO_KEY) or {}
    started = datetime.fromisoformat(info["started"]) if info.get("started") else timezone.now()
    attempts = Attempt.objects.filter(
        user=request.user, question_id__in=ids, mode="quiz", created_at__gte=started
    )
    latest = {a.question_id: a for a in attempts.order_by("created_at")}
    # The same mastery (text score and options averaged) that drives the learner's review cards.
    scores = [services.attempt_mastery(a) for a in latest.values() if a.status == Attempt.Status.GRADED]
    percent = round(100 * sum(scores) / len(scores)) if scores else None
    return {
        "answered": len(latest),
        "graded": len(scores),
        "pending": len(latest) - len(scores),
        "percent": percent,
    }


def _shown_topic(request: HttpRequest, question: Question) -> Topic:
    """The topic a question is shown under: one the learner picked, else the question's main one."""
    picked = (request.session.get(SET_INFO_KEY) or {}).get("topics") or []
    chosen = (
        question.topics.filter(id__in=picked).order_by("phase__order", "order").first() if picked else None
    )
    return chosen or question.main_topic


@login_required
def quiz_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = QuizSetupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            return _start_set(request, topics=list(data["topics"]), level=data["level"], count=data["count"])
    else:
        initial = {"topics": request.GET.getlist("topics"), "level": request.GET.get("level", "")}
        if request.GET.get("count", "").isdigit():  # an assignment's "Start the quiz" asks for its count
            initial["count"] = min(int(request.GET["count"]), QuizSetupForm.MAX_COUNT)
        form = QuizSetupForm(initial=initial)
    return render(request, "quiz/quiz_new.html", {"form": form})


@login_required
@require_POST
def practice_set(request: HttpRequest) -> HttpResponse:
    """One click from the readiness page: a set over the given topics at the given level."""
    topics = list(Topic.objects.active().filter(slug__in=request.POST.getlist("topics")))
    level = request.POST.get("level", "")
    level = level if level in Level.values else None
    return _start_set(request, topics=topics, level=level, count=10)


@login_required
def quiz_play(request: HttpRequest) -> HttpResponse:
    current = request.session.get(SESSION_KEY) or {}
    ids, pos = current.get("ids", []), current.get("pos", 0)
    if not ids:
        return redirect("quiz:quiz_new")
    if pos >= len(ids):
        return render(request, "quiz/quiz_done.html", {"count": len(ids), "score": _set_score(request, ids)})
    try:
        question = selectors.question_for_answering(question_id=ids[pos])
    except Question.DoesNotExist:  # retired since the set was made: skip it
        request.session[SESSION_KEY] = {"ids": ids, "pos": pos + 1}
        return redirect("quiz:quiz_play")
    context = {
        "question": question,
        "form": _answer_form(question, "quiz"),
        "shown_topic": _shown_topic(request, question),
        "position": pos + 1,
        "total": len(ids),
    }
    return render(request, "quiz/question.html", context)


@login_required
def review(request: HttpRequest) -> HttpResponse:
    due = list(selectors.due_cards(user=request.user)[:50])
    question = selectors.question_for_answering(question_id=due[0].question_id) if due else None
    context = {
        "due": due,
        "question": question,
        "form": _answer_form(question, "review") if question else None,
        "now": timezone.now(),
    }
    return render(request, "quiz/review.html", context)


@login_required
@require_POST
def answer(request: HttpRequest) -> HttpResponse:
    question = question_or_404(request.POST.get("question") or 0)
    order = _token_order(request.POST.get("token", ""), TOKEN_SALT, q=question.id)
    form = AnswerForm(request.POST, question=question, order=order)
    if form.is_valid():
        mode = form.cleaned_data["mode"]
        try:
            attempt = services.attempt_submit(
                user=request.user, question=question, mode=mode,
                answer_text=form.cleaned_data.get("answer") or "", option_ids=form.option_ids(),
                options_shown=form.options_shown(),
                seconds_taken=_seconds_from_token(form.cleaned_data["token"], question.id),
            )  # fmt: skip
        except services.AnswerRefused as exc:
            form.add_error(None, str(exc))
        else:
            _advance_set(request, question.id)
            if attempt.status == Attempt.Status.GRADING:
                selectors.attempt_wait_graded(attempt_id=attempt.id, timeout=GRADE_WAIT_SECONDS)
            return redirect("quiz:attempt", attempt_id=attempt.id)
    template = "quiz/review.html" if request.POST.get("mode") == "review" else "quiz/question.html"
    context = {"question": question, "form": form, "due": [], "position": None}
    return render(request, template, context, status=400)


def _advance_set(request: HttpRequest, question_id: int) -> None:
    current = request.session.get(SESSION_KEY) or {}
    ids, pos = current.get("ids", []), current.get("pos", 0)
    if pos < len(ids) and ids[pos] == question_id:
        request.session[SESSION_KEY] = {"ids": ids, "pos": pos + 1}


def _options_open(attempt: Attempt, question: Question) -> bool:
    """Options to answer after the free text: graded ("both"), or a principal's self-check."""
    if not question.has_options or attempt.selected_options or attempt.mode == Attempt.Mode.MOCK:
        return False
    if attempt.status == Attempt.Status.OPTIONS:
        return True
    return attempt.status == Attempt.Status.GRADED and not attempt.options_counted


def _options_form(question: Question, attempt: Attempt) -> OptionsForm:
    order = selectors.options_order(question=question, seed=secrets.randbits(32))
    token = signing.dumps({"a": attempt.id, "o": order}, salt=OPTIONS_SALT)
    return OptionsForm(question=question, order=order, initial={"token": token})


@login_required
def attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt_or_404(attempt_id, request.user)  # spoken answers are graded on the worker
    question = selectors.question_with_details(question_id=attempt.question_id)
    next_url = {
        Attempt.Mode.QUIZ: reverse("quiz:quiz_play"),
        Attempt.Mode.REVIEW: reverse("quiz:review"),
        Attempt.Mode.MOCK: reverse("quiz:mock", args=[attempt.mock_id]) if attempt.mock_id else "",
    }.get(attempt.mode, "")
    waiting = attempt.status in (Attempt.Status.GRADING, Attempt.Status.OPTIONS)
    context = {
        "attempt": attempt,
        "question": question,
        "options": _options_feedback(question, attempt),
        "options_form": _options_form(question, attempt) if _options_open(attempt, question) else None,
        "rating_form": RatingForm(initial={"rating": attempt.rating}),
        "card": selectors.card_for(user=request.user, question_id=attempt.question_id),
        "next_url": "" if waiting else next_url,
    }
    return render(request, "quiz/attempt.html", context)


def _options_feedback(question: Question, attempt: Attempt) -> list[tuple]:
    """The options in the order this attempt showed them, each with whether the learner chose it."""
    if not attempt.selected_options:
        return []
    chosen = set(attempt.selected_options)
    options = {o.text: o for o in question.options.all()}
    shown = [options[t] for t in attempt.options_shown if t in options]
    shown += [o for o in options.values() if o not in shown]  # options rewritten since come last
    return [(o, o.text in chosen) for o in shown]


@login_required
def attempt_status(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """What the feedback page polls while a worker grades the answer (reads only)."""
    attempt = _attempt_or_404(attempt_id, request.user)
    waiting = attempt.status in (Attempt.Status.PENDING, Attempt.Status.GRADING)
    label = attempt.get_status_display()
    return JsonResponse({"status": attempt.status, "status_label": label, "finished": not waiting})


@login_required
@require_POST
def attempt_options(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt_or_404(attempt_id, request.user)
    question = selectors.question_with_details(question_id=attempt.question_id)
    order = _token_order(request.POST.get("token", ""), OPTIONS_SALT, a=attempt.id)
    form = OptionsForm(request.POST, question=question, order=order)
    if not form.is_valid():
        messages.error(request, "Choose one of the options.")
        return redirect("quiz:attempt", attempt_id=attempt.id)
    try:
        services.attempt_options_submit(
            attempt=attempt,
            user=request.user,
            option_ids=form.option_ids(),
            options_shown=form.options_shown(),
        )
    except services.AnswerRefused as exc:
        messages.error(request, str(exc))
    return redirect("quiz:attempt", attempt_id=attempt.id)


@login_required
@require_POST
def attempt_rate(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt_or_404(attempt_id, request.user)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.attempt_rating_override(
                attempt=attempt, user=request.user, rating=form.cleaned_data["rating"]
            )
        except services.AnswerRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Your rating is recorded and the question rescheduled.")
    else:
        messages.error(request, "Choose one of the four ratings.")
    return redirect("quiz:attempt", attempt_id=attempt.id)


# ---------------------------------------------------------------------------------------------
# Readiness and history


@login_required
def readiness(request: HttpRequest) -> HttpResponse:
    context = {
        "levels": selectors.readiness_by_level(user=request.user),
        "recall": selectors.recall_by_topic(user=request.user),
        "retention": selectors.retention_stats(user=request.user),
    }
    return render(request, "quiz/readiness.html", context)


@login_required
def history(request: HttpRequest) -> HttpResponse:
    series = selectors.score_series(user=request.user)
    context = {
        "attempts": selectors.attempts_for_history(user=request.user, limit=100),
        "chart": score_chart_svg(series),
        "summary": chart_summary(series),
    }
    return render(request, "quiz/history.html", context)
