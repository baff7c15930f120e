"""Production settings: secrets have no default, HTTPS and security headers are on."""

from webapp.settings.base import *  # noqa: F403
from webapp.settings.base import env

SECRET_KEY = env("SECRET_KEY")  # no default: a missing secret stops the start-up
DEBUG = False
# Evaluated again here: base.py's value followed base's DEBUG, which the environment may turn on.
WHITENOISE_USE_FINDERS = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"  # Django pages are never framed; demos (Gradio) set their own
