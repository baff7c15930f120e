"""The demos a topic may link to (slug, title, one line), as the roadmap needs them. The demos app
registers its catalog here at start-up (demos.apps), so curriculum — below demos in the import
order — checks topic files and builds topic pages without importing demos."""

from collections.abc import Callable, Iterable
from typing import Protocol


class DemoLink(Protocol):
    slug: str
    title: str
    blurb: str


_DEMOS: dict[str, DemoLink] = {}
_mounted: list[Callable[[], frozenset[str]]] = []


def demo_links_register(demos: Iterable[DemoLink], *, mounted: Callable[[], frozenset[str]]) -> None:
    """Called once per process by the demos app with its catalog (demos/catalog.py) and the function
    that says which of them this server mounts (demos/registry.py)."""
    _DEMOS.update({demo.slug: demo for demo in demos})
    _mounted[:] = [mounted]


def demo_is_mounted(slug: str) -> bool:
    return bool(_mounted) and slug in _mounted[0]()


def demo_link(slug: str) -> DemoLink | None:
    return _DEMOS.get(slug)


def demo_slugs() -> frozenset[str]:
    return frozenset(_DEMOS)
