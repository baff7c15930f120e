"""Roadmap, phase, topic and search pages, and the learner's progress button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from curriculum import selectors, services
from curriculum.demo_links import demo_is_mounted, demo_link
from curriculum.models import Phase, Topic
from curriculum.notebook_pages import notebook_path
from curriculum.search import topic_search
from webapp.fragments import CSRF_STAND_IN
from webapp.pages import page_get_or_render


def roadmap(request: HttpRequest) -> HttpResponse:
    def render_page() -> str:
        phases = selectors.roadmap_phases(user=request.user)
        timeline, total_weeks = selectors.roadmap_timeline(phases)
        context = {
            "phases": phases,
            "timeline": timeline,
            "total_weeks": total_weeks,
            "csrf_token": CSRF_STAND_IN,
        }
        return render_to_string("curriculum/roadmap.html", context, request=request)

    # The learner's own progress: the page is kept per learner until it (or the curriculum) changes.
    return page_get_or_render(request, name="roadmap", render=render_page)


def phase_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        phase = selectors.phase_for_page(slug=slug)
    except Phase.DoesNotExist as exc:
        raise Http404("No such phase") from exc

    def render_page() -> str:
        topics = list(selectors.phase_topics(phase=phase))
        status = selectors.user_status_by_topic(user=request.user, topics=topics)
        rows = [(topic, status.get(topic.id)) for topic in topics]
        done = sum(1 for _, s in rows if s == "done")
        percent = round(100 * done / len(rows)) if rows else 0
        previous, following = selectors.phase_neighbours(phase=phase)
        context = {
            "phase": phase,
            "rows": rows,
            "done": done,
            "percent": percent,
            "csrf_token": CSRF_STAND_IN,
        }
        context["has_notebook"] = notebook_path(phase_slug=phase.slug) is not None
        context["goals"] = selectors.phase_goals(phase=phase)
        context |= {"previous": previous, "next": following}
        return render_to_string("curriculum/phase.html", context, request=request)

    # Progress and mastery are the learner's own: kept per learner until either (or the curriculum) changes.
    return page_get_or_render(request, name="phase", render=render_page, parts=(phase.slug,))


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        shared = selectors.topic_page_shared(slug=slug)
    except Topic.DoesNotExist as exc:
        raise Http404("No such topic") from exc
    topic = shared.topic
    demos = [(d, demo_is_mounted(d.slug)) for d in (demo_link(s) for s in topic.demos) if d]

    def render_page() -> str:
        prerequisites = list(topic.prerequisites.all())
        status = selectors.user_status_by_topic(user=request.user, topics=[topic, *prerequisites])
        context = {
            "topic": topic,
            "status": status.get(topic.id),
            "prerequisites": [(p, status.get(p.id)) for p in prerequisites],
            "unlocks": list(topic.unlocks.all()),
            "resource_groups": selectors.resources_by_kind(topic=topic),
            "demos": demos,
            "question_count": shared.question_count,
            "predictions": selectors.topic_prediction_evidence(topic=topic, user=request.user),
            "checks": selectors.topic_checks(topic=topic, user=request.user),
            "written": selectors.topic_written_evidence(topic=topic, user=request.user),
            "csrf_token": CSRF_STAND_IN,  # the page is kept: each response fills in its own token
        }
        return render_to_string("curriculum/topic.html", context, request=request)

    # The learner's status, evidence and written checks: kept per learner until any of them (or
    # the curriculum) changes; which demos this server runs is part of the key.
    available = "+".join(d.slug for d, mounted in demos if mounted) or "-"
    return page_get_or_render(request, name="topic", render=render_page, parts=(slug, available))


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = topic_search(query=query) if query else None
    return render(request, "curriculum/search.html", {"query": query, "results": results})


@login_required
@require_POST
def topic_progress(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    try:
        services.topic_progress_mark(user=request.user, topic=topic, status=request.POST.get("status", ""))
    except services.ProgressError as exc:
        messages.error(request, str(exc))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("curriculum:topic", slug=topic.slug)


@login_required
@require_POST
def topic_check_answer(request: HttpRequest, slug: str, question: int) -> HttpResponse:
    """Record an attempt at a Check-yourself question (or a reveal); the page then shows its answer."""
    topic = get_object_or_404(Topic, slug=slug, is_active=True)
    try:
        services.check_answer_record(
            user=request.user,
            topic=topic,
            question=question,
            attempt=request.POST.get("attempt", ""),
            reveal=request.POST.get("action") == "reveal",
        )
    except services.CheckAnswerError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('curriculum:topic', args=[topic.slug])}#check-{question + 1}")
