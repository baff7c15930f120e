"""The job path's modules import in one direction — tasks → services and execution → leaf modules —
counting imports inside functions too (a lazy import is still an arrow); workers and curriculum never
import demos (the demos app registers what they need at start-up)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_tasks_services_and_execution_form_no_cycle():
    imports = {name: _imports(ROOT / "workers" / f"{name}.py") for name in ("tasks", "services", "execution")}

    assert {"workers.services", "workers.execution"} <= imports["tasks"]
    assert not {"workers.tasks", "workers.execution"} & imports["services"]
    assert not {"workers.tasks", "workers.services"} & imports["execution"]
    assert not any(name.startswith(("curriculum", "quiz")) for name in imports["tasks"])


def test_workers_and_curriculum_never_import_demos():
    upward = sorted(
        str(path.relative_to(ROOT))
        for package in ("workers", "curriculum")
        for path in (ROOT / package).rglob("*.py")
        if any(name == "demos" or name.startswith("demos.") for name in _imports(path))
    )

    assert upward == []
