"""Settings shared by every environment; each value comes from the environment via `env`."""

import tempfile
from pathlib import Path

from webapp.env import BASE_DIR, env
from webapp.settings.secret_key import secret_key_load_or_create

VAR_DIR = Path(env("SOUNDPATH_VAR_DIR", default=str(BASE_DIR / "var")))

# No well-known default: without SECRET_KEY, a random key is made once and kept in var/ (mode 0600).
SECRET_KEY = env("SECRET_KEY", default="") or secret_key_load_or_create(var_dir=VAR_DIR)
# Off unless asked for: a debug page shows settings and code to anyone who reaches the server.
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_celery_results",
    "django_ratelimit",
    "webapp.accounts",
    "webapp.cohorts",
    "webapp.privacy",
    "webapp.ops",
    "webapp.challenges",
    "django_prometheus",
    "curriculum",
    "quiz",
    "workers",
    "demos",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "webapp.fragments.FragmentTokensMiddleware",  # a page's fragment tokens: read once per request
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "webapp.middleware.ContentSecurityPolicyMiddleware",
    "webapp.middleware.DatabaseUnavailableMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # a limited request gets RATELIMIT_VIEW's 429
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Django pages: own scripts only; inline style attributes (progress bar widths); demos framed from
# the same origin; never framed themselves (X-Frame-Options DENY as well).
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    default="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "media-src 'self' blob: data:; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'",
)
PERMISSIONS_POLICY = "microphone=(self), camera=(), geolocation=()"
X_FRAME_OPTIONS = "DENY"
# AGPL-3.0 section 13: where network users get the source; empty serves the running tree (/source.tar.gz).
SOURCE_CODE_URL = env("SOURCE_CODE_URL", default="")
SECURE_REFERRER_POLICY = "same-origin"

ROOT_URLCONF = "webapp.urls"
WSGI_APPLICATION = "webapp.wsgi.application"
ASGI_APPLICATION = "webapp.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "webapp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "libraries": {"site_info": "webapp.templatetags.site_info"},  # webapp itself is not an app
        },
    },
]

# Embedded default: one SQLite file, shared by web and worker. IMMEDIATE transactions and a
# generous busy timeout (seconds) keep two processes from failing with "database is locked"; WAL lets
# page reads go on while a worker or a learner's progress write holds the write lock (in the default
# rollback journal every reader waits for it), and synchronous=NORMAL is WAL's safe pairing (a power
# cut may lose the last commits, never corrupt the file).
SQLITE_BUSY_TIMEOUT_S = env.int("SQLITE_BUSY_TIMEOUT_S", default=20)
# A pool of connections per process (psycopg_pool, Django's "pool" option) instead of a new
# PostgreSQL connection, and server process, for every request: twice the pages a second on the
# postgres benchmark. Off by default: a database that vanishes without closing its connections
# (a network partition) leaves pooled requests waiting instead of answering 503 at once
# (tests/faults/test_database_outage.py). Never for Celery's prefork workers, whose children would
# inherit the parent's pool across fork(): set it for the web server only.
DB_POOL_SIZE = env.int("DB_POOL_SIZE", default=0)
# Threads per page process (webapp/asgi_pages.py runs Django's pages on a fixed pool): requests
# beyond it wait for a free thread. A typed quiz answer holds one for up to 3 s while its grade
# comes (quiz.views.practice.GRADE_WAIT_SECONDS, no database connection held meanwhile).
WEB_THREADS = env.int("WEB_THREADS", default=32)


def database_pool_apply(database: dict, size: int) -> None:
    """Give a PostgreSQL database `size` pooled connections per process (none when 0)."""
    if size > 0 and database["ENGINE"] == "django.db.backends.postgresql":
        database["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django refuses both
        database.setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": size, "timeout": 10}


_sqlite_default = f"sqlite:///{VAR_DIR / 'soundpath.sqlite3'}"
DATABASES = {"default": env.db("DATABASE_URL", default=_sqlite_default)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": SQLITE_BUSY_TIMEOUT_S,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # 0 under ASGI: each request runs in its own thread, and persistent connections would pile up
    # (one per thread) until PostgreSQL refuses new ones; measured in benchmarks/RESULTS.md.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    database_pool_apply(DATABASES["default"], DB_POOL_SIZE)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend with the signed-in user's row kept in the shared cache (webapp/accounts/
# backends.py). Sessions signed in before it named ModelBackend: they sign in once more.
AUTHENTICATION_BACKENDS = ["webapp.accounts.backends.SharedCacheModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "webapp" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Media (uploads, job results, voice references, checkpoints, exports): the local filesystem by
# default; MEDIA_STORAGE=s3 puts them in S3-compatible object storage (MinIO, Ceph RGW, AWS S3) so
# that web and workers on different hosts share nothing but the database, the broker and the bucket.
MEDIA_STORAGE = env("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    _media_backend = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default="us-east-1"),
            "default_acl": None,  # private objects; files reach their owner through Django
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
elif MEDIA_STORAGE == "local":
    _media_backend = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ValueError(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}")
STORAGES = {
    "default": _media_backend,
    # Hashed names (css/app.3f2a….css) with gzip and Brotli copies: the ASGI app's /static/ mount
    # (webapp/static_files.py; WhiteNoise where Django serves them) sends the compressed copy and a
    # ten-year immutable Cache-Control for a hashed name, so a returning browser asks for none again.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# A file missing from the manifest (collectstatic not rerun after adding it) is linked by its plain
# name, served with a short lifetime, rather than failing the page with a 500.
WHITENOISE_MANIFEST_STRICT = False
# Serve files straight from STATICFILES_DIRS / app static folders in development (production.py sets
# this again after it turns DEBUG off).
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Soundpath <noreply@localhost>")

# Celery. Embedded default: kombu's SQLAlchemy transport on a SQLite file, no server to run.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="django-db")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "cpu"

# Rate limits (django-ratelimit) count in a cache every process shares: Redis where CACHE_URL (by
# default the broker) is Redis, else a database table (`manage.py createcachetable`). Never a
# per-process cache: each web process would count its own attempts.
CACHE_URL = env("CACHE_URL", default=CELERY_BROKER_URL)
# The database cache (no Redis) holds the learners' kept pages and the tokens that invalidate them:
# at Django's default of 300 entries it culled a third of itself on nearly every write with 30
# learners, tokens included, and each lost token re-rendered pages (p99 of 2 s at 50 users, the
# embedded benchmark). Expired entries go first; a page is ~10–60 KB.
DATABASE_CACHE_MAX_ENTRIES = env.int("DATABASE_CACHE_MAX_ENTRIES", default=20_000)
DATABASE_CACHE = {
    "BACKEND": "webapp.db_cache.SingleStatementDatabaseCache",  # each write one statement: see there
    "LOCATION": "soundpath_cache",
    "OPTIONS": {"MAX_ENTRIES": DATABASE_CACHE_MAX_ENTRIES},
}
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "webapp.redis_cache.ProcessSharedRedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": "soundpath"}}  # fmt: skip
else:
    CACHES = {"default": DATABASE_CACHE}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # The cache's table in a SQLite file of its own (webapp/db_router.py): a page keeping its
        # rendering, a session or a token writes there, never waiting for the main file's write
        # lock while a progress change or a job holds it (the embedded benchmark's p99 spikes).
        DATABASES["cache"] = {
            **DATABASES["default"],
            "NAME": str(VAR_DIR / "cache.sqlite3"),
            "OPTIONS": dict(DATABASES["default"]["OPTIONS"]),
        }
        DATABASE_ROUTERS = ["webapp.db_router.CacheDatabaseRouter"]
# Sessions are read from that shared cache and written through to the database: with Redis, a
# signed-in page costs one query less (on the embedded default the cache is a table too: no change).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# W001: Django's own RedisCache is not on django-ratelimit's list, but its incr is Redis INCR (atomic).
# E003: the database cache increments by read-then-write, so requests racing in the same instant may
# each count once less: on the embedded default the limit can be exceeded by the number of
# simultaneous requests, which is still a limit; use Redis where that matters.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]
RATELIMIT_VIEW = "webapp.accounts.ratelimits.too_many_requests"
RATE_LIMIT_SIGN_IN = env("RATE_LIMIT_SIGN_IN", default="10/m")  # per address and per username
RATE_LIMIT_SIGN_UP = env("RATE_LIMIT_SIGN_UP", default="10/h")  # per address
RATE_LIMIT_PASSWORD_RESET = env("RATE_LIMIT_PASSWORD_RESET", default="5/h")  # per address
RATE_LIMIT_JOIN_CODE = env("RATE_LIMIT_JOIN_CODE", default="20/h")  # per learner

# A cohort's dashboard, after a member's data changed, is served as last built while one thread of
# the web process builds it afresh (webapp/fragments.py); off, the reader that finds it stale builds it.
FRAGMENT_REBUILD_IN_BACKGROUND = True
# ... and rebuilt at most this often: members' changes show on the dashboard within a few seconds.
FRAGMENT_GROUP_REBUILD_MIN_S = env.float("FRAGMENT_GROUP_REBUILD_MIN_S", default=5.0)

# Where the curriculum's Markdown lives (importable by `manage.py import_curriculum`).
CURRICULUM_CONTENT_DIR = Path(env("CURRICULUM_CONTENT_DIR", default=str(BASE_DIR / "curriculum" / "content")))

# Longest accepted free-text answer in the interview trainer (about 1,500 words: far beyond a
# spoken answer); longer ones are refused with a message rather than graded.
QUIZ_ANSWER_MAX_CHARS = env.int("QUIZ_ANSWER_MAX_CHARS", default=10_000)

# Demos (Gradio) are mounted in the ASGI app; switch off to run Django alone.
DEMOS_ENABLED = env.bool("DEMOS_ENABLED", default=True)
# Voice cloning: reference and consent recordings (and the voice-cloning demo's job files) are
# deleted this many hours after they were made, by `manage.py purge_voice_references`.
VOICE_CLONING_RETENTION_HOURS = env.float("VOICE_CLONING_RETENTION_HOURS", default=24.0)
# Retention of the rest of what people upload or say (webapp/privacy/retention.py, run hourly by beat):
# demo uploads and their results, mock-interview recordings, other jobs' files, and data exports.
RETENTION_DEMO_FILES_HOURS = env.float("RETENTION_DEMO_FILES_HOURS", default=72.0)
RETENTION_MOCK_AUDIO_DAYS = env.float("RETENTION_MOCK_AUDIO_DAYS", default=30.0)
RETENTION_JOB_FILES_DAYS = env.float("RETENTION_JOB_FILES_DAYS", default=30.0)
DATA_EXPORT_RETENTION_HOURS = env.float("DATA_EXPORT_RETENTION_HOURS", default=48.0)

# Challenges: packs are generated from a per-deployment secret (the SECRET_KEY unless set), so
# references can't be recomputed from the public generators; submissions are bounded in size and rate.
CHALLENGE_SECRET = env("CHALLENGE_SECRET", default="")
CHALLENGE_SUBMISSION_MAX_BYTES = env.int("CHALLENGE_SUBMISSION_MAX_BYTES", default=100_000_000)
CHALLENGE_ATTEMPTS_PER_HOUR = env.int("CHALLENGE_ATTEMPTS_PER_HOUR", default=20)

# Operations: /healthz (public), /readyz and /metrics details for staff, a scraper holding
# METRICS_TOKEN (Authorization: Bearer …), or a client address listed in METRICS_ALLOWED_IPS.
METRICS_ENABLED = env.bool("METRICS_ENABLED", default=True)
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])

# LOG_FORMAT=json writes one JSON object per line (with the job id), for log collectors.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"job_id": {"()": "webapp.ops.logs.JobIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s job=%(job_id)s %(message)s"},
        "json": {"()": "webapp.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["job_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Inference jobs.
JOB_MAX_CONCURRENT_PER_USER = env.int("JOB_MAX_CONCURRENT_PER_USER", default=2)
JOB_MAX_PER_DAY_PER_USER = env.int("JOB_MAX_PER_DAY_PER_USER", default=200)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)  # a job that kills its worker this often fails
JOB_UPLOAD_MAX_BYTES = env.int("JOB_UPLOAD_MAX_BYTES", default=50_000_000)  # messages count 1 MB = 10^6 B
JOB_AUDIO_MAX_SECONDS = env.float("JOB_AUDIO_MAX_SECONDS", default=600.0)
JOB_TEXT_MAX_CHARS = env.int("JOB_TEXT_MAX_CHARS", default=5000)
# Soft limit (the job is told to stop and fails with a message), hard limit (the worker kills it).
JOB_TIME_LIMIT_DEFAULT = env.int("JOB_TIME_LIMIT_DEFAULT", default=300)
JOB_TIME_LIMITS = {
    "asr": env.int("JOB_TIME_LIMIT_ASR", default=300),
    "diarization": env.int("JOB_TIME_LIMIT_DIARIZATION", default=600),
    "music-generation": env.int("JOB_TIME_LIMIT_MUSIC_GENERATION", default=1200),
    "keyword-spotting": env.int("JOB_TIME_LIMIT_KEYWORD_SPOTTING", default=1200),
    "training": env.int("JOB_TIME_LIMIT_TRAINING", default=1800),
}
JOB_HARD_LIMIT_GRACE = 30
# What one (non-staff) user may ask of a training job (workers/training_limits.py).
TRAINING_MAX_EPOCHS = env.int("TRAINING_MAX_EPOCHS", default=20)  # keyword spotter
TRAINING_MAX_STEPS = env.int("TRAINING_MAX_STEPS", default=2000)  # music Transformer optimiser steps
TRAINING_MAX_RECORDINGS = env.int("TRAINING_MAX_RECORDINGS", default=2000)  # synthesised per keyword run
TRAINING_MAX_PER_DAY_PER_USER = env.int("TRAINING_MAX_PER_DAY_PER_USER", default=5)
# A running job stamps a heartbeat this often; three missed beats and it counts as orphaned.
JOB_HEARTBEAT_SECONDS = env.float("JOB_HEARTBEAT_SECONDS", default=10.0)
# A job still queued after this long may have lost its broker message: it is sent again.
JOB_REQUEUE_AFTER_SECONDS = env.int("JOB_REQUEUE_AFTER_SECONDS", default=120)
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-jobs": {"task": "workers.requeue_stale_jobs", "schedule": 60.0},
    "retention-purge": {"task": "privacy.retention_purge", "schedule": 3600.0},
}
# Send torch engines to the 'gpu' queue (run a GPU worker with `-Q gpu --pool=solo`).
JOB_GPU_QUEUE_ENABLED = env.bool("JOB_GPU_QUEUE_ENABLED", default=False)
# Redis/SQS re-deliver an unacknowledged job after this long; it must exceed the longest hard limit.
# (Only those transports take the option: the embedded SQLAlchemy one would reject it.)
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=max([JOB_TIME_LIMIT_DEFAULT, *JOB_TIME_LIMITS.values()]) + 600
)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "sqs://"))
    else {}
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Demos (Gradio): uploads and Gradio's file cache sit outside the repository and var/, which are
# blocked paths for every demo (demos/mounting.py); files there older than DEMO_CACHE_MAX_AGE_HOURS
# (or the voice-recording retention, if shorter) are deleted hourly by Celery beat.
DEMO_UPLOAD_DIR = Path(
    env("DEMO_UPLOAD_DIR", default=str(Path(tempfile.gettempdir()) / "soundpath-demo-uploads"))
)
DEMO_UPLOAD_MAX_FILES = env.int("DEMO_UPLOAD_MAX_FILES", default=4)  # files in one Gradio upload request
DEMO_CACHE_MAX_AGE_HOURS = env.float("DEMO_CACHE_MAX_AGE_HOURS", default=6.0)
# The size limit first: it stops an upload past JOB_UPLOAD_MAX_BYTES before the others store it.
FILE_UPLOAD_HANDLERS = [
    "webapp.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
