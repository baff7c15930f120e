"""Server-side SVG charts (no JavaScript, no CDN): a learner's scores over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

ROLLING = 5  # attempts in the moving average drawn through the dots
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 12, 12, 28  # px around the plot area


def _x_positions(times: Sequence[datetime], left: float, width: float) -> list[float]:
    first, last = times[0], times[-1]
    span = (last - first).total_seconds()
    if span <= 0:  # a single moment: spread the dots evenly instead
        step = width / max(1, len(times) - 1)
        return [left + (i * step if len(times) > 1 else width / 2) for i in range(len(times))]
    return [left + width * (t - first).total_seconds() / span for t in times]


def _rolling(values: Sequence[float], window: int = ROLLING) -> list[float]:
    out = []
    for i in range(len(values)):
        chunk = values[max(0, i - window + 1) : i + 1]
        out.append(sum(chunk) / len(chunk))
    return out


def score_chart_svg(
    series: Sequence[tuple[datetime, float, str]],
    *,
    width: int = 720,
    height: int = 240,
    title: str = "Scores over time",
) -> SafeString:
    """An inline <svg>: one dot per attempt (score 0..1 on y, time on x) and a moving average.
    Every label is escaped; the markup is safe to render without |safe on any user text."""
    plot_w, plot_h = width - PAD_LEFT - PAD_RIGHT, height - PAD_TOP - PAD_BOTTOM

    def y(score: float) -> float:
        return PAD_TOP + plot_h * (1 - max(0.0, min(1.0, score)))

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/><text x="{}" y="{}" class="axis" text-anchor="end">{}%</text>',
        ((PAD_LEFT, width - PAD_RIGHT, f"{y(p / 100):.1f}", f"{y(p / 100):.1f}", PAD_LEFT - 6, f"{y(p / 100) + 4:.1f}", p)
         for p in (0, 25, 50, 75, 100)),
    )  # fmt: skip
    if not series:
        body = format_html(
            '<text x="{}" y="{}" class="axis" text-anchor="middle">No graded answers yet</text>',
            width / 2,
            height / 2,
        )
    else:
        times = [t for t, _, _ in series]
        xs = _x_positions(times, PAD_LEFT, plot_w)
        values = [v for _, v, _ in series]
        line = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in zip(xs, _rolling(values), strict=True))
        dots = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="4" class="dot"><title>{} · {} · {}%</title></circle>',
            ((f"{x:.1f}", f"{y(v):.1f}", f"{t:%Y-%m-%d %H:%M}", label, round(100 * v))
             for x, (t, v, label) in zip(xs, series, strict=True)),
        )  # fmt: skip
        body = format_html(
            '<polyline points="{}" class="trend"/>{}'
            '<text x="{}" y="{}" class="axis">{}</text><text x="{}" y="{}" class="axis" text-anchor="end">{}</text>',
            line, dots, PAD_LEFT, height - 8, f"{times[0]:%d %b %Y}", width - PAD_RIGHT, height - 8, f"{times[-1]:%d %b %Y}",
        )  # fmt: skip
    summary = chart_summary(series)
    return format_html(
        '<svg class="score-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="chart-title chart-desc">'
        '<title id="chart-title">{}</title><desc id="chart-desc">{}</desc>{}{}</svg>',
        width, height, title, summary, grid, body,
    )  # fmt: skip


def chart_summary(series: Sequence[tuple[datetime, float, str]]) -> str:
    """The chart's text alternative, also shown beside it."""
    if not series:
        return "No graded answers yet."
    values = [v for _, v, _ in series]
    recent = values[-ROLLING:]
    return (
        f"{len(values)} graded answer{'s' if len(values) != 1 else ''} from {series[0][0]:%d %b %Y} to {series[-1][0]:%d %b %Y}; "
        f"mean score {round(100 * sum(values) / len(values))}%, "
        f"mean of the last {len(recent)} {round(100 * sum(recent) / len(recent))}%."
    )
