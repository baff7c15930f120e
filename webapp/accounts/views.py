"""Sign-up and instructor invitations; log-in, log-out and password reset come from django.contrib.auth."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from webapp.accounts.forms import SignupForm
from webapp.accounts.services import instructor_invitation_accept


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    # `next` survives sign-up so that an invitation link opened while logged out still joins.
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return redirect(next_url or "home")  # home greets a new learner with "start here"
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@login_required
def instructor_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what accepting means (and writes nothing); POST accepts."""
    if request.method == "POST":
        try:
            instructor_invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            return render(
                request, "accounts/instructor_invitation.html", {"error": error.messages[0]}, status=400
            )
        messages.success(request, "You are now an instructor: create a cohort to invite learners.")
        return redirect("home")
    return render(request, "accounts/instructor_invitation.html", {})
