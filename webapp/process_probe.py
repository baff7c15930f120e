"""A window into the web process for the tests only (URL mounted when settings.PROCESS_PROBE_ENABLED,
which only webapp.settings.test sets): which heavy libraries it has imported, and its memory —
what /proc cannot tell from outside (sys.modules lives in the process)."""

import os
import sys

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, JsonResponse

from webapp.inprocess import HEAVY_MODULES


def rss_bytes() -> int:
    """Resident set size of this process, from /proc (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


@staff_member_required
def process_probe(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "pid": os.getpid(),
            "rss_bytes": rss_bytes(),
            "heavy_modules_loaded": [name for name in HEAVY_MODULES if name in sys.modules],
        }
    )
