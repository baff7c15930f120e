"""Instructor pages: the cohort list and creation, the dashboard, settings (invitation code,
co-owners, members), one learner's read-only drill-down, and assignments with their completion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from quiz import selectors as quiz_selectors
from quiz.charts import chart_summary, score_chart_svg
from quiz.models import MockInterview
from webapp.accounts.models import User
from webapp.cohorts import selectors, services
from webapp.cohorts.dashboard_page import dashboard_body
from webapp.cohorts.forms import AssignmentForm, CohortForm, CoOwnerForm, DashboardForm
from webapp.cohorts.models import Assignment, Cohort, Membership
from webapp.cohorts.selectors import assignments as assignment_selectors
from webapp.cohorts.selectors import learner as learner_selectors


def cohort_or_404(request: HttpRequest, cohort_id: int) -> Cohort:
    try:
        return selectors.cohort_for_owner(cohort_id=cohort_id, user=request.user)
    except Cohort.DoesNotExist as exc:
        raise Http404("No such cohort") from exc


def _learner_or_404(cohort: Cohort, user_id: int) -> User:
    try:
        return selectors.learner_for_owner(cohort=cohort, user_id=user_id)
    except User.DoesNotExist as exc:
        raise Http404("No such learner in this cohort") from exc


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_instructor:
        return redirect("cohorts:mine")
    return render(
        request, "cohorts/cohort_list.html", {"cohorts": selectors.cohorts_owned(user=request.user)}
    )


@login_required
def cohort_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_instructor:
        raise PermissionDenied("Only instructors can create cohorts.")
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = services.cohort_create(owner=request.user, **form.cleaned_data)
        messages.success(request, "Cohort created. Share the invitation link below with your learners.")
        return redirect("cohorts:settings", cohort_id=cohort.id)
    return render(request, "cohorts/cohort_new.html", {"form": form})


@login_required
def dashboard(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    form = DashboardForm(request.GET or None)
    options = form.options()
    body = dashboard_body(cohort=cohort, options=options)
    if not form.is_bound:
        form.initial_from(options, options.forecast_moment(timezone.localdate()).date())
    context = {
        "cohort": cohort,
        "body": body.html,
        "learner_count": body.learner_count,
        "d": body.data,  # the read model when computed by this request (the tests read it)
        "body_stale_age_s": body.stale_age_s,
        "form": form,
    }
    return render(request, "cohorts/dashboard.html", context)


# ---------------------------------------------------------------------------------------------
# Settings: details, invitation, co-owners, members


@login_required
def cohort_settings(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        services.cohort_update(cohort=cohort, **form.cleaned_data)
        messages.success(request, "Cohort details saved.")
        return redirect("cohorts:settings", cohort_id=cohort.id)
    context = {
        "cohort": cohort,
        "form": form,
        "owner_form": CoOwnerForm(),
        "invite_url": request.build_absolute_uri(reverse("cohorts:join_link", args=[cohort.invite_code])),
        "members": selectors.members_current(cohort=cohort),
        "former": selectors.members_former(cohort=cohort),
    }
    return render(request, "cohorts/settings.html", context)


@login_required
@require_POST
def invite_regenerate(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    services.cohort_invite_regenerate(cohort=cohort)
    messages.success(request, "New invitation code made: the old code and link no longer work.")
    return redirect("cohorts:settings", cohort_id=cohort.id)


@login_required
@require_POST
def owner_add(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    form = CoOwnerForm(request.POST)
    if form.is_valid():
        try:
            user = services.cohort_owner_add(cohort=cohort, username=form.cleaned_data["username"])
        except services.CohortError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{user.shown_name} now co-owns this cohort.")
    return redirect("cohorts:settings", cohort_id=cohort.id)


@login_required
@require_POST
def owner_remove(request: HttpRequest, cohort_id: int, user_id: int) -> HttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    owner = next((u for u in cohort.owners.all() if u.id == user_id), None)
    if owner is None:
        raise Http404("No such owner")
    try:
        services.cohort_owner_remove(cohort=cohort, user=owner, removed_by=request.user)
    except services.CohortError as exc:
        messages.error(request, str(exc))
        return redirect("cohorts:settings", cohort_id=cohort.id)
    messages.success(request, f"{owner.shown_name} no longer owns this cohort.")
    if owner == request.user:
        return redirect("cohorts:list")
    return redirect("cohorts:settings", cohort_id=cohort.id)


@login_required
@require_POST
def member_remove(request: HttpRequest, cohort_id: int, user_id: int) -> HttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    try:
        membership = selectors.membership_of_member(cohort=cohort, user_id=user_id)
    except Membership.DoesNotExist as exc:
        raise Http404("No such member") from exc
    services.membership_end(membership=membership, removed_by=request.user)
    messages.success(
        request, f"{membership.user.shown_name} removed: their later activity is not shown to you."
    )
    return redirect("cohorts:settings", cohort_id=cohort.id)


# ---------------------------------------------------------------------------------------------
# One learner, read-only


@login_required
def learner_detail(request: HttpRequest, cohort_id: int, user_id: int) -> HttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    learner = _learner_or_404(cohort, user_id)
    series = learner_selectors.learner_score_series(cohort=cohort, learner=learner)
    context = {
        "cohort": cohort,
        "learner": learner,
        "stretches": selectors.memberships_of(cohort=cohort, user=learner),
        "phases": learner_selectors.learner_progress(cohort=cohort, learner=learner),
        "attempts": learner_selectors.learner_attempts(cohort=cohort, learner=learner),
        "mocks": learner_selectors.learner_mocks(cohort=cohort, learner=learner),
        "chart": score_chart_svg(series, title=f"{learner.shown_name}: scores over time"),
        "summary": chart_summary(series),
    }
    return render(request, "cohorts/learner.html", context)


@login_required
def learner_mock(request: HttpRequest, cohort_id: int, user_id: int, mock_id: int) -> HttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    learner = _learner_or_404(cohort, user_id)
    try:
        mock = learner_selectors.mock_visible_report(cohort=cohort, learner=learner, mock_id=mock_id)
    except MockInterview.DoesNotExist as exc:
        raise Http404("No such interview") from exc
    context = {"cohort": cohort, "learner": learner, "report": quiz_selectors.mock_report(mock=mock)}
    return render(request, "cohorts/learner_mock.html", context)


# ---------------------------------------------------------------------------------------------
# Assignments


@login_required
def assignment_new(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.assignment_create(
                cohort=cohort, created_by=request.user, kind=data["kind"], due_on=data["due_on"],
                topics=list(data["topics"]), title=data["title"], level=data["level"],
                question_count=data["question_count"], minutes=data["minutes"], instructions=data["instructions"],
            )  # fmt: skip
        except services.CohortError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Assignment set: your learners see it on their home page.")
            return redirect("cohorts:assignment", cohort_id=cohort.id, assignment_id=assignment.id)
    return render(request, "cohorts/assignment_new.html", {"cohort": cohort, "form": form})


def _assignment_or_404(cohort: Cohort, assignment_id: int) -> Assignment:
    try:
        return assignment_selectors.assignment_for_owner(cohort=cohort, assignment_id=assignment_id)
    except Assignment.DoesNotExist as exc:
        raise Http404("No such assignment") from exc


@login_required
def assignment_detail(request: HttpRequest, cohort_id: int, assignment_id: int) -> HttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    assignment = _assignment_or_404(cohort, assignment_id)
    members = selectors.members_current(cohort=cohort)
    statuses = assignment_selectors.assignment_statuses(
        cohort=cohort, assignments=[assignment], user_ids=[m.user_id for m in members]
    )
    rows = [(m, statuses[(assignment.id, m.user_id)]) for m in members]
    context = {
        "cohort": cohort,
        "assignment": assignment,
        "title": assignment_selectors.assignment_title(
            assignment=assignment, topics=list(assignment.topics.all())
        ),
        "rows": sorted(
            rows, key=lambda r: ({"done": 2, "started": 1}.get(r[1].state, 0), r[0].user.username)
        ),
        "done": sum(1 for _, s in rows if s.state == "done"),
    }
    return render(request, "cohorts/assignment_detail.html", context)


@login_required
@require_POST
def assignment_delete(request: HttpRequest, cohort_id: int, assignment_id: int) -> HttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    services.assignment_delete(assignment=_assignment_or_404(cohort, assignment_id))
    messages.success(request, "Assignment deleted.")
    return redirect(reverse("cohorts:dashboard", args=[cohort.id]) + "#assignments")
