"""Lesson figures: deterministic matplotlib generators, one module per phase, written as SVG.

A phase module (``curriculum/figures/<phase-id>.py``) registers functions with ``@figure("name")``;
each returns a matplotlib ``Figure``. ``make figures`` (``python -m curriculum.figures``) writes every
registered figure to ``curriculum/static/curriculum/figures/<name>.svg``; topics reference them as
``![alt text](figures/<name>.svg "Caption")``. Generators must be deterministic (seeded randomness,
no clock, no network), so re-running the build leaves the committed SVGs unchanged.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

OUTPUT_DIR = Path(__file__).resolve().parent.parent / "static" / "curriculum" / "figures"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")

REGISTRY: dict[str, tuple[str, Callable[[], Figure]]] = {}  # name -> (module, generator)


class FigureError(ValueError):
    pass


def figure(name: str) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Register a generator under ``name`` (the SVG's file name without ``.svg``)."""
    if not _NAME.match(name):
        raise FigureError(f"figure name {name!r}: use lower-case letters, digits and hyphens")

    def register(generator: Callable[[], Figure]) -> Callable[[], Figure]:
        owner = REGISTRY.get(name)
        if owner and owner[1].__qualname__ != generator.__qualname__:
            raise FigureError(f"figure {name!r} registered twice ({owner[0]} and {generator.__module__})")
        REGISTRY[name] = (generator.__module__, generator)
        return generator

    return register


def load_generators() -> dict[str, tuple[str, Callable[[], Figure]]]:
    """Import every phase module so its figures register themselves."""
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


def _matplotlib_setup() -> None:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "soundpath-figures",  # stable element ids
            "svg.fonttype": "none",  # text stays text: smaller, selectable, readable by screen readers
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "figure.dpi": 100,
            "savefig.dpi": 72,  # raster parts (spectrogram images) stay small
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.autolayout": True,
        }
    )


def render_svg(name: str) -> bytes:
    """Run one generator and return its SVG bytes (no file written)."""
    import io

    import matplotlib.pyplot as plt

    _matplotlib_setup()
    load_generators()
    _, generator = REGISTRY[name]
    fig = generator()
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        plt.close(fig)
    return buffer.getvalue()


def build(names: list[str] | None = None, *, output_dir: Path = OUTPUT_DIR) -> list[Path]:
    """Write the named figures (default: all) as SVG files; return the paths written."""
    load_generators()
    unknown = sorted(set(names or []) - set(REGISTRY))
    if unknown:
        raise FigureError(f"unknown figures: {', '.join(unknown)}")
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(names or REGISTRY):
        path = output_dir / f"{name}.svg"
        path.write_bytes(render_svg(name))
        written.append(path)
    return written
