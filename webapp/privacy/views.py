"""Your data: request and download an export, delete the account; and the public privacy page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from webapp.privacy.deletion import cohorts_affected, user_account_delete
from webapp.privacy.exporting import data_export_request
from webapp.privacy.forms import ConfirmPasswordForm
from webapp.privacy.models import DataExport


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/privacy.html", {"settings": settings})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    exports = DataExport.objects.filter(user=request.user)[:5]
    return render(request, "privacy/my_data.html", {"exports": exports, "now": timezone.now()})


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    export = data_export_request(user=request.user, base_url=request.build_absolute_uri("/"))
    return redirect("privacy:export", export.pk)


def _own_export(request: HttpRequest, export_id) -> DataExport:
    # Another user's export answers 404, exactly like one that does not exist.
    return get_object_or_404(DataExport, pk=export_id, user=request.user)


@login_required
def export_detail(request: HttpRequest, export_id) -> HttpResponse:
    export = _own_export(request, export_id)
    return render(request, "privacy/export.html", {"export": export, "status": _status(export)})


@login_required
def export_status(request: HttpRequest, export_id) -> JsonResponse:
    return JsonResponse(_status(_own_export(request, export_id)))


def _status(export: DataExport) -> dict:
    return {
        "status": export.status,
        "status_label": export.get_status_display(),
        "progress": export.progress,
        "message": export.progress_message,
        "queue_position": None,
        "error": export.error,
        "finished": export.is_finished,
    }


@login_required
def export_download(request: HttpRequest, export_id) -> HttpResponse:
    export = _own_export(request, export_id)
    if export.status != DataExport.Status.READY or not export.archive:
        raise Http404("This export is not ready.")
    if export.expires_at and export.expires_at < timezone.now():
        return HttpResponse("This export has expired: request a new one.", status=410)
    handle = default_storage.open(export.archive.name, "rb")
    name = f"soundpath-data-{request.user.username}-{export.created_at:%Y%m%d}.zip"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = ConfirmPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        summary = user_account_delete(user=user)
        messages.success(
            request, f"Your account and its data are deleted ({len(summary.files)} files removed)."
        )
        return redirect("home")
    handed_on, deleted = cohorts_affected(user=request.user)
    return render(request, "privacy/delete.html", {"form": form, "handed_on": handed_on, "deleted": deleted})
