"""Server-side SVG charts for the cohort dashboard (drawn without JavaScript, no CDN): a learner ×
topic mastery heatmap, weekly activity bars and predicted recall by topic. The heatmap's per-cell
tooltips are the one thing a script adds (cohorts/heatmap.js, our own static file).

Every label passes through `escape`; numbers are formatted here. Each chart carries a <title> and
a <desc> (its text summary); the pages show a table with the same numbers beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BANDS = 10  # colour classes m0 … m9, one per tenth of the 0..1 scale (cohorts.css)


def band(value: float) -> int:
    return max(0, min(BANDS - 1, int(value * BANDS)))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(
    chart_id: str, width: float, height: float, title: str, desc: str, body: str, css: str, attrs: str = ""
) -> SafeString:
    """`attrs`: more attributes for the <svg>, already escaped."""
    extra = f" {attrs}" if attrs else ""
    # Safe: every piece of text in `body` and the title was escaped where it was made.
    return mark_safe(
        f'<svg class="cohort-chart {css}" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"{extra}>'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


# ---------------------------------------------------------------------------------------------
# Heatmap

CELL_W, CELL_H = 12, 14
HEAT_LEFT, HEAT_TOP = 150, 170  # room for learner names, and for the slanted topic titles
LEGEND_H = 40
LEGEND_W = 22 * BANDS + 110  # the colour scale, the "no answers" box and its label


@dataclass(frozen=True)
class Axis:
    key: int
    label: str


def heatmap_svg(
    *,
    rows: Sequence[Axis],
    columns: Sequence[Axis],
    cells: dict[tuple[int, int], tuple[float, int]],
    title: str,
    desc: str,
    chart_id: str = "heatmap",
) -> SafeString:
    """Rows × columns of squares coloured by value (0..1); `cells` maps (row key, column key) to
    (value, how many answers). Empty cells stay blank.

    A cohort's heatmap has thousands of cells, so each carries only its column's x, its colour band
    and `data-v` ("84 3": percent, answers). Each row is a <g> moved into place that holds its own
    label; the cell size is the chart's (CSS `--cell-w` and `--cell-h` on the <svg>), and the column
    step is `data-step`. From these cohorts/heatmap.js writes a cell's tooltip with the row's and the
    column's labels ("Ada · Whisper: 84% over 3 answers")."""
    # Small cohorts get bigger cells (up to 32 × 28 px), and the chart is never narrower than its legend.
    cell_w = max(CELL_W, min(32, 480 // max(1, len(columns))))
    cell_h = max(CELL_H, min(28, 360 // max(1, len(rows))))
    width = max(HEAT_LEFT + cell_w * max(1, len(columns)) + 10, HEAT_LEFT + LEGEND_W)
    height = HEAT_TOP + cell_h * max(1, len(rows)) + LEGEND_H
    parts = [
        f'<rect x="{HEAT_LEFT}" y="{HEAT_TOP}" width="{cell_w * len(columns)}" '
        f'height="{cell_h * len(rows)}" class="nodata"/>',
        _heat_columns(columns, cell_w),
    ]
    for i, row in enumerate(rows):
        marks = "".join(
            _heat_cell(j * cell_w, *cells[(row.key, col.key)])
            for j, col in enumerate(columns)
            if (row.key, col.key) in cells
        )
        parts.append(
            f'<g class="heat-row" transform="translate({HEAT_LEFT} {HEAT_TOP + i * cell_h})">'
            f'<text x="-6" y="{cell_h / 2 + 4:.0f}" class="axis" text-anchor="end">{_label(row.label, 22)}</text>'
            f"{marks}</g>"
        )
    parts.append(_legend(HEAT_LEFT, height - LEGEND_H + 12))
    size = f'style="--cell-w:{cell_w - 1}px;--cell-h:{cell_h - 1}px" data-step="{cell_w}"'
    return _svg(chart_id, width, height, title, desc, "".join(parts), "heatmap", size)


def _label(text: str, limit: int) -> str:
    """An axis label, shortened to `limit` characters; a shortened one keeps its full text in a <title>
    (a tooltip, and what heatmap.js names the row or column by)."""
    short = _short(text, limit)
    return escape(text) if short == text else f"<title>{escape(text)}</title>{escape(short)}"


def _heat_columns(columns: Sequence[Axis], cell_w: int) -> str:
    labels = []
    for j, col in enumerate(columns):
        x = HEAT_LEFT + j * cell_w + cell_w / 2
        labels.append(
            f'<text x="{x:.0f}" y="{HEAT_TOP - 6}" class="axis" transform="rotate(-60 {x:.0f} {HEAT_TOP - 6})">'
            f"{_label(col.label, 26)}</text>"
        )
    return f'<g class="heat-cols">{"".join(labels)}</g>'


def _heat_cell(x: int, value: float, answers: int) -> str:
    return f'<rect x="{x}" class="m{band(value)}" data-v="{round(100 * value)} {answers}"/>'


def _legend(x: float, y: float) -> str:
    boxes = "".join(
        f'<rect x="{x + 22 * i}" y="{y}" width="20" height="10" class="m{i}"/>' for i in range(BANDS)
    )
    return (
        f'{boxes}<text x="{x}" y="{y + 24}" class="axis">0%</text>'
        f'<text x="{x + 22 * BANDS - 2}" y="{y + 24}" class="axis" text-anchor="end">100%</text>'
        f'<rect x="{x + 22 * BANDS + 16}" y="{y}" width="20" height="10" class="nodata"/>'
        f'<text x="{x + 22 * BANDS + 40}" y="{y + 9}" class="axis">no answers</text>'
    )


# ---------------------------------------------------------------------------------------------
# Weekly activity: answers and progress events, stacked

ACT_W, ACT_H = 760, 240
ACT_LEFT, ACT_RIGHT, ACT_TOP, ACT_BOTTOM = 44, 12, 30, 28


@dataclass(frozen=True)
class Week:
    start: date
    answers: int
    progress: int  # topics started plus topics finished

    @property
    def total(self) -> int:
        return self.answers + self.progress


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^k at or above `value` (axis tops that read well)."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step >= value:
                return m * step
        step *= 10


def activity_svg(*, weeks: Sequence[Week], title: str, desc: str, chart_id: str = "activity") -> SafeString:
    plot_w, plot_h = ACT_W - ACT_LEFT - ACT_RIGHT, ACT_H - ACT_TOP - ACT_BOTTOM
    top = nice_ceiling(max((w.total for w in weeks), default=0) or 1)
    slot = plot_w / max(1, len(weeks))

    def y(value: float) -> float:
        return ACT_TOP + plot_h * (1 - value / top)

    parts = []
    for tick in (0, top / 2, top):
        parts.append(
            f'<line x1="{ACT_LEFT}" x2="{ACT_W - ACT_RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" class="grid"/>'
            f'<text x="{ACT_LEFT - 6}" y="{y(tick) + 4:.1f}" class="axis" text-anchor="end">{tick:g}</text>'
        )
    last_month = None
    for i, week in enumerate(weeks):
        x = ACT_LEFT + i * slot + 1
        w = max(1.0, slot - 2)
        tip = (
            f"Week of {week.start:%d %b %Y}: {week.answers} answer{'' if week.answers == 1 else 's'}, "
            f"{week.progress} progress event{'' if week.progress == 1 else 's'}"
        )
        answers_top, progress_top = y(week.answers), y(week.total)
        parts.append(
            f"<g><title>{escape(tip)}</title>"
            f'<rect x="{x:.1f}" y="{answers_top:.1f}" width="{w:.1f}" height="{y(0) - answers_top:.1f}" class="answers"/>'
            f'<rect x="{x:.1f}" y="{progress_top:.1f}" width="{w:.1f}" height="{answers_top - progress_top:.1f}" class="progress-events"/></g>'
        )
        if week.start.month != last_month:
            last_month = week.start.month
            parts.append(f'<text x="{x:.1f}" y="{ACT_H - 8}" class="axis">{week.start:%b}</text>')
    parts.append(
        f'<rect x="{ACT_LEFT}" y="8" width="10" height="10" class="answers"/>'
        f'<text x="{ACT_LEFT + 14}" y="17" class="axis">answers</text>'
        f'<rect x="{ACT_LEFT + 80}" y="8" width="10" height="10" class="progress-events"/>'
        f'<text x="{ACT_LEFT + 94}" y="17" class="axis">topics started or finished</text>'
    )
    return _svg(chart_id, ACT_W, ACT_H, title, desc, "".join(parts), "activity")


# ---------------------------------------------------------------------------------------------
# Predicted recall by topic: horizontal bars with the threshold marked

BAR_LEFT, BAR_W, BAR_H, BAR_TOP = 230, 420, 18, 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # 0..1
    note: str  # shown at the end of the bar, e.g. "3 of 20 below"


def recall_svg(
    *, bars: Sequence[Bar], threshold: float, title: str, desc: str, chart_id: str = "recall"
) -> SafeString:
    width = BAR_LEFT + BAR_W + 130
    height = BAR_TOP + BAR_H * max(1, len(bars)) + 10
    parts = [
        f'<text x="{BAR_LEFT}" y="14" class="axis">0%</text>'
        f'<text x="{BAR_LEFT + BAR_W}" y="14" class="axis" text-anchor="end">100%</text>'
    ]
    for i, bar in enumerate(bars):
        y = BAR_TOP + i * BAR_H
        length = BAR_W * max(0.0, min(1.0, bar.value))
        below = " below" if bar.value < threshold else ""
        # No tooltip per bar: its label, value and note are written beside it (a shortened label
        # keeps its full text in a <title>, as the heatmap's do).
        parts.append(
            f'<text x="{BAR_LEFT - 6}" y="{y + BAR_H - 5}" class="axis" text-anchor="end">{_label(bar.label, 34)}</text>'
            f'<rect x="{BAR_LEFT}" y="{y + 2}" width="{length:.1f}" height="{BAR_H - 4}" class="bar{below}"/>'
            f'<text x="{BAR_LEFT + BAR_W + 6}" y="{y + BAR_H - 5}" class="axis">{round(100 * bar.value)}% · {escape(bar.note)}</text>'
        )
    line_x = BAR_LEFT + BAR_W * threshold
    parts.append(
        f'<line x1="{line_x:.1f}" x2="{line_x:.1f}" y1="{BAR_TOP - 4}" y2="{height - 6}" class="threshold"/>'
        f'<text x="{line_x:.1f}" y="{BAR_TOP - 8}" class="axis" text-anchor="middle">threshold {round(100 * threshold)}%</text>'
    )
    return _svg(chart_id, width, height, title, desc, "".join(parts), "recall")
