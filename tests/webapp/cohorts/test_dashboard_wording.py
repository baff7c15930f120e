"""The dashboard as a small cohort's instructor reads it: singular words for one of a thing,
heatmap cells and legend that fit, a copy button for the invitation link, tables that scroll."""

import re

import pytest
from django.urls import reverse

from quiz import scheduling
from tests.quiz.factories import CardFactory
from tests.webapp.cohorts.conftest import ago, attempt_at
from webapp.cohorts import charts

pytestmark = pytest.mark.django_db


def test_one_learner_one_answer_reads_in_the_singular(client, owner, cohort, member, learner, roadmap):
    questions = roadmap[2]
    attempt_at(ago(3), user=learner, question=questions[0], score=0.2)
    attempt_at(ago(2), user=learner, question=questions[0], score=0.2)
    attempt_at(ago(1), user=learner, question=questions[0], score=0.2)
    CardFactory(user=learner, question=questions[0], state=scheduling.review(None, 1, now=ago(3)).state)
    client.force_login(owner)

    html = client.get(reverse("cohorts:dashboard", args=[cohort.id])).content.decode()

    assert "Mean score of 1 learner on 1 topic." in html
    assert "3 answers and 0 topics started or finished" in html
    assert "Phase 1 (3 topics)" in html
    assert not re.search(r"\b1 (answers|topics|learners|events)\b", html)


def test_small_heatmap_has_big_cells_and_room_for_its_legend():
    svg = str(
        charts.heatmap_svg(
            rows=[charts.Axis(1, "ada")],
            columns=[charts.Axis(1, "Whisper"), charts.Axis(2, "CTC")],
            cells={(1, 1): (0.8, 1)},
            title="Topic mastery by learner",
            desc="One learner.",
        )
    )

    width = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    cell = re.search(r'style="--cell-w:(\d+)px;--cell-h:(\d+)px"', svg)  # every cell's size (cohorts.css)
    legend_label_x = int(re.search(r'<text x="(\d+)" y="\d+" class="axis">no answers</text>', svg).group(1))
    assert 'class="m8" data-v="80 1"' in svg
    assert int(cell.group(1)) >= 30 and int(cell.group(2)) >= 27
    assert legend_label_x + len("no answers") * 6 <= width  # the label is not clipped


def test_large_heatmap_keeps_compact_cells():
    rows = [charts.Axis(i, f"learner {i}") for i in range(200)]
    columns = [charts.Axis(j, f"topic {j}") for j in range(70)]

    svg = str(charts.heatmap_svg(rows=rows, columns=columns, cells={(0, 0): (0.5, 2)}, title="t", desc="d"))

    assert 'style="--cell-w:11px;--cell-h:13px"' in svg and 'class="m5" data-v="50 2"' in svg


def test_invitation_link_has_a_copy_button(client, owner, cohort):
    client.force_login(owner)

    html = client.get(reverse("cohorts:settings", args=[cohort.id])).content.decode()

    assert (
        f'id="invite-url" type="text" value="http://testserver/cohorts/join/{cohort.invite_code}/" readonly'
        in html
    )
    assert 'data-copy="invite-url"' in html and "js/copy.js" in html
