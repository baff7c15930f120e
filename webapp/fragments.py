"""Rendered page fragments kept in the shared cache, per user, dropped when that user's data changes.

A fragment's key names its owner and two version tokens: the owner's (bumped when their progress
changes) and the site's (bumped when the curriculum is imported). Bumping a token never deletes
anything; it makes every key built with the old token unreachable, and the old entries expire.
The tokens live in the same shared cache (Redis, or the database table on the embedded default), so
every web process sees a bump at once: a per-process cache would keep showing the old page.
"""

from collections.abc import Callable
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

FRAGMENT_TIMEOUT_S = 60 * 60  # an hour: an entry nobody asks for makes room; a bump is what invalidates
SITE_SCOPE = "site"


def _token_key(scope: str) -> str:
    return f"fragver:{scope}"


def _owner_scope(user) -> str:
    return f"user:{user.pk}" if user.is_authenticated else "anonymous"


def fragment_get_or_render(*, name: str, user, render: Callable[[], str], parts: tuple = ()) -> str:
    """The cached HTML of `name` for this user (and `parts`, such as a slug), else `render()`'s,
    stored. The tokens are read before rendering: a change committed meanwhile bumps them, so a page
    rendered from older data lands under a key nobody reads again."""
    scope = _owner_scope(user)
    tokens = _tokens([_token_key(scope), _token_key(SITE_SCOPE)])
    key = ":".join(["frag", name, scope, *tokens, *(str(p) for p in parts)])
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_TIMEOUT_S)
    return html


def site_value_get_or_compute(*, name: str, compute: Callable[[], object]) -> object:
    """A value every user shares (derived from the curriculum or question bank only, never from one
    learner's data), kept until the next import bumps the site's token."""
    (token,) = _tokens([_token_key(SITE_SCOPE)])
    key = f"siteval:{name}:{token}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FRAGMENT_TIMEOUT_S)
    return value


def _tokens(keys: list[str]) -> list[str]:
    """The current token of each scope; a missing one (never bumped, or evicted by Redis) gets a new
    random token rather than a fixed default, so an eviction can't make old entries reachable again."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid4().hex, None)
            found[key] = cache.get(key) or uuid4().hex  # evicted at once: a miss, never stale
    return [found[key] for key in keys]


def _bump(scope: str) -> None:
    cache.set(_token_key(scope), uuid4().hex, None)


def fragments_invalidate_user(*, user_id: int) -> None:
    """After the current transaction commits (a reader must not refill the cache from data about to
    change), drop every fragment of this user."""
    transaction.on_commit(lambda: _bump(f"user:{user_id}"))


def fragments_invalidate_site() -> None:
    """After commit, drop every user's fragments (the curriculum they show changed)."""
    transaction.on_commit(lambda: _bump(SITE_SCOPE))
