"""Rate limits on guessable doors: sign-in, sign-up, password reset, cohort join codes (django-ratelimit).

Counts live in the shared cache (settings.CACHES: Redis, or a database table on the embedded default),
so every web process counts the same attempts; rates come from settings, read on each request.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit


def rate_limited(*, group: str, setting: str, keys: tuple[str, ...] = ("ip",), method=("POST",)) -> Callable:
    """Limit a view to `settings.<setting>` (e.g. "10/m") requests per key; one counter per key, so a
    sign-in is limited both per address and per username tried."""

    def rate(_group: str, _request: HttpRequest) -> str:
        return getattr(settings, setting)

    def decorator(view: Callable) -> Callable:
        for key in keys:
            view = ratelimit(group=f"{group}:{key}", key=key, rate=rate, method=list(method))(view)
        return view

    return decorator


def too_many_requests(request: HttpRequest, exception: Exception) -> HttpResponse:
    """RATELIMIT_VIEW: what a limited request gets (429, with when to try again)."""
    return render(request, "accounts/rate_limited.html", {}, status=429)
