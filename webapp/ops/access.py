"""Who may read operational details: staff, a scraper with the metrics token, or an address
listed as internal. Everyone else gets the bare status code."""

import hmac

from django.conf import settings
from django.http import HttpRequest


def may_see_internals(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    return request.META.get("REMOTE_ADDR", "") in settings.METRICS_ALLOWED_IPS
