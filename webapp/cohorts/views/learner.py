"""A learner's side: their cohorts and assignments, joining with a code or an invitation link,
and leaving. Everything here is the signed-in user's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from webapp.accounts.ratelimits import rate_limited
from webapp.cohorts import selectors, services
from webapp.cohorts.forms import JoinForm
from webapp.cohorts.models import Membership
from webapp.cohorts.selectors.assignments import learner_assignments


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    context = {
        "memberships": selectors.memberships_current(user=request.user),
        "assignments": learner_assignments(user=request.user),
        "form": JoinForm(),
    }
    return render(request, "cohorts/mine.html", context)


def _join(request: HttpRequest, code: str) -> HttpResponse:
    try:
        membership = services.membership_join(user=request.user, code=code)
    except services.CohortError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"You joined {membership.cohort.name}. Its instructors now see what you do from today."
        )
    return redirect("cohorts:mine")


# Join codes are short secrets: guessing is limited per learner (a wrong code and an invitation page
# both count, since a 404 tells a wrong code apart).
_join_limit = rate_limited(
    group="join-code", setting="RATE_LIMIT_JOIN_CODE", keys=("user",), method=("GET", "POST")
)


@login_required
@_join_limit
def join(request: HttpRequest) -> HttpResponse:
    """Where a learner given only a code types it (the navigation links here)."""
    if request.method != "POST":
        return render(request, "cohorts/join.html", {"cohort": None, "form": JoinForm()})
    form = JoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the invitation code your instructor gave you.")
        return redirect("cohorts:mine")
    return _join(request, form.cleaned_data["code"])


@login_required
@_join_limit
def join_link(request: HttpRequest, code: str) -> HttpResponse:
    """The invitation link: what joining means, then one button (joining is a POST)."""
    cohort = selectors.cohort_for_code(code=code)
    if cohort is None:
        return render(request, "cohorts/join.html", {"cohort": None}, status=404)
    if request.method == "POST":
        return _join(request, code)
    return render(request, "cohorts/join.html", {"cohort": cohort, "code": code})


@login_required
@require_POST
def leave(request: HttpRequest, cohort_id: int) -> HttpResponse:
    try:
        membership = selectors.membership_current(user=request.user, cohort_id=cohort_id)
    except Membership.DoesNotExist as exc:
        raise Http404("You are not in that cohort") from exc
    services.membership_end(membership=membership)
    messages.success(
        request, f"You left {membership.cohort.name}: its instructors no longer see your new activity."
    )
    return redirect("cohorts:mine")


@login_required
@require_POST
def leaderboard_choice(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """The learner's own opt-in (or out) of the cohort's challenge leaderboard."""
    try:
        membership = selectors.membership_current(user=request.user, cohort_id=cohort_id)
    except Membership.DoesNotExist as exc:
        raise Http404("You are not in that cohort") from exc
    services.membership_leaderboard_set(membership=membership, visible=request.POST.get("visible") == "1")
    return redirect("cohorts:mine")
