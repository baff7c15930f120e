"""Quiz code is handed its sentence encoder: only the worker-side task looks one up."""

import re
from pathlib import Path


def test_only_the_grading_task_looks_up_an_engine():
    quiz_dir = Path(__file__).resolve().parents[2] / "quiz"
    lookups = sorted(
        str(path.relative_to(quiz_dir.parent))
        for path in quiz_dir.rglob("*.py")
        if re.search(r"\b(get_engine|engine_infer)\b", path.read_text())
    )

    assert lookups == ["quiz/tasks.py"]
