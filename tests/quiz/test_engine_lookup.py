"""Quiz code is handed its sentence encoder: no quiz module looks a model up; the grading task
declares what it needs and the worker's `engines_load` lends it."""

import re
from pathlib import Path


def test_no_quiz_module_looks_up_an_engine():
    quiz_dir = Path(__file__).resolve().parents[2] / "quiz"
    lookups = sorted(
        str(path.relative_to(quiz_dir.parent))
        for path in quiz_dir.rglob("*.py")
        if re.search(r"\b(get_engine|engine_infer|engines\.registry)\b", path.read_text())
    )

    assert lookups == []
