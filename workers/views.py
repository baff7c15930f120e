"""Job pages: submit, my jobs, one job (live progress), its status as JSON, cancel, result files."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from webapp.fragments import CSRF_STAND_IN
from webapp.pages import page_get_or_render
from webapp.uploads import upload_refusal
from workers import selectors, services
from workers.forms import JobForm
from workers.models import InferenceJob, JobResultFile


def _job_or_404(job_id, user) -> InferenceJob:
    try:
        return selectors.job_for_owner(job_id=job_id, user=user)
    except InferenceJob.DoesNotExist as exc:
        raise Http404("No such job") from exc


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    settled = []

    def render_page() -> str:
        jobs = list(selectors.jobs_for_user(user=request.user)[:100])
        places = selectors.job_places(jobs=jobs)
        settled.append(all(job.is_finished for job in jobs))
        context = {
            "jobs": jobs,
            "rows": [(job, places.get(job.id)) for job in jobs],
            "csrf_token": CSRF_STAND_IN,
        }
        return render_to_string("workers/job_list.html", context, request=request)

    # Kept per learner only while every job has finished: a finished job never changes again, and a
    # new or deleted one bumps the learner's token (workers.apps). A waiting or running job's progress
    # and place in line move without one, so such a list is rendered for each request.
    return page_get_or_render(request, name="jobs", render=render_page, keep=lambda: settled[-1])


@login_required
def job_new(request: HttpRequest, capability: str) -> HttpResponse:
    from workers.engines.registry import BACKENDS, engine_availability, engine_classes

    if capability not in BACKENDS:
        raise Http404("Unknown capability")
    # Only backends that can run here, as the demos offer (an unavailable one fails with an admin's hint).
    classes = [cls for cls in engine_classes(capability) if engine_availability(cls).available]
    backends = [(cls.backend, f"{cls.backend} — {cls.card.engine}") for cls in classes]
    if request.method != "POST":
        form = JobForm(backends=backends)
    else:
        form = JobForm(request.POST, request.FILES, backends=backends)
        refused = upload_refusal(request)  # the body is parsed now: an oversized file was stopped
        if refused:
            form.add_error("audio", refused)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("audio")
        files = [services.UploadedInput("audio", upload, upload.name, upload.size)] if upload else []
        try:
            job = services.job_submit(
                user=request.user, capability=capability, backend=form.cleaned_data["backend"] or None,
                files=files, text=form.cleaned_data["text"], params=form.cleaned_data["params"], origin="form",
            )  # fmt: skip
        except services.JobRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("workers:job", job_id=job.id)
    return render(request, "workers/job_new.html", {"form": form, "capability": capability})


@login_required
def job_detail(request: HttpRequest, job_id) -> HttpResponse:
    from workers.disclosure import disclosure_text

    job = _job_or_404(job_id, request.user)
    context = {
        "job": job,
        "disclosure": disclosure_text(job.capability, job.engine_name),
        "result_json": json.dumps(job.result, indent=2, ensure_ascii=False) if job.result is not None else "",
        "status": selectors.job_status_payload(job=job),
        "audio_files": [f for f in job.result_files.all() if f.is_audio],
        "other_files": [f for f in job.result_files.all() if not f.is_audio],
    }
    return render(request, "workers/job_detail.html", context)


@login_required
def job_status(request: HttpRequest, job_id) -> JsonResponse:
    job = _job_or_404(job_id, request.user)
    return JsonResponse(selectors.job_status_payload(job=job))


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id) -> HttpResponse:
    job = _job_or_404(job_id, request.user)
    if services.job_cancel(job=job, user=request.user):
        messages.success(request, "The job was cancelled.")
    else:
        messages.info(request, "The job had already finished.")
    return redirect("workers:job", job_id=job.id)


@login_required
def result_file(request: HttpRequest, file_id: int) -> FileResponse:
    try:
        stored = selectors.result_file_for_owner(file_id=file_id, user=request.user)
    except JobResultFile.DoesNotExist as exc:
        raise Http404("No such file") from exc
    download = request.GET.get("download") == "1"
    return FileResponse(
        stored.file.open("rb"), as_attachment=download, filename=stored.name, content_type=stored.content_type
    )
