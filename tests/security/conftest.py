"""One real server (uvicorn: Django + every Gradio demo) for the attack replays, and the helpers
that talk to a demo the way its page does (queue/join, then the event stream)."""

import json
import uuid
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.factories import UserFactory
from tests.processes import uvicorn_process

UPLOAD_LIMIT = 100_000  # bytes: JOB_UPLOAD_MAX_BYTES of the test server
MAX_FILES = 2  # DEMO_UPLOAD_MAX_FILES of the test server


@pytest.fixture(scope="session")
def server(django_db_setup, django_db_blocker):
    """Base URL of the whole ASGI app under uvicorn, on the test database."""
    with django_db_blocker.unblock():
        db_name = connection.settings_dict["NAME"]
    env = {"JOB_UPLOAD_MAX_BYTES": str(UPLOAD_LIMIT), "DEMO_UPLOAD_MAX_FILES": str(MAX_FILES)}
    with uvicorn_process(db_name=db_name, extra_env=env, name="security", timeout=240) as base:
        yield base


@pytest.fixture
def upload_dir() -> Path:
    """The server's demo upload folder (same settings module, same test database name)."""
    return Path(settings.DEMO_UPLOAD_DIR).resolve()


def stored_files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def signed_in_cookies(user=None) -> dict[str, str]:
    """A real session cookie of a (committed) user, as the browser would send it."""
    client = Client()
    client.force_login(user or UserFactory())
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def demo_config(base: str, slug: str) -> dict:
    response = httpx.get(f"{base}/demos/{slug}/config", timeout=30)
    response.raise_for_status()
    return response.json()


def run_event(base: str, slug: str, fn_index: int, data: list, cookies=None, timeout: float = 60) -> dict:
    """Send one event as the page does; returns Gradio's final message for it (process_completed)."""
    session = uuid.uuid4().hex
    body = {
        "data": data,
        "fn_index": fn_index,
        "session_hash": session,
        "event_data": None,
        "trigger_id": None,
    }
    joined = httpx.post(f"{base}/demos/{slug}/gradio_api/queue/join", json=body, cookies=cookies, timeout=30)
    joined.raise_for_status()
    event_id = joined.json()["event_id"]
    url = f"{base}/demos/{slug}/gradio_api/queue/data"
    with httpx.stream(
        "GET", url, params={"session_hash": session}, cookies=cookies, timeout=timeout
    ) as stream:
        for line in stream.iter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            if message.get("event_id") == event_id and message.get("msg") == "process_completed":
                return message
    raise AssertionError(f"no process_completed for {slug} fn {fn_index}")
