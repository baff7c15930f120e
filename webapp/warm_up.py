"""A page process's start-up work done before its first request, not during it.

Django loads the URL configuration (and with it every view module), the template tag libraries and
each template lazily, on the first request that needs them, under the interpreter's module locks.
In a page process just started, the first burst of requests (a class opening the same page after
a restart, or the benchmark's first run) found its 32 threads waiting on those locks and on each
other's compiling: the embedded benchmark's first run of a page had a p99 of 7.5 s where the runs
after it had 0.4 s. Done once at start-up, that work also lands in what `gc.freeze()` keeps out of
the collector's walks.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import reverse

logger = logging.getLogger(__name__)


def project_template_names() -> list[str]:
    """The project's own templates (its apps' and webapp's folders; not those of installed
    packages such as the admin, which few requests use), by the name a view asks for."""
    root = Path(settings.BASE_DIR).resolve()
    folders = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    folders += [Path(d) for d in get_app_template_dirs("templates")]
    names = set()
    for folder in folders:
        folder = folder.resolve()
        if folder.is_relative_to(root) and ".venv" not in folder.parts:
            names.update(str(path.relative_to(folder)) for path in folder.rglob("*.html"))
    return sorted(names)


def django_warm_up() -> int:
    """Load the URL configuration and its reverse lookups, the template engines with their tag
    libraries, and compile the project's templates into the cached loader; the number compiled."""
    reverse("home")
    compiled = 0
    for engine in engines.all():
        for name in project_template_names():
            try:
                engine.get_template(name)
            except TemplateSyntaxError:  # the request that uses it reports it as before
                logger.warning("Template %s does not compile; left for its first request", name)
            else:
                compiled += 1
    return compiled
