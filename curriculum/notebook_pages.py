"""The phase notebooks: where they are, and a small read-only HTML rendering of one.

The repository keeps notebooks without outputs. `manage.py render_notebooks` executes each one (on a
machine that may load models, at build or deploy time) and stores the rendered HTML under
VAR_DIR/notebooks; the web process only reads files, so it never runs notebook code or loads a model.
"""

import base64
import binascii
import json
import re
from html import escape
from pathlib import Path

from django.conf import settings

from curriculum.rendering import render_markdown

NOTEBOOKS_DIR = Path(__file__).resolve().parent / "notebooks"


def notebook_path(*, phase_slug: str) -> Path | None:
    path = NOTEBOOKS_DIR / f"{phase_slug}.ipynb"
    return path if re.fullmatch(r"[a-z0-9-]+", phase_slug) and path.is_file() else None


def rendered_path(*, phase_slug: str) -> Path:
    return Path(settings.VAR_DIR) / "notebooks" / f"{phase_slug}.html"


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _output_html(output: dict) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return f'<pre class="nb-output">{escape(_text(output.get("text")))}</pre>'
    if kind == "error":
        return f'<pre class="nb-output nb-error">{escape(output.get("ename", ""))}: {escape(output.get("evalue", ""))}</pre>'
    data = output.get("data", {})
    png = _text(data.get("image/png")).replace("\n", "")
    if png:
        try:
            base64.b64decode(png, validate=True)  # only a real PNG payload goes into the page
        except binascii.Error:
            return ""
        return f'<img class="nb-figure" alt="figure" src="data:image/png;base64,{png}">'
    if "text/plain" in data:
        return f'<pre class="nb-output">{escape(_text(data["text/plain"]))}</pre>'
    return ""


def notebook_html(*, notebook: dict) -> str:
    """Markdown cells through the curriculum's sanitising renderer, code escaped, outputs as text or PNG."""
    parts = []
    for cell in notebook.get("cells", []):
        source = _text(cell.get("source"))
        if cell.get("cell_type") == "markdown":
            parts.append(f'<div class="nb-markdown">{render_markdown(source)}</div>')
        elif cell.get("cell_type") == "code":
            parts.append(f'<pre class="nb-code"><code class="language-python">{escape(source)}</code></pre>')
            parts += [_output_html(o) for o in cell.get("outputs", [])]
    return "\n".join(p for p in parts if p)


def notebook_page_html(*, phase_slug: str) -> tuple[str, bool] | None:
    """(HTML, executed?) for a phase: the executed rendering if one was built, else the code without outputs."""
    path = notebook_path(phase_slug=phase_slug)
    if path is None:
        return None
    rendered = rendered_path(phase_slug=phase_slug)
    if rendered.is_file():
        return rendered.read_text(encoding="utf-8"), True
    return notebook_html(notebook=json.loads(path.read_text(encoding="utf-8"))), False
