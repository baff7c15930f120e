"""Test settings: the real services (PostgreSQL, Redis), fast password hashing."""

import tempfile
from pathlib import Path

from webapp.settings.base import *  # noqa: F403
from webapp.settings.base import DATABASE_CACHE, DB_POOL_SIZE, database_pool_apply, env

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/soundpath")}
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_soundpath")}
database_pool_apply(DATABASES["default"], DB_POOL_SIZE)  # the web server's processes, as in base
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="django-db")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}  # noqa: F405 - Redis here
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405 - shared by the test process and the workers it starts
JOB_MAX_CONCURRENT_PER_USER = 3
# Each test database gets its own demo upload folder: engineers' runs on one machine never mix.
DEMO_UPLOAD_DIR = (
    Path(tempfile.gettempdir()) / f"soundpath-test-uploads-{DATABASES['default']['TEST']['NAME']}"
)
PROCESS_PROBE_ENABLED = True  # /__probe/process/ (staff only): heavy modules and RSS of the web process
# A database cache: each test's rate-limit counts roll back with its transaction, so no test sees
# another's attempts (tests/webapp/test_rate_limits.py checks that Redis is chosen where configured).
CACHES = {"default": DATABASE_CACHE}
# A test's rows are uncommitted: a rebuild in another thread (its own connection) would not see
# them, and its cache writes would outlive the test. Rebuilt in the request, still after the stale
# body was chosen (webapp/fragments.py).
FRAGMENT_REBUILD_IN_BACKGROUND = False
FRAGMENT_GROUP_REBUILD_MIN_S = 0.0  # every stale read rebuilds (tests of the interval set their own)
