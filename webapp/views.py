"""Home page, the demos index and the source archive."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from curriculum import selectors
from demos.catalog import DEMOS, demo_info
from demos.registry import available_demo_slugs
from webapp.cohorts.selectors.assignments import learner_assignments
from webapp.source import source_archive_path


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
    available, embedding = available_demo_slugs(), selectors.topics_by_demo()
    demos = [(demo, demo.slug in available, embedding.get(demo.slug, [])) for demo in DEMOS]
    return render(request, "demos_index.html", {"demos": demos})


def demo_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One demo inside a Soundpath page: header, title, the topics that embed it, the demo itself."""
    demo = demo_info(slug)
    if demo is None:
        raise Http404("No such demo")
    context = {
        "demo": demo,
        "available": slug in available_demo_slugs(),
        "topics": selectors.topics_by_demo().get(slug, []),
    }
    return render(request, "demo_page.html", context)


def source_archive(request: HttpRequest) -> FileResponse:
    """The source of the running version, as AGPL-3.0 section 13 asks (the footer links here)."""
    path = source_archive_path()
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type="application/gzip"
    )
