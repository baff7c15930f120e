"""Health (process up, public), readiness (dependencies reachable), Prometheus metrics and a staff
page of workers and queues. Details only for staff, the metrics token or internal addresses."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from webapp.ops.access import may_see_internals
from webapp.ops.checks import readiness


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    checks = readiness()
    ready = all(check.ok for check in checks)
    status = 200 if ready else 503
    if not may_see_internals(request):
        return HttpResponse("ready\n" if ready else "not ready\n", status=status, content_type="text/plain")
    return JsonResponse({"ready": ready, "checks": [check.__dict__ for check in checks]}, status=status)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not may_see_internals(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from webapp.ops.metrics import metrics_registry

    return HttpResponse(generate_latest(metrics_registry()), content_type=CONTENT_TYPE_LATEST)


@staff_member_required
def workers_page(request: HttpRequest) -> HttpResponse:
    from webapp.ops.workers import workers_overview

    return render(request, "ops/workers.html", {"overview": workers_overview()})
