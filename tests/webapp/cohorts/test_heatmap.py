"""The mastery heatmap's compact markup: every learner's value for every topic is still there for
the tooltip script, names stay escaped, the script is our own static file, and a cell stays small."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.webapp.cohorts.conftest import SVG, heatmap_cells, scored_members, svg_parse
from webapp.cohorts import charts

HOSTILE = '<img src=x onerror="alert(1)">'
LONG = "Maximiliana Wolfeschlegelsteinhausen"  # longer than a row label shows


def _chart(rows, columns, cells) -> str:
    return str(charts.heatmap_svg(rows=rows, columns=columns, cells=cells, title="t", desc="d"))


def test_heatmap_keeps_each_learners_value_and_answer_count_per_topic():
    rows = [charts.Axis(1, "Ada"), charts.Axis(2, HOSTILE), charts.Axis(3, LONG), charts.Axis(4, "Idle")]
    columns = [charts.Axis(10, "Whisper"), charts.Axis(20, "CTC & beam search"), charts.Axis(30, "x" * 40)]
    cells = {
        (1, 10): (0.84, 3),
        (1, 30): (0.5, 1),
        (2, 20): (0.0, 2),
        (3, 10): (1.0, 12),
        (3, 20): (0.333, 6),
    }

    svg = _chart(rows, columns, cells)

    assert heatmap_cells(svg_parse(svg)) == {
        ("Ada", "Whisper"): (84, 3),
        ("Ada", "x" * 40): (50, 1),
        (HOSTILE, "CTC & beam search"): (0, 2),
        (LONG, "Whisper"): (100, 12),
        (LONG, "CTC & beam search"): (33, 6),
    }
    bands = re.findall(r'class="(m\d)" data-v="(\d+) ', svg)
    assert bands == [("m8", "84"), ("m5", "50"), ("m0", "0"), ("m9", "100"), ("m3", "33")]
    # Every row has its label, the learner without answers too; no cell repeats a name or a title.
    assert svg.count('<g class="heat-row"') == 4 and ">Idle</text>" in svg
    assert svg.count("Ada") == 1 and svg.count("Whisper") == 1


def test_heatmap_escapes_names_and_titles():
    rows = [charts.Axis(1, HOSTILE), charts.Axis(2, LONG + "<b>")]
    columns = [charts.Axis(10, "<script>alert(2)</script> & co")]

    svg = _chart(rows, columns, {(1, 10): (0.5, 1), (2, 10): (0.5, 1)})

    assert "<img" not in svg and "<script" not in svg and "<b>" not in svg
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in svg
    assert "&lt;script&gt;alert(2)&lt;/script&gt; &amp; co" in svg
    assert heatmap_cells(svg_parse(svg)) == {
        (HOSTILE, "<script>alert(2)</script> & co"): (50, 1),
        (LONG + "<b>", "<script>alert(2)</script> & co"): (50, 1),
    }


def test_a_heatmap_cell_costs_a_few_dozen_bytes():
    """A 200-learner cohort's heatmap has thousands of cells, and its size is what every cached view
    of the dashboard pays: a cell must not grow back a tooltip or a size of its own (it was 161
    bytes with a <title> repeating the learner's name and the topic's title)."""
    rows = [charts.Axis(i, f"Kathleen H. {i:03d}") for i in range(200)]
    columns = [
        charts.Axis(j, f"Speech toolkits: SpeechBrain, ESPnet, NeMo and friends {j}") for j in range(70)
    ]
    cells = {(i, j): ((i * j) % 101 / 100, 1 + (i + j) % 30) for i in range(200) for j in range(70)}

    svg = _chart(rows, columns, cells)

    assert len(heatmap_cells(svg_parse(svg))) == len(cells)
    assert len(svg.encode()) / len(cells) < 60  # 43 now; a width and height per cell would be 65


@pytest.mark.django_db
def test_dashboard_heatmap_shows_every_learners_score_per_topic(client, owner, cohort, roadmap):
    _, topics, questions = roadmap
    ada = [(questions[0], 0.7), (questions[0], 0.9), (questions[3], 0.25)]
    scored_members(cohort, {"Ada": ada, HOSTILE: [(questions[3], 0.6)]})
    client.force_login(owner)

    html = client.get(reverse("cohorts:dashboard", args=[cohort.id])).content.decode()

    heatmap = svg_parse(re.search(r'<svg class="cohort-chart heatmap.*?</svg>', html, re.S).group(0))
    assert heatmap_cells(heatmap) == {
        ("Ada", topics[0].title): (80, 2),
        ("Ada", topics[3].title): (25, 1),
        (HOSTILE, topics[3].title): (60, 1),
    }
    assert heatmap.find(f"{SVG}title").text == "Topic mastery by learner"
    assert "<img src=x" not in html


@pytest.mark.django_db
def test_dashboard_scripts_are_our_own_static_files(client, owner, cohort, member):
    client.force_login(owner)

    response = client.get(reverse("cohorts:dashboard", args=[cohort.id]))

    sources = re.findall(r'<script src="/static/([^"]+)" defer></script>', response.content.decode())
    assert "cohorts/heatmap.js" in sources
    assert all(finders.find(source) for source in sources)  # collectstatic gathers them
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_recall_bars_write_label_value_and_note_without_a_tooltip_each():
    """The forecast's bars carry no <title> repeating what is written beside them (it was a third
    of the chart's bytes); a shortened label keeps its full text in one."""
    long = "Speech toolkits: SpeechBrain, ESPnet, NeMo and friends"
    bars = [charts.Bar("CTC & beam search", 0.42, "3 of 20 below"), charts.Bar(long, 0.91, "0 of 4 below")]

    svg = str(charts.recall_svg(bars=bars, threshold=0.7, title="t", desc="d"))

    texts = ["".join(text.itertext()) for text in svg_parse(svg).iter(f"{SVG}text")]
    assert "CTC & beam search" in texts and "42% · 3 of 20 below" in texts and "91% · 0 of 4 below" in texts
    assert f"{long}{long[:33]}…" in texts  # the <title>, then the label shown
    assert svg.count("<title") == 2  # the chart's own, and the shortened label's
    assert 'class="bar below"' in svg and svg.count('class="bar"') == 1
