"""WSGI entry point (Django only, without the demos); the platform runs on webapp.asgi."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings.base")
application = get_wsgi_application()
