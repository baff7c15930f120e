"""Exports of a cohort, for its owners: progress and attempts as CSV, activity as xAPI statements."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from webapp.cohorts import exports
from webapp.cohorts.views.instructor import cohort_or_404


def _download(lines, *, cohort_id: int, name: str, content_type: str) -> StreamingHttpResponse:
    """`name` like "progress.csv"; the file is called cohort-<id>-progress-<yyyymmdd>.csv."""
    response = StreamingHttpResponse(lines, content_type=content_type)
    stem, extension = name.rsplit(".", 1)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="cohort-{cohort_id}-{stem}-{stamp}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def progress_csv(request: HttpRequest, cohort_id: int) -> StreamingHttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    lines = exports.csv_lines(exports.PROGRESS_HEADER, exports.progress_rows(cohort=cohort))
    return _download(lines, cohort_id=cohort.id, name="progress.csv", content_type="text/csv; charset=utf-8")


@login_required
def attempts_csv(request: HttpRequest, cohort_id: int) -> StreamingHttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    lines = exports.csv_lines(exports.ATTEMPTS_HEADER, exports.attempt_rows(cohort=cohort))
    return _download(lines, cohort_id=cohort.id, name="attempts.csv", content_type="text/csv; charset=utf-8")


@login_required
def challenges_csv(request: HttpRequest, cohort_id: int) -> StreamingHttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    lines = exports.csv_lines(exports.CHALLENGES_HEADER, exports.challenge_rows(cohort=cohort))
    return _download(
        lines, cohort_id=cohort.id, name="challenges.csv", content_type="text/csv; charset=utf-8"
    )


@login_required
def xapi_json(request: HttpRequest, cohort_id: int) -> StreamingHttpResponse:
    cohort = cohort_or_404(request, cohort_id)
    statements = exports.xapi_statements(cohort=cohort, base_url=request.build_absolute_uri("/"))
    return _download(
        exports.json_lines(statements), cohort_id=cohort.id, name="xapi.json", content_type="application/json"
    )
