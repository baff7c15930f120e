"""The site's menu bar, kept per user in the shared cache (webapp/fragments.py): rendered, with the
menu's cohort check, once per user and page section until that user's data changes, not on every page."""

import hashlib
from collections.abc import Callable

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import ResolverMatch

from webapp.fragments import CSRF_STAND_IN, fragment_csrf_fill, fragment_get_or_render

# The menu link marked as the current page, by the URL namespace (or name) of the page shown.
_SECTIONS = {"curriculum": "curriculum", "quiz": "quiz", "workers": "workers", "cohorts": "cohorts"}
_DEMO_PAGES = ("demos", "demo_page")
# Functions from a signed-in user to what the menu shows of them from other apps' tables (the
# cohorts app: whether they are in one), registered at start-up (an AppConfig.ready): the pages of
# the layers below use the menu without importing those apps. Whoever registers one bumps the user's
# fragments (fragments_invalidate_user) when its answer changes.
_MENU_FACTS: list[Callable[[object], dict]] = []


def menu_facts_register(facts_of: Callable[[object], dict]) -> None:
    if facts_of not in _MENU_FACTS:
        _MENU_FACTS.append(facts_of)


def nav_section(match: ResolverMatch | None) -> str:
    """Which menu link is the current page's ('' for none)."""
    if match is None:
        return ""
    if match.url_name in _DEMO_PAGES:
        return "demos"
    return _SECTIONS.get(match.app_name, "")


def _shown_user(user) -> str:
    """What the menu shows of the user's account, as part of its key: a renamed user or a changed
    role or staff flag gets a new entry at once, with no invalidation to forget. (Cohort membership,
    the one thing read from other tables, is invalidated by the cohort services instead.)"""
    if not user.is_authenticated:
        return "-"
    shown = repr((user.shown_name, user.role, user.is_staff))
    return hashlib.sha256(shown.encode()).hexdigest()[:32]  # the database cache's keys: ≤ 255 chars


def site_nav_key(request: HttpRequest) -> tuple[str, str]:
    """What the menu depends on besides the user's token: the page's section and the shown user."""
    return nav_section(request.resolver_match), _shown_user(request.user)


def site_nav_html(*, request: HttpRequest | None, query: str = "", in_kept_page: bool = False) -> str:
    """The menu for this request's user, with this request's CSRF token in its log-out form. In a
    page kept whole (webapp/pages.py) it is rendered with the page and keeps the CSRF stand-in,
    filled when the page is sent. With a search query to show in its box (the search page) it is
    rendered afresh: typed text is never kept. A visitor's menu is rendered on every page (it reads
    no table, and the sign-in page then needs no cache); a page rendered without a request (no user
    known) gets a visitor's menu."""
    if request is None:
        return render_to_string("_site_nav.html", {"current": "", "query": query})
    user = request.user
    current, shown = site_nav_key(request)

    def render() -> str:
        context = {"current": current, "query": query}
        if user.is_authenticated:
            for facts_of in _MENU_FACTS:
                context |= facts_of(user)
        context["csrf_token"] = CSRF_STAND_IN  # the kept menu must not carry the token of who rendered it
        return render_to_string("_site_nav.html", context, request=request)

    if in_kept_page:
        return render()
    kept = user.is_authenticated and not query
    html = (
        fragment_get_or_render(name="nav", user=user, render=render, parts=(current, shown))
        if kept
        else render()
    )
    return fragment_csrf_fill(html, request)
