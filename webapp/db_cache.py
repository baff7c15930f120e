"""Django's database cache, writing each entry in one statement.

Django's DatabaseCache writes an entry in a transaction of its own: it reads the row, then updates
or inserts it. On SQLite (the embedded default) that transaction holds the database's one write
lock from its first statement to its commit, across the Python code between them. Under load that
code waits for the GIL behind the process's other request threads, so one write holds the lock for
tens of milliseconds, and every other writer (a learner's progress, a session, a page being kept)
sleeps in SQLite's busy handler meanwhile. (Measured alone, this change did not move the embedded
benchmark's p99 spikes: their cause was the page processes' asgiref locks, webapp/asgi_pages.py.
It is kept because the lock is held for one statement now.) Here each write is one upsert: the lock is
held only while SQLite runs that statement, with the GIL released. PostgreSQL (and SQLite since
3.24) have the same `INSERT … ON CONFLICT`. Reads, deletions and culling are Django's.
"""

import base64
import pickle
from contextlib import nullcontext
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone


class SingleStatementDatabaseCache(DatabaseCache):
    """DatabaseCache whose set, add and touch are each one statement, outside any transaction of
    their own: as before, a write that fails (the database busy past its timeout) is dropped, not
    raised. Inside a caller's transaction the write gets a savepoint, as Django's did, so a failed
    one does not break that transaction on PostgreSQL."""

    def _base_set(self, mode: str, key: str, value, timeout=DEFAULT_TIMEOUT) -> bool:
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        now = timezone.now().replace(microsecond=0)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        try:
            with transaction.atomic(using=db) if connection.in_atomic_block else nullcontext():
                return self._write(connection, db, mode, key, value, expires, now)
        except DatabaseError:
            return False

    def _write(self, connection, db: str, mode: str, key: str, value, expires, now: datetime) -> bool:
        quote_name = connection.ops.quote_name
        table, key_column = quote_name(self._table), quote_name("cache_key")
        value_column, expires_column = quote_name("value"), quote_name("expires")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            count = cursor.fetchone()[0]
            if count > self._max_entries:
                self._cull(db, cursor, now, count)
            if mode == "touch":
                cursor.execute(
                    f"UPDATE {table} SET {expires_column} = %s WHERE {key_column} = %s",
                    [expires, key],
                )
                return cursor.rowcount > 0
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            upsert = (
                f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) "
                f"VALUES (%s, %s, %s) ON CONFLICT ({key_column}) DO UPDATE "
                f"SET {value_column} = EXCLUDED.{value_column}, {expires_column} = EXCLUDED.{expires_column}"
            )
            params = [key, encoded, expires]
            if mode == "add":  # over a missing or an expired entry only
                upsert += f" WHERE {table}.{expires_column} < %s"
                params.append(connection.ops.adapt_datetimefield_value(now))
            cursor.execute(upsert, params)
            return mode == "set" or cursor.rowcount > 0
