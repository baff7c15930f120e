"""Rendered page fragments kept in the shared cache, per user, dropped when that user's data changes.

A fragment's key names its owner and two version tokens: the owner's (bumped when their progress
changes) and the site's (bumped when the curriculum is imported). Bumping a token never deletes
anything; it makes every key built with the old token unreachable, and the old entries expire.
The tokens live in the same shared cache (Redis, or the database table on the embedded default), so
every web process sees a bump at once: a per-process cache would keep showing the old page.

A group's fragment (a cohort's dashboard, the same for each of its owners) has the group's token
and the site's. A change to a user's data bumps, besides the user's token, the token of every
group that shows it: the app that owns the groups registers, at start-up, a function naming a
user's groups (user_groups_register), so the writes that renew a learner's pages (progress,
answers, ...) need no knowledge of cohorts, and a dashboard's key stays two tokens however many
learners it shows.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

FRAGMENT_TIMEOUT_S = 60 * 60  # an hour: an entry nobody asks for makes room; a bump is what invalidates
BUILD_WAIT_S = 10  # how long a group fragment's other readers wait for the one building it
BUILD_POLL_S = 0.02
SITE_SCOPE = "site"
# Functions from a user id to the groups (e.g. "cohort:7") whose fragments show that user's data.
_USER_GROUPS: list[Callable[[int], Iterable[str]]] = []


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


def group_fragment_get_or_render(
    *, name: str, group: str, render: Callable[[], str], parts: tuple = ()
) -> str:
    """The cached HTML of `name` for a group (such as "cohort:7"), else `render()`'s, stored. Every
    member's data change reaches it through the registered group functions; read the tokens
    before rendering, as fragment_get_or_render does. Who may see the group is the caller's check."""
    tokens = _tokens([_token_key(f"group:{group}"), _token_key(SITE_SCOPE)])
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = ":".join(["frag", name, group, *tokens, digest])  # the database cache's keys: ≤ 255 chars
    html = cache.get(key)
    if html is None:
        html = _render_once(key, render)
    return html


def _render_once(key: str, render: Callable[[], str]) -> str:
    """Render and store under `key`, one request at a time: the others that miss meanwhile (ten
    instructors opening the dashboard after a change) wait for that body rather than each building
    it. A builder that takes longer than BUILD_WAIT_S (or failed) is not waited for any longer."""
    lock = f"{key}:building"
    if not cache.add(lock, 1, BUILD_WAIT_S):
        deadline = time.monotonic() + BUILD_WAIT_S
        while time.monotonic() < deadline:
            time.sleep(BUILD_POLL_S)
            html = cache.get(key)
            if html is not None:
                return html
    try:
        html = render()
        cache.set(key, html, FRAGMENT_TIMEOUT_S)
    finally:
        cache.delete(lock)
    return html


def user_groups_register(groups_of: Callable[[int], Iterable[str]]) -> None:
    """At start-up (an AppConfig.ready): `groups_of(user_id)` names the groups whose fragments
    show that user's data; each is bumped with the user's own token."""
    if groups_of not in _USER_GROUPS:
        _USER_GROUPS.append(groups_of)


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
    change), drop every fragment of this user, and those of the groups that show their data."""
    transaction.on_commit(lambda: _bump_user(user_id))


def _bump_user(user_id: int) -> None:
    _bump(f"user:{user_id}")
    for groups_of in _USER_GROUPS:
        for group in groups_of(user_id):
            _bump(f"group:{group}")


def fragments_invalidate_group(*, group: str) -> None:
    """After commit, drop the group's fragments (its membership or its own settings changed)."""
    transaction.on_commit(lambda: _bump(f"group:{group}"))


def fragments_invalidate_site() -> None:
    """After commit, drop every user's fragments (the curriculum they show changed)."""
    transaction.on_commit(lambda: _bump(SITE_SCOPE))
