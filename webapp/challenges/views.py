"""Challenge pages: the task and its pack, submitting, and an attempt's result."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from webapp.challenges import selectors
from webapp.challenges.catalog import CHALLENGES
from webapp.challenges.forms import SubmissionForm
from webapp.challenges.models import ChallengeAttempt
from webapp.challenges.services import AttemptRefused, attempt_submit, challenge_pack_zip


def _challenge(slug: str):
    if slug not in CHALLENGES:
        raise Http404("No such challenge")
    return CHALLENGES[slug]


def challenge_list(request: HttpRequest) -> HttpResponse:
    mastered = selectors.mastered_topic_slugs(user=request.user)
    rows = [(c, c.topic in mastered) for c in CHALLENGES.values()]
    return render(request, "challenges/list.html", {"rows": rows})


def challenge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _challenge(slug)
    attempts = (
        ChallengeAttempt.objects.filter(user=request.user, challenge=slug)[:10]
        if request.user.is_authenticated
        else []
    )
    return render(
        request, "challenges/detail.html",
        {"challenge": challenge, "form": SubmissionForm(), "attempts": attempts,
         "baseline": selectors.baseline_scores().get(slug)},
    )  # fmt: skip


@login_required
def challenge_pack(request: HttpRequest, slug: str) -> HttpResponse:
    data = challenge_pack_zip(challenge=_challenge(slug))
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="soundpath-{slug}-pack.zip"'
    return response


@login_required
@require_POST
def challenge_submit(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _challenge(slug)
    form = SubmissionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a file to submit.")
        return redirect("challenges:detail", slug=slug)
    upload = form.cleaned_data["submission"]
    try:
        attempt = attempt_submit(
            user=request.user, challenge=challenge, upload=upload, original_name=upload.name
        )
    except AttemptRefused as exc:
        messages.error(request, str(exc))
        return redirect("challenges:detail", slug=slug)
    return redirect("challenges:attempt", attempt_id=attempt.pk)


def _own_attempt(request: HttpRequest, attempt_id) -> ChallengeAttempt:
    return get_object_or_404(ChallengeAttempt, pk=attempt_id, user=request.user)


@login_required
def attempt_detail(request: HttpRequest, attempt_id) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    challenge = _challenge(attempt.challenge)
    status = selectors.attempt_status_payload(attempt=attempt)
    context = {
        "attempt": attempt, "challenge": challenge, "status": status,
        "breakdown_json": json.dumps(attempt.breakdown, indent=2, ensure_ascii=False),
        "chart": selectors.attempt_chart(breakdown=attempt.breakdown),
        "baseline": selectors.baseline_scores().get(attempt.challenge),
    }  # fmt: skip
    return render(request, "challenges/attempt.html", context)


@login_required
def attempt_status(request: HttpRequest, attempt_id) -> JsonResponse:
    return JsonResponse(selectors.attempt_status_payload(attempt=_own_attempt(request, attempt_id)))
