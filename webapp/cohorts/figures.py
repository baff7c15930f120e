"""The dashboard's pictures (inline SVG from charts.py), each with the text summary that is both
its <desc> and its caption."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from webapp.cohorts import charts
from webapp.cohorts.selectors.dashboard import Dashboard, PhaseCell


@dataclass(frozen=True)
class Figure:
    svg: SafeString
    summary: str


def dashboard_figures(d: Dashboard) -> dict[str, Figure]:
    return {"heatmap": _heatmap_figure(d), "activity": _activity_figure(d), "recall": _recall_figure(d)}


def _pct(value: float) -> str:
    return f"{round(100 * value)}%"


def _n(count: int, noun: str) -> str:
    """'1 answer', '2 answers': the summaries are read aloud as the charts' descriptions."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _heatmap_figure(d: Dashboard) -> Figure:
    threshold = d.options.mastery_threshold
    if d.topic_mastery:
        weakest, strongest = d.topic_mastery[0], d.topic_mastery[-1]
        low = sum(1 for mean, _ in d.mastery.values() if mean < threshold)
        summary = (
            f"Mean score of {_n(len(d.learners), 'learner')} on {_n(len(d.heatmap_topics), 'topic')}. "
            "Weakest topic across "
            f"the cohort: {weakest.topic.title} ({_pct(weakest.mean)}); strongest: {strongest.topic.title} "
            f"({_pct(strongest.mean)}). {low} of {len(d.mastery)} learner-topic scores are below {_pct(threshold)}."
        )
    else:
        summary = "No graded answers from the cohort's learners yet."
    svg = charts.heatmap_svg(
        rows=[charts.Axis(r.user.id, r.user.shown_name) for r in d.learners],
        columns=[charts.Axis(t.id, t.title) for t in d.heatmap_topics],
        cells=d.mastery,
        title="Topic mastery by learner",
        desc=summary,
        chart_id="heatmap",
    )
    return Figure(svg, summary)


def _activity_figure(d: Dashboard) -> Figure:
    answers, progress = sum(w.answers for w in d.weeks), sum(w.progress for w in d.weeks)
    busiest = max(d.weeks, key=lambda w: w.total, default=None)
    summary = (
        f"{_n(answers, 'answer')} and {_n(progress, 'topic')} started or finished "
        f"in the last {_n(len(d.weeks), 'week')}"
    )
    if busiest and busiest.total:
        summary += f"; busiest week from {busiest.start:%d %b %Y} ({_n(busiest.total, 'event')})."
    else:
        summary += "."
    svg = charts.activity_svg(weeks=d.weeks, title="Activity per week", desc=summary, chart_id="activity")
    return Figure(svg, summary)


def _recall_figure(d: Dashboard) -> Figure:
    threshold, day = d.options.recall_threshold, f"{d.forecast_at:%d %b %Y}"
    bars = [
        charts.Bar(s.topic.title, s.mean, f"{len(s.below)} of {s.learners} below") for s in d.recall_topics
    ]
    if bars:
        below = sum(1 for s in d.recall_topics if s.mean < threshold)
        summary = (
            f"Predicted recall on {day} for {_n(len(bars), 'topic')} the learners have reviewed; "
            f"{_n(below, 'topic')} below {_pct(threshold)} on average, lowest "
            f"{d.recall_topics[0].topic.title} ({_pct(d.recall_topics[0].mean)}). "
            f"{_n(len(d.forgetting), 'learner')} with topics below {_pct(threshold)}."
        )
    else:
        summary = f"No reviewed cards to forecast for {day}."
    svg = charts.recall_svg(
        bars=bars, threshold=threshold, title=f"Predicted recall by topic on {day}", desc=summary,
        chart_id="recall",
    )  # fmt: skip
    return Figure(svg, summary)


def progress_grid_rows(d: Dashboard) -> SafeString:
    """The <tr>s of the learner × phase table. Written here rather than in the template: with
    200 learners and 13 phases the template engine spends most of the page's time on them."""
    rows = []
    for row in d.learners:
        url = reverse("cohorts:learner", args=[d.cohort.id, row.user.id])
        cells = "".join(_grid_cell(c) for c in row.cells)
        mastery = "—" if row.mastery is None else f"{round(100 * row.mastery)}%"
        last = escape(date_format(timezone.localtime(row.last_active), "j M Y")) if row.last_active else "—"
        rows.append(
            f'<tr><th scope="row"><a href="{escape(url)}">{escape(row.user.shown_name)}</a></th>{cells}'
            f"<td>{row.done}</td><td>{mastery}</td><td>{last}</td></tr>"
        )
    return mark_safe("".join(rows))  # every piece of text was escaped above


def _grid_cell(cell: PhaseCell) -> str:
    """A phase's "done/total" over a bar as wide as the share done (cohorts.css draws it from
    --done; a finished phase is shaded and its bar full). A cohort's grid has thousands of these:
    an untouched phase, the commonest, is only its numbers."""
    if cell.total and cell.done == cell.total:
        return f'<td class="complete">{cell.done}/{cell.total}</td>'
    if cell.done:
        return f'<td style="--done:{cell.percent}%">{cell.done}/{cell.total}</td>'
    return f"<td>{cell.done}/{cell.total}</td>"


def _percent_list(items: Iterable[tuple[str, float]]) -> str:
    """(name, value) pairs as "Whisper 41%, CTC 45%", names escaped."""
    return ", ".join(f"{escape(name)} {round(100 * value)}%" for name, value in items)


def topic_mastery_rows(d: Dashboard) -> SafeString:
    """The <tr>s of the topic mastery table: each topic's mean and the learners below the
    threshold (written here, as progress_grid_rows, for the thousands of names they can hold)."""
    rows = []
    for s in d.topic_mastery:
        below = _percent_list((row.user.shown_name, value) for row, value in s.below) or "—"
        rows.append(
            f'<tr><th scope="row">{escape(s.topic.title)}</th><td>{s.learners}</td>'
            f"<td>{round(100 * s.mean)}%</td><td>{below}</td></tr>"
        )
    return mark_safe("".join(rows))  # every piece of text was escaped above


def forgetting_rows(d: Dashboard) -> SafeString:
    """The <tr>s of the learners predicted to forget: their mean recall and topics below the
    threshold, the three lowest named and the rest behind "N more". Written here for the reason
    of progress_grid_rows: a 200-learner cohort lists thousands of topics."""
    rows = []
    for row in d.forgetting:
        url = reverse("cohorts:learner", args=[d.cohort.id, row.user.id])
        titled = [(topic.title, value) for topic, value in row.at_risk]
        more = titled[3:]
        rest = f"<details><summary>{len(more)} more</summary>{_percent_list(more)}</details>" if more else ""
        rows.append(
            f'<tr><th scope="row"><a href="{escape(url)}">{escape(row.user.shown_name)}</a></th>'
            f"<td>{round(100 * row.recall)}%</td><td>{len(titled)}: {_percent_list(titled[:3])}{rest}</td></tr>"
        )
    return mark_safe("".join(rows))  # every piece of text was escaped above
