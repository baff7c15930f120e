"""The signed-in Django user behind a session cookie, for code outside Django's request cycle (the
Gradio demos and the ASGI upload guard), validated exactly as Django validates a page request."""

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import aget_user, get_user


class _SessionOnlyRequest:
    """All that `django.contrib.auth.get_user` reads from a request: its session."""

    def __init__(self, session_key: str):
        self.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def session_user(*, session_key: str | None) -> Any | None:
    """The active user signed in with this session key, or None. Django's own `get_user` does the
    checks: the session exists and has not expired, its backend is configured, the user is active,
    and the session's auth hash still matches the password (a password change or reset signs the
    demos out too, as it does every page). A session that fails the hash check is flushed, as
    Django's middleware would flush it."""
    if not session_key:
        return None
    user = get_user(_SessionOnlyRequest(session_key))
    return user if user.is_authenticated else None


async def asession_user(*, session_key: str | None) -> Any | None:
    """`session_user` for async code (the ASGI middleware)."""
    if not session_key:
        return None
    user = await aget_user(_SessionOnlyRequest(session_key))
    return user if user.is_authenticated else None
