"""Plotting set-ups the phase generators share: blank diagram axes, labelled boxes, arrows, the
left-to-right flow diagram, spectrogram-style images and axis labels. Private (a leading
underscore), so the package loader imports it only through the generators and it registers no
figure. Each helper makes exactly the matplotlib calls its callers made before, in the same
order: the committed SVGs are rebuilt byte for byte."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage

Point = tuple[float, float]


def blank(ax: Axes, xlim: Point, ylim: Point) -> None:
    """Fixed limits and no frame: a canvas for boxes and arrows in data coordinates."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.axis("off")


def blank_axes(figsize: Point, xlim: Point, ylim: Point) -> tuple[Figure, Axes]:
    """A new figure with one blank canvas (see `blank`)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    blank(ax, xlim, ylim)
    return fig, ax


def box(
    ax: Axes,
    xy: Point,
    w: float,
    h: float,
    text: str,
    *,
    fc: str,
    ec: str = "black",
    pad: float = 0.05,
    fontsize: float = 9,
    centred: bool = False,
    **patch: Any,
) -> None:
    """A rounded box with `text` in its middle; `xy` is its lower-left corner, or its centre when
    `centred` (the two are kept apart so neither adds and subtracts half sizes: positions stay exact)."""
    from matplotlib.patches import FancyBboxPatch

    if centred:
        corner, middle = (xy[0] - w / 2, xy[1] - h / 2), xy
    else:
        corner, middle = xy, (xy[0] + w / 2, xy[1] + h / 2)
    ax.add_patch(FancyBboxPatch(corner, w, h, boxstyle=f"round,pad={pad}", fc=fc, ec=ec, **patch))
    ax.text(*middle, text, ha="center", va="center", fontsize=fontsize)


def arrow(ax: Axes, start: Point, end: Point, **props: Any) -> None:
    """A plain arrow (no label) from `start` to `end`; `props` add to or replace the "->" style."""
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", **props})


def flow_diagram(ax: Axes, labels: list[str], *, y: float = 0.5, colour: str = "#dbe8f5") -> None:
    """Draw labelled boxes left to right joined by arrows; why: several lessons show a pipeline."""
    from matplotlib.patches import FancyBboxPatch

    n = len(labels)
    width = 1.0 / n
    for i, label in enumerate(labels):
        x = i * width + 0.1 * width
        ax.add_patch(
            FancyBboxPatch(
                (x, y - 0.17), 0.8 * width, 0.34, boxstyle="round,pad=0.01", fc=colour, ec="#34495e"
            )
        )
        ax.text(x + 0.4 * width, y, label, ha="center", va="center", fontsize=8.5, wrap=True)
        if i < n - 1:
            arrow(ax, (x + 0.8 * width, y), ((i + 1) * width + 0.1 * width, y), color="#34495e")
    blank(ax, (0, 1), (0, 1))


def spectrogram(ax: Axes, image: Any, **style: Any) -> AxesImage:
    """A time-frequency image with low frequencies at the bottom, stretched to fill the axes."""
    return ax.imshow(image, origin="lower", aspect="auto", **style)


def label_axes(
    ax: Axes,
    *,
    x: str | None = None,
    y: str | None = None,
    title: str | None = None,
    title_size: float | None = None,
) -> None:
    """Axis labels and title, each only when given (the title at `title_size` when given)."""
    if x is not None:
        ax.set_xlabel(x)
    if y is not None:
        ax.set_ylabel(y)
    if title is not None:
        if title_size is None:
            ax.set_title(title)
        else:
            ax.set_title(title, fontsize=title_size)


def flow_figure(
    figsize: Point,
    labels: list[str],
    *,
    colour: str = "#dbe8f5",
    note: str | None = None,
    note_y: float = 0.1,
) -> tuple[Figure, Axes]:
    """A new figure holding one flow diagram, with an optional centred note under the boxes."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    flow_diagram(ax, labels, colour=colour)
    if note is not None:
        ax.text(0.5, note_y, note, ha="center", fontsize=9)
    return fig, ax


def link(ax: Axes, start: Point, end: Point) -> None:
    """An arrow patch joining two blocks of a drawn network (data coordinates, no text)."""
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="->", mutation_scale=12))
