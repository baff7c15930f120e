"""The phase notebooks: one per phase, stored without outputs, each runs top to bottom offline and
draws its figures; the phase page links the download and a read-only view, which shows the
executed rendering once `render_notebooks` has built it."""

import json
import time
from pathlib import Path

import nbformat
import pytest
from django.core.management import call_command
from django.urls import reverse
from nbclient import NotebookClient

from curriculum.notebook_pages import NOTEBOOKS_DIR, notebook_html
from tests.factories import PhaseFactory

ROOT = Path(__file__).resolve().parents[2]
PHASES = sorted(p.stem for p in (ROOT / "curriculum/content/phases").glob("*.md"))
TIMES: dict[str, float] = {}


def _execute(phase: str) -> nbformat.NotebookNode:
    book = nbformat.read(NOTEBOOKS_DIR / f"{phase}.ipynb", as_version=4)
    started = time.perf_counter()
    client = NotebookClient(
        book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    TIMES[phase] = time.perf_counter() - started  # measured, reported by benchmarks/notebooks.py
    return book


def test_one_notebook_per_phase_stored_without_outputs():
    assert sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb")) == PHASES
    for phase in PHASES:
        book = json.loads((NOTEBOOKS_DIR / f"{phase}.ipynb").read_text())
        code = [c for c in book["cells"] if c["cell_type"] == "code"]
        assert code and all(not c["outputs"] and c["execution_count"] is None for c in code), phase


@pytest.mark.parametrize("phase", PHASES)
def test_notebook_runs_offline_and_draws(phase, monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend draws the figures
    book = _execute(phase)
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), f"{phase}: no figure was drawn"


def test_notebook_html_is_sanitised_and_shows_outputs():
    book = {
        "cells": [
            {"cell_type": "markdown", "source": "## Title\n<script>alert(1)</script>"},
            {"cell_type": "code", "source": "print('<b>')", "outputs": [
                {"output_type": "stream", "text": ["<b>\n"]},
                {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo=\n"}},
                {"output_type": "display_data", "data": {"image/png": "not base64 <script>"}},
            ]},
        ]
    }  # fmt: skip
    html = notebook_html(notebook=book)
    assert "<h2" in html and "<script>" not in html
    assert "print(&#x27;&lt;b&gt;&#x27;)" in html and "&lt;b&gt;\n</pre>" in html
    assert html.count("<img") == 1 and 'src="data:image/png;base64,iVBORw0KGgo="' in html


@pytest.mark.django_db
def test_phase_page_links_notebook_download_and_view(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    phase = PhaseFactory(slug="research")
    page = client.get(reverse("curriculum:phase", args=[phase.slug])).content.decode()
    assert reverse("curriculum:phase_notebook", args=[phase.slug]) in page
    assert reverse("curriculum:phase_notebook_view", args=[phase.slug]) in page

    download = client.get(reverse("curriculum:phase_notebook", args=[phase.slug]))
    assert download.status_code == 200 and "research.ipynb" in download["Content-Disposition"]
    assert json.loads(b"".join(download.streaming_content))["cells"]

    before = client.get(reverse("curriculum:phase_notebook_view", args=[phase.slug])).content.decode()
    assert "not yet executed" in before and "si_sdr" in before and "nb-figure" not in before
    call_command("render_notebooks", "research")
    after = client.get(reverse("curriculum:phase_notebook_view", args=[phase.slug])).content.decode()
    assert "not yet executed" not in after and 'class="nb-figure"' in after and "SI-SDR" in after


@pytest.mark.django_db
def test_phase_without_notebook_has_no_link(client):
    phase = PhaseFactory(slug="no-such-phase")
    page = client.get(reverse("curriculum:phase", args=[phase.slug])).content.decode()
    assert "notebook" not in page.lower()
    assert client.get(reverse("curriculum:phase_notebook_view", args=[phase.slug])).status_code == 404
    assert client.get(reverse("curriculum:phase_notebook", args=[phase.slug])).status_code == 404


@pytest.mark.django_db
def test_render_missing_skips_views_that_are_up_to_date(settings, tmp_path):
    import io

    settings.VAR_DIR = tmp_path
    first, again = io.StringIO(), io.StringIO()
    call_command("render_notebooks", "research", "--missing", stdout=first)
    call_command("render_notebooks", "research", "--missing", stdout=again)
    assert "research: executed" in first.getvalue() and again.getvalue() == ""
