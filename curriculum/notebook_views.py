"""A phase's notebook: the .ipynb to download, and a read-only HTML view of it."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from curriculum.models import Phase
from curriculum.notebook_pages import notebook_page_html, notebook_path


def phase_notebook(request: HttpRequest, slug: str) -> FileResponse:
    phase = get_object_or_404(Phase, slug=slug, is_active=True)
    path = notebook_path(phase_slug=phase.slug)
    if path is None:
        raise Http404("This phase has no notebook.")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type="application/x-ipynb+json"
    )


def phase_notebook_view(request: HttpRequest, slug: str) -> HttpResponse:
    phase = get_object_or_404(Phase, slug=slug, is_active=True)
    page = notebook_page_html(phase_slug=phase.slug)
    if page is None:
        raise Http404("This phase has no notebook.")
    html, executed = page
    return render(
        request, "curriculum/notebook.html", {"phase": phase, "notebook_html": html, "executed": executed}
    )
