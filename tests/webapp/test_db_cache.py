"""The database cache of the embedded default (webapp/db_cache.py): Django's semantics, each write
one statement, so no write holds SQLite's one write lock while Python runs between statements."""

import sqlite3
import time

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.db import connection, connections, router, transaction

from webapp.db_cache import SingleStatementDatabaseCache

TABLE = "db_cache_test"
CREATE = f"CREATE TABLE {TABLE} (cache_key varchar(255) NOT NULL PRIMARY KEY, value text NOT NULL, expires timestamp NOT NULL)"


def _cache(max_entries: int = 300) -> SingleStatementDatabaseCache:
    return SingleStatementDatabaseCache(TABLE, {"OPTIONS": {"MAX_ENTRIES": max_entries}})


@pytest.fixture
def table(db):
    with connection.cursor() as cursor:
        cursor.execute(CREATE.replace("timestamp", "timestamp with time zone"))
    return _cache()


def test_set_add_touch_and_expiry_keep_djangos_meaning(table):
    cache = table

    assert cache.add("k", "first", 60) is True
    assert cache.add("k", "second", 60) is False  # present and fresh: kept
    cache.set("k", {"a": [1, 2]}, 60)
    cache.set("gone", "old", 1)
    assert cache.touch("k", 120) is True and cache.touch("missing", 120) is False
    time.sleep(2.1)  # "gone" expires (the table keeps whole seconds)

    assert cache.get("k") == {"a": [1, 2]}
    assert cache.get("gone") is None
    assert cache.add("gone", "new", 60) is True  # over an expired entry
    assert cache.get("gone") == "new"
    assert cache.get_many(["k", "gone", "missing"]) == {"k": {"a": [1, 2]}, "gone": "new"}


def test_past_its_size_the_cache_culls_as_djangos_does(table):
    cache = _cache(max_entries=10)
    cache.set_many({f"key-{n:02}": n for n in range(30)}, 60)

    assert len(cache.get_many([f"key-{n:02}" for n in range(30)])) <= 11


def test_a_failed_write_inside_a_transaction_leaves_that_transaction_usable(table):
    cache = table
    with transaction.atomic(), pytest.warns(CacheKeyWarning):
        cache.set("x" * 300, "too long a key for the column", 60)  # dropped, not raised
        cache.set("after", 1, 60)  # the transaction still works (PostgreSQL aborts it without a savepoint)

    with pytest.warns(CacheKeyWarning):
        assert cache.get("x" * 300) is None
    assert cache.get("after") == 1


def test_no_write_holds_sqlites_lock_between_its_statements(tmp_path, monkeypatch, django_db_blocker):
    """Before each statement of a write, another connection tries to take the write lock at once.
    Django's DatabaseCache, whose set reads then writes inside BEGIN IMMEDIATE, fails this."""
    path = tmp_path / "embedded.sqlite3"
    alias = "embedded-cache-test"
    connections.settings[alias] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        },
        "TEST": {},
    }
    monkeypatch.setattr(router, "db_for_write", lambda model, **hints: alias)
    monkeypatch.setattr(router, "db_for_read", lambda model, **hints: alias)
    embedded = connections[alias]
    try:
        with django_db_blocker.unblock():
            with embedded.cursor() as cursor:
                cursor.execute(CREATE)
            locked_at = []

            def other_writer_tries(execute, sql, params, many, context):
                other = sqlite3.connect(path, timeout=0, isolation_level=None)
                try:
                    other.execute("BEGIN IMMEDIATE")
                    other.execute("ROLLBACK")
                except sqlite3.OperationalError:
                    locked_at.append(sql)
                finally:
                    other.close()
                return execute(sql, params, many, context)

            cache = _cache(max_entries=5)
            with embedded.execute_wrapper(other_writer_tries):
                cache.set("page", "<main>kept</main>", 60)
                cache.set("page", "<main>renewed</main>", 60)
                cache.add("token", "a", None)
                cache.add("token", "b", None)
                cache.set_many({f"more-{n}": n for n in range(8)}, 60)  # past MAX_ENTRIES: culls too
                cache.touch("page", 120)

            assert locked_at == []
            assert cache.get("page") == "<main>renewed</main>" and cache.get("token") == "a"
    finally:
        embedded.close()
        del connections[alias]
        del connections.settings[alias]


def test_on_the_embedded_default_the_cache_has_a_sqlite_file_of_its_own(tmp_path):
    """`migrate` creates the cache's table in var/cache.sqlite3, and the cache writes there: a page
    keeping its rendering never waits for the main file's write lock (a progress change, a job)."""
    import os
    import subprocess
    import sys

    from tests.processes import ROOT

    script = (
        "import django, sqlite3; django.setup(); from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); from django.core.cache import cache; "
        "cache.set('kept-page', '<main>kept</main>', 60); "
        f"tables = lambda name: {{row[0] for row in sqlite3.connect('{tmp_path}/' + name).execute("
        "\"SELECT name FROM sqlite_master WHERE type = 'table'\")}; "
        f"keys = sqlite3.connect('{tmp_path}/cache.sqlite3').execute('SELECT cache_key FROM soundpath_cache').fetchall(); "
        "print('soundpath_cache' in tables('soundpath.sqlite3'), 'soundpath_cache' in tables('cache.sqlite3'), "
        "'django_session' in tables('cache.sqlite3'), 'django_session' in tables('soundpath.sqlite3'), len(keys), cache.get('kept-page'))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="webapp.settings.base", SOUNDPATH_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT)
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "True", "False", "True", "1", "<main>kept</main>"]
