"""Site-wide template helpers: the menu bar, the footer's source link and running version, and
keyboard-scrollable code blocks."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from webapp.fragments import CSRF_STAND_IN
from webapp.site_nav import site_nav_html
from webapp.source import RunningVersion, running_version

register = template.Library()


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    """The menu bar: kept per user in the shared cache (webapp/site_nav.py). In a page rendered with
    the CSRF stand-in (to be kept whole) the stand-in stays, filled when the page is sent."""
    html = site_nav_html(
        request=context.get("request"),
        query=context.get("query") or "",
        in_kept_page=context.get("csrf_token") == CSRF_STAND_IN,
    )
    return mark_safe(html)  # HTML we rendered


@register.simple_tag
def source_code_url() -> str:
    return settings.SOURCE_CODE_URL or reverse("source_archive")


@register.simple_tag(name="running_version")
def running_version_tag() -> RunningVersion:
    return running_version()


@register.filter
def keyboard_scrollable(html: str) -> SafeString:
    """Code blocks scroll sideways; tabindex lets keyboard users scroll them too (WCAG 2.1.1).
    For HTML this project rendered itself (topic bodies), already safe."""
    return mark_safe(str(html).replace("<pre>", '<pre tabindex="0">'))  # our own rendered markdown
