"""Whole pages kept per user in the shared cache (webapp/fragments.py): the menu, the body and the
footer rendered once per user, until that user's data or the curriculum changes. A page is kept in
one slot per user and address, with the token-bearing key it was rendered under; the slot is read in
the same cache call as the signed-in user's row and tokens (webapp/fragments.py, account_row_read),
so a kept page costs two cache reads (the session, then that one) and the fill of this request's
CSRF token, as Django's whole-page cache does."""

import hashlib
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from webapp.fragments import (
    FRAGMENT_TIMEOUT_S,
    fragment_csrf_fill,
    fragment_key,
    page_slot_of,
    page_slot_prefetched,
)
from webapp.site_nav import site_nav_key
from webapp.source import running_version


def page_get_or_render(
    request: HttpRequest,
    *,
    name: str,
    render: Callable[[], str],
    parts: tuple = (),
    timeout: int = FRAGMENT_TIMEOUT_S,
    keep: Callable[[], bool] = lambda: True,
) -> HttpResponse:
    """The response for a page that shows only the user's own data (under the user's token) and the
    curriculum's (the site's): `render()` renders the whole page with `csrf_token=CSRF_STAND_IN` in
    its context, and each response fills in its own token. `parts` are what else the page depends
    on (a slug); the menu's section and shown user, and the running version (its static files' names,
    its footer), are added. `keep()`, asked after rendering, may leave that rendering unkept
    (fragment_get_or_render). A request with a message to show (shown once) gets a page rendered for it alone."""
    if get_messages(request):
        return HttpResponse(fragment_csrf_fill(render(), request))
    shell = repr((*site_nav_key(request), running_version().label))
    digest = hashlib.sha256(shell.encode()).hexdigest()[:32]  # the database cache's keys: ≤ 255 chars
    key = fragment_key(name=f"page:{name}", user=request.user, parts=(*parts, digest))
    slot = page_slot_of(request)
    read_ahead, kept = page_slot_prefetched(slot)
    if not read_ahead:
        kept = cache.get(slot)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == key:
        html = kept[1]
    else:  # none kept, or kept under older tokens or for another shell: render, keep (key, html)
        html = render()
        if keep():
            cache.set(slot, (key, html), timeout)
    return HttpResponse(fragment_csrf_fill(html, request))
