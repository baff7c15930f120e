"""Markdown → safe HTML for curriculum bodies (rendered once at import, not per request)."""

import html
import re

import bleach
import markdown
from django.templatetags.static import static

_ALLOWED_TAGS = {
    "p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "h2", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "span", "div", "sup", "sub",
    "figure", "figcaption", "img",
}  # fmt: skip
_ALLOWED_ATTRS = {
    "a": ["href", "title"],
    "code": ["class"],
    "span": ["class"],
    "div": ["class"],
    "figure": ["class"],
    "*": ["id"],
}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "img":  # images only from the lesson figures, never a remote address
        if name == "src":
            return value.startswith(static("curriculum/figures/")) and ".." not in value
        return name in ("alt", "loading", "decoding")
    return name in _ALLOWED_ATTRS.get(tag, ()) or name in _ALLOWED_ATTRS["*"]


_FIGURE_LINE = re.compile(
    r'^!\[(?P<alt>[^\]]*)\]\(figures/(?P<name>[a-z0-9-]+)\.svg(?:\s+"(?P<caption>[^"]*)")?\)\s*$',
    re.MULTILINE,
)
_RUNNABLE_FENCE = re.compile(r"^(```+|~~~+)python runnable[ \t]*$", re.MULTILINE)


def _figure_html(match: re.Match) -> str:
    """A lesson figure: only our own static SVGs (the name is a slug), with its alt text and caption."""
    src = static(f"curriculum/figures/{match.group('name')}.svg")
    alt = html.escape(match.group("alt").strip(), quote=True)
    caption = match.group("caption")
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'\n<figure class="lesson-figure"><img src="{src}" alt="{alt}" loading="lazy" decoding="async">{figcaption}</figure>\n'


def render_markdown(text: str) -> str:
    text = _RUNNABLE_FENCE.sub(r"\1python", text)  # the marker is for the content tests, not readers
    text = _FIGURE_LINE.sub(_figure_html, text)
    html_text = markdown.markdown(text, extensions=["fenced_code", "tables", "sane_lists", "toc"])
    return bleach.clean(
        html_text, tags=_ALLOWED_TAGS, attributes=_allowed_attribute, protocols={"http", "https"}
    )
