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

A group's body is served stale while it is rebuilt: 200 learners' figures take a second or two to
compute, and with members' data changing every second the next reader would otherwise always wait
for them. Beside the token-keyed entry each group keeps its latest body, keyed without the group's
member-data token; on a miss of the current entry a reader gets that body at once (with when it was
built) while one background thread builds the current one, at most once every
FRAGMENT_GROUP_REBUILD_MIN_S seconds. Member-data changes (`_bump_user`) are
soft: they bump only the member-data token. Changes to the group itself
(`fragments_invalidate_group`: who is in it, its assignments, a deleted account) are hard: they
bump a second token that the latest body's key carries too, so a removed or deleted learner is never
shown again, not even while the new body is built.

Within a request the tokens are read once (FragmentTokensMiddleware): the first read also fetches
the request's user's token and the site's, so a page that shows a site value, its kept body and
the menu pays one cache call for all their tokens. What a request holds dies with it; a bump the
request commits updates it.
"""

import contextlib
import contextvars
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

FRAGMENT_TIMEOUT_S = 60 * 60  # an hour: an entry nobody asks for makes room; a bump is what invalidates
BUILD_WAIT_S = 10  # how long a group fragment's other readers wait for the one building it
BUILD_POLL_S = 0.02
SITE_SCOPE = "site"
# Functions from a user id to the groups (e.g. "cohort:7") whose fragments show that user's data.
_USER_GROUPS: list[Callable[[int], Iterable[str]]] = []


def _token_key(scope: str) -> str:
    return f"fragver:{scope}"


class _RequestTokens:
    """The tokens one request has read (FragmentTokensMiddleware): a page reads its user's and the
    site's tokens once, in one cache call, however many fragments and site values it shows. Lives
    as long as the request, so it never holds a token another request could find stale."""

    def __init__(self, request):
        self.request, self.held = request, {}
        self.slots: dict[str, object] = {}  # page slots read ahead (page_slot_key), found or None

    def get(self, keys: list[str]) -> list[str]:
        if any(key not in self.held for key in keys):
            user = getattr(self.request, "user", None)
            # What a page asks for next (its user's and the site's), in the same call. Loading the
            # user may itself read them, with its account row's token (webapp/accounts/backends.py).
            also = [_token_key(SITE_SCOPE), *([_token_key(_owner_scope(user))] if user is not None else [])]
            wanted = [key for key in dict.fromkeys([*keys, *also]) if key not in self.held]
            if wanted:
                self.held.update(zip(wanted, _tokens(wanted), strict=True))
        return [self.held[key] for key in keys]


_REQUEST_TOKENS: contextvars.ContextVar[_RequestTokens | None] = contextvars.ContextVar(
    "fragment_request_tokens", default=None
)


class FragmentTokensMiddleware:
    """Within a request, each fragment token is read from the shared cache once (after
    AuthenticationMiddleware: the user's token is read with the site's). Bumps the request itself
    commits update what it holds."""

    def __init__(self, get_response: Callable):
        self.get_response = get_response

    def __call__(self, request):
        held = _REQUEST_TOKENS.set(_RequestTokens(request))
        try:
            return self.get_response(request)
        finally:
            _REQUEST_TOKENS.reset(held)


def _tokens_read(keys: list[str]) -> list[str]:
    """The tokens of `keys`: once per request inside one, from the shared cache each call outside."""
    held = _REQUEST_TOKENS.get()
    return held.get(keys) if held is not None else _tokens(keys)


def _owner_scope(user) -> str:
    return f"user:{user.pk}" if user.is_authenticated else "anonymous"


def fragment_key(*, name: str, user, parts: tuple = ()) -> str:
    """The key of `name`'s fragment for this user now: it names the user's and the site's current
    tokens (read before rendering), so a bump makes it unreachable."""
    scope = _owner_scope(user)
    tokens = _tokens_read([_token_key(scope), _token_key(SITE_SCOPE)])
    return ":".join(["frag", name, scope, *tokens, *(str(p) for p in parts)])


def fragment_get_or_render(
    *,
    name: str,
    user,
    render: Callable[[], str],
    parts: tuple = (),
    timeout: int = FRAGMENT_TIMEOUT_S,
    keep: Callable[[], bool] = lambda: True,
) -> str:
    """The cached HTML of `name` for this user (and `parts`, such as a slug), else `render()`'s,
    stored unless `keep()`, asked after rendering, says that rendering shows something that changes
    without a token bump (a job still running). The tokens are read before rendering: a change
    committed meanwhile bumps them, so a page rendered from older data lands under a key nobody reads again."""
    key = fragment_key(name=name, user=user, parts=parts)
    html = cache.get(key)
    if html is None:
        html = render()
        if keep():
            cache.set(key, html, timeout)
    return html


# A cached body with a form must not carry the CSRF token of the request that rendered it: the
# learner's token changes when they sign in again, and a stale one fails every POST with a 403.
# The body is rendered with this stand-in, which `{% csrf_token %}` prints as a hidden input, and
# each response puts the live token in its place. Only that whole tag is replaced: text a user
# typed is escaped in the body, so it can never produce the tag itself.
CSRF_STAND_IN = "csrf-token-stand-in"
_CSRF_STAND_IN_TAG = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_STAND_IN}">'


def fragment_csrf_fill(html: str, request) -> str:
    """`html` rendered with `csrf_token=CSRF_STAND_IN`, with this request's token in its forms."""
    if _CSRF_STAND_IN_TAG not in html:
        return html
    from django.middleware.csrf import get_token

    live = f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
    return html.replace(_CSRF_STAND_IN_TAG, live)


# name → (site token, value): this process's copy of each site value it has read. Not a cache of its
# own: the token is read from the shared cache on every call, so an import seen by one process is
# seen by all at once; the copy only spares unpickling a topic with its resources on every page.
_SITE_VALUES: dict[str, tuple[str, object]] = {}


def site_value_get_or_compute(*, name: str, compute: Callable[[], object]) -> object:
    """A value every user shares (derived from the curriculum or question bank only, never from one
    learner's data), kept until the next import bumps the site's token. Callers must treat it as
    read-only: the same object serves every request of this process until that bump."""
    (token,) = _tokens_read([_token_key(SITE_SCOPE)])
    held = _SITE_VALUES.get(name)
    if held is not None and held[0] == token:
        return held[1]
    key = f"siteval:{name}:{token}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FRAGMENT_TIMEOUT_S)
    _SITE_VALUES[name] = (token, value)
    return value


@dataclass(frozen=True)
class GroupFragment:
    html: str
    stale: bool  # the group's latest body, served while the current one is built
    built_at: datetime | None  # when a stale body was built; None for a current one


def _group_scope(group: str) -> str:
    return f"group:{group}"  # bumped by every change the group's fragments show


def _group_hard_scope(group: str) -> str:
    return f"group-hard:{group}"  # bumped only by changes to the group itself


def group_fragment_get_or_render(
    *, name: str, group: str, render: Callable[[], str], parts: tuple = ()
) -> GroupFragment:
    """The cached HTML of `name` for a group (such as "cohort:7"), else `render()`'s, stored. On a
    miss after a member-data change, the group's latest body is returned at once, marked stale, and
    the current one is built in the background; only with no latest body (first view, or a change
    to the group itself) does this request build, as fragment_get_or_render does. Tokens are read
    before rendering. Who may see the group is the caller's check."""
    soft, hard, site = _tokens_read(
        [_token_key(_group_scope(group)), _token_key(_group_hard_scope(group)), _token_key(SITE_SCOPE)]
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = ":".join(["frag", name, group, soft, site, digest])  # the database cache's keys: ≤ 255 chars
    latest_key = ":".join(["fraglatest", name, group, hard, site, digest])
    found = cache.get_many([key, latest_key])
    if key in found:
        return GroupFragment(html=found[key], stale=False, built_at=None)

    def build() -> str:
        built_at = timezone.now()  # before the data is read: the body shows at least this much
        html = render()
        cache.set_many({key: html, latest_key: (html, built_at)}, FRAGMENT_TIMEOUT_S)
        return html

    if latest_key not in found:
        return GroupFragment(html=_render_once(key, build), stale=False, built_at=None)
    html, built_at = found[latest_key]
    lock = _lock_key(key)
    # At most one rebuild per FRAGMENT_GROUP_REBUILD_MIN_S: with members changing something every
    # second, a 200-learner body rebuilt after each change would keep a core busy for figures no
    # one has time to read; a reader after the interval starts the next rebuild.
    age_s = (timezone.now() - built_at).total_seconds()
    if age_s >= settings.FRAGMENT_GROUP_REBUILD_MIN_S and cache.add(lock, 1, BUILD_WAIT_S):
        _rebuild_later(lambda: _build_and_unlock(build, lock))  # (else one is being built already)
    return GroupFragment(html=html, stale=True, built_at=built_at)


def _lock_key(key: str) -> str:
    return f"{key}:building"


def _render_once(key: str, build: Callable[[], str]) -> str:
    """Build (render and store under `key`), one request at a time: the others that miss meanwhile
    (ten instructors opening the dashboard after a change) wait for that body rather than each
    building it. A builder that takes longer than BUILD_WAIT_S (or failed) is not waited for any longer."""
    lock = _lock_key(key)
    if not cache.add(lock, 1, BUILD_WAIT_S):
        deadline = time.monotonic() + BUILD_WAIT_S
        while time.monotonic() < deadline:
            time.sleep(BUILD_POLL_S)
            html = cache.get(key)
            if html is not None:
                return html
    return _build_and_unlock(build, lock)


def _build_and_unlock(build: Callable[[], str], lock: str) -> str:
    try:
        return build()
    finally:
        cache.delete(lock)


def _rebuild_later(rebuild: Callable[[], object]) -> None:
    """Run `rebuild` in a daemon thread, so the reader it was started for is not kept waiting. With
    FRAGMENT_REBUILD_IN_BACKGROUND off (the tests: another thread's connection cannot see a test's
    uncommitted rows) it runs here, after the stale body was chosen, so the next reader gets the new one."""
    if not settings.FRAGMENT_REBUILD_IN_BACKGROUND:
        _rebuild_logged(rebuild)
        return
    threading.Thread(target=_rebuild_in_thread, args=(rebuild,), name="fragment-rebuild", daemon=True).start()


REBUILD_THREAD_NICENESS = 10  # behind the requests: readers are served the stale body meanwhile


def _rebuild_in_thread(rebuild: Callable[[], object]) -> None:
    try:
        _thread_deprioritise()
        _rebuild_logged(rebuild)
    finally:
        connection.close()  # this thread's own connection: no request cycle closes it


def _thread_deprioritise() -> None:
    """Lower this thread's CPU priority (Linux schedules threads on their own), so a second of
    rebuilding a 200-learner dashboard does not slow the requests the same process serves."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed: run as it is
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), REBUILD_THREAD_NICENESS)


def _rebuild_logged(rebuild: Callable[[], object]) -> None:
    """A failed rebuild leaves the stale body served and releases the lock: the next reader retries."""
    try:
        rebuild()
    except Exception:
        logger.exception("Rebuilding a group fragment failed")


def user_groups_register(groups_of: Callable[[int], Iterable[str]]) -> None:
    """At start-up (an AppConfig.ready): `groups_of(user_id)` names the groups whose fragments
    show that user's data; each is bumped with the user's own token."""
    if groups_of not in _USER_GROUPS:
        _USER_GROUPS.append(groups_of)


def _account_row_key(user_id: int) -> str:
    return f"account-row:{user_id}"


def page_slot_key(scope: str, full_path: str) -> str:
    """Where the page kept for `scope` (a user) at `full_path` lives, whatever the tokens: its value
    names the token-bearing key it was rendered under (webapp/pages.py). Sorts before the tokens'
    keys, so the database cache's cull (by key order) takes pages before tokens."""
    return f"frag:slot:{scope}:{hashlib.sha256(full_path.encode()).hexdigest()[:32]}"


def page_slot_of(request) -> str:
    """The page slot of this request's user and address."""
    return page_slot_key(_owner_scope(request.user), request.get_full_path())


def page_slot_prefetched(slot: str) -> tuple[bool, object]:
    """(True, what was found) when this request read `slot` ahead with its tokens, else (False, None)."""
    held = _REQUEST_TOKENS.get()
    if held is None or slot not in held.slots:
        return False, None
    return True, held.slots[slot]


def account_row_read(user_id: int) -> tuple[str, object | None]:
    """The token of a user's account row, and the row webapp.accounts.backends kept under that
    token (None if none is). The row is kept beside its token under one key per user, so it comes
    in the same cache call as the tokens: within a request, that user's and the site's fragment
    tokens too, which the page reads next (never through `request.user`, which is being loaded).
    A row kept under an older token is not returned."""
    keys = [_token_key(f"account:{user_id}"), _token_key(f"user:{user_id}"), _token_key(SITE_SCOPE)]
    row_key = _account_row_key(user_id)
    held = _REQUEST_TOKENS.get()
    missing = keys if held is None else [key for key in keys if key not in held.held]
    # The page this request asks for, as kept for this user, in the same call (a GET: what a page
    # kept whole answers); page_get_or_render checks that it was rendered under today's tokens.
    slot = None
    if held is not None and held.request.method == "GET":
        slot = page_slot_key(f"user:{user_id}", held.request.get_full_path())
    found = cache.get_many([*missing, row_key, *([slot] if slot else [])])
    tokens = dict(zip(missing, _tokens_filled(missing, found), strict=True))
    if held is not None:
        held.held.update(tokens)
        tokens = held.held
        if slot is not None:
            held.slots[slot] = found.get(slot)
    token = tokens[keys[0]]
    kept = found.get(row_key)
    return token, kept[1] if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == token else None


def account_row_keep(user_id: int, token: str, row: object, timeout: int) -> None:
    """Keep `row` for readers of `token` (read before the row was: see account_row_read)."""
    cache.set(_account_row_key(user_id), (token, row), timeout)


def account_invalidate(*, user_id: int) -> None:
    """Drop the kept account row now, and again after commit: a reader in between reads the row as
    it was before and keeps it under the first new token, which the second makes unreachable. The
    first is what a later step of the same transaction (a test, a migration) sees."""
    _bump(f"account:{user_id}")
    transaction.on_commit(lambda: _bump(f"account:{user_id}"))


def _tokens(keys: list[str]) -> list[str]:
    """The current token of each scope; a missing one (never bumped, or evicted by Redis) gets a new
    random token rather than a fixed default, so an eviction can't make old entries reachable again."""
    return _tokens_filled(keys, cache.get_many(keys))


def _tokens_filled(keys: list[str], found: dict) -> list[str]:
    """The tokens of `keys` from `found` (a get_many's answer), a new one for each missing."""
    for key in keys:
        if key not in found:
            cache.add(key, uuid4().hex, None)
            found[key] = cache.get(key) or uuid4().hex  # evicted at once: a miss, never stale
    return [found[key] for key in keys]


def _bump(*scopes: str) -> None:
    tokens = {_token_key(scope): uuid4().hex for scope in scopes}
    cache.set_many(tokens, None)
    held = _REQUEST_TOKENS.get()
    if held is not None:  # a request that changes data and then renders shows the change
        held.held.update(tokens)


def fragments_invalidate_user(*, user_id: int) -> None:
    """After the current transaction commits (a reader must not refill the cache from data about to
    change), drop every fragment of this user, and those of the groups that show their data."""
    transaction.on_commit(lambda: _bump_user(user_id))


def _bump_user(user_id: int) -> None:
    """Soft for the groups: their latest bodies may be served while the new ones are built."""
    groups = [group for groups_of in _USER_GROUPS for group in groups_of(user_id)]
    _bump(f"user:{user_id}", *(_group_scope(group) for group in groups))


def fragments_invalidate_group(*, group: str) -> None:
    """After commit, drop the group's fragments, its latest bodies too (its membership or its own
    settings changed): a learner removed or deleted must not be shown while the new body is built."""
    transaction.on_commit(lambda: _bump(_group_scope(group), _group_hard_scope(group)))


def fragments_invalidate_site() -> None:
    """After commit, drop every user's fragments (the curriculum they show changed)."""
    transaction.on_commit(lambda: _bump(SITE_SCOPE))
