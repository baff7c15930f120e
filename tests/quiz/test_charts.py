"""The history chart: inline SVG drawn on the server, escaped, with a text alternative."""

from datetime import UTC, datetime, timedelta

from quiz.charts import chart_summary, score_chart_svg

START = datetime(2025, 1, 6, 10, 0, tzinfo=UTC)


def test_chart_has_one_dot_per_answer_and_a_trend_line():
    series = [(START + timedelta(days=i), score, f"q-{i}") for i, score in enumerate([0.0, 0.5, 1.0])]

    svg = str(score_chart_svg(series, width=300, height=150))

    assert svg.startswith('<svg class="score-chart" viewBox="0 0 300 150"')
    assert svg.count("<circle") == 3
    assert '<circle cx="44.0" cy="122.0"' in svg  # first answer, 0%: bottom-left of the plot area
    assert '<circle cx="288.0" cy="12.0"' in svg  # last answer, 100%: top-right
    assert "<polyline points=" in svg
    assert "<title>2025-01-07 10:00 · q-1 · 50%</title>" in svg


def test_chart_labels_are_escaped():
    svg = str(score_chart_svg([(START, 0.5, '<script>alert("x")</script>')]))

    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_empty_chart_says_so():
    svg = str(score_chart_svg([]))

    assert "No graded answers yet" in svg and "<circle" not in svg


def test_summary_is_the_text_alternative():
    series = [(START, 0.2, "a"), (START + timedelta(days=3), 0.8, "b")]

    assert chart_summary(series) == (
        "2 graded answers from 06 Jan 2025 to 09 Jan 2025; mean score 50%, mean of the last 2 50%."
    )
