"""Home page and the demos index."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from curriculum import selectors
from demos.catalog import DEMOS
from demos.registry import available_demo_slugs
from webapp.cohorts.selectors.assignments import learner_assignments


def home(request: HttpRequest) -> HttpResponse:
    phases = selectors.roadmap_phases(user=request.user)
    timeline, total_weeks = selectors.roadmap_timeline(phases)
    context = {"phases": phases, "timeline": timeline, "total_weeks": total_weeks}
    if request.user.is_authenticated:
        context["continue_topic"] = selectors.continue_topic(user=request.user)
        context["totals"] = selectors.learner_totals(user=request.user)
        context["assignments"] = learner_assignments(user=request.user)
    return render(request, "home.html", context)


def demos_index(request: HttpRequest) -> HttpResponse:
    available = available_demo_slugs()
    demos = [(demo, demo.slug in available) for demo in DEMOS]
    return render(request, "demos_index.html", {"demos": demos})
