"""Is this deployment able to serve? Each dependency checked on its own, quickly, with a reason."""

import time
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    seconds: float


def _timed(name: str, probe) -> Check:
    started = time.monotonic()
    try:
        detail = probe()
        ok = True
    except Exception as exc:  # any failure means "not ready"; the detail says which and why
        ok, detail = False, f"{type(exc).__name__}: {exc}"[:300]
    return Check(name, ok, detail, round(time.monotonic() - started, 4))


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _broker() -> str:
    from workers.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return conn.transport_cls if isinstance(conn.transport_cls, str) else conn.transport.driver_type


def _storage() -> str:
    """Write, read back and delete a small object: object storage can list but refuse writes."""
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ready"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ready":
                raise OSError("read back different bytes")
    finally:
        default_storage.delete(name)
    return type(
        default_storage._wrapped if hasattr(default_storage, "_wrapped") else default_storage
    ).__name__


def readiness() -> list[Check]:
    return [_timed("database", _database), _timed("broker", _broker), _timed("storage", _storage)]
