"""Settings for the load benchmarks: production-like (DEBUG off), plus benchmark-only cached copies of
two pages (bench_urls). BENCH_CONFIG picks the stack under test:

- `postgres` (default): a dedicated PostgreSQL database, Redis for the broker and the shared cache.
- `embedded`: what `make run` starts with no configuration: the SQLite file under SOUNDPATH_VAR_DIR
  (WAL, busy timeout), the SQLite-backed broker, and the database-backed cache, all from base.py.
"""

from webapp.settings.base import *  # noqa: F403
from webapp.settings.base import DB_POOL_SIZE, VAR_DIR, database_pool_apply, env

BENCH_CONFIG = env("BENCH_CONFIG", default="postgres")
DEBUG = False  # the toolbar-free, template-cached path production takes
ROOT_URLCONF = "benchmarks.bench_urls"
if BENCH_CONFIG == "postgres":
    DATABASES = {
        "default": env.db("BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/soundpath_bench")
    }
    # Not the platform's 60 s: under ASGI every request runs in a thread of its own, so persistent
    # connections pile up until PostgreSQL refuses clients ("too many clients already" at 50 users in
    # the first run, on a server other developers share). Django's advice for ASGI is 0.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("BENCH_DB_CONN_MAX_AGE", default=0)
    database_pool_apply(DATABASES["default"], DB_POOL_SIZE)  # webapp.serve's web processes: pooled
    # Database 14: away from the tests' 15 and a developer's 0, so purging the queues harms nobody.
    CELERY_BROKER_URL = env("BENCH_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/14")
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    # The platform's shared cache on Redis (its own database, emptied by the benchmark before a run).
    CACHES = {
        "default": {
            "BACKEND": "webapp.redis_cache.ProcessSharedRedisCache",
            "LOCATION": env("BENCH_CACHE_URL", default="redis://127.0.0.1:6379/13"),
            "KEY_PREFIX": "soundpath",
        }
    }
elif BENCH_CONFIG != "embedded":
    raise ValueError(f"BENCH_CONFIG must be 'postgres' or 'embedded', not {BENCH_CONFIG!r}")
CELERY_RESULT_BACKEND = "django-db"
MEDIA_ROOT = VAR_DIR / "bench-media"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # seeding hundreds of users
# The job benchmark submits bursts from one user: quotas would refuse them.
JOB_MAX_CONCURRENT_PER_USER = 10_000
JOB_MAX_PER_DAY_PER_USER = 1_000_000
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
