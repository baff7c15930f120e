"""Where the database cache's table lives: in the embedded default, a SQLite file of its own
(DATABASES["cache"], webapp/settings/base.py), so a page that keeps its rendering never waits for
the write lock of the main file, which a learner's progress or a worker's job holds; elsewhere, in
the default database, as Django puts it."""

CACHE_APP_LABEL = "django_cache"  # the app label of Django's DatabaseCache entries
CACHE_DATABASE = "cache"


class CacheDatabaseRouter:
    """Installed only where DATABASES has a "cache" alias."""

    def db_for_read(self, model, **hints) -> str | None:
        return CACHE_DATABASE if model._meta.app_label == CACHE_APP_LABEL else None

    db_for_write = db_for_read

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool | None:
        if db == CACHE_DATABASE:
            return app_label == CACHE_APP_LABEL  # the cache's table and nothing else
        return False if app_label == CACHE_APP_LABEL else None
