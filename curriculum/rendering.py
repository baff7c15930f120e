"""Markdown → safe HTML for curriculum bodies (rendered once at import, not per request)."""

import bleach
import markdown

_ALLOWED_TAGS = {
    "p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "h2", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "span", "div", "sup", "sub",
}  # fmt: skip
_ALLOWED_ATTRS = {"a": ["href", "title"], "code": ["class"], "span": ["class"], "div": ["class"], "*": ["id"]}


def render_markdown(text: str) -> str:
    html = markdown.markdown(text, extensions=["fenced_code", "tables", "sane_lists", "toc"])
    return bleach.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS, protocols={"http", "https"})
