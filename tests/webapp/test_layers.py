"""The README's import order is enforced: import-linter contracts and ruff's banned module-level imports."""

import subprocess

import pytest

from tests.processes import ROOT

HEAVY = ["torch", "transformers", "sentence_transformers", "faster_whisper", "ctranslate2", "pyannote", "TTS",
         "gradio", "librosa"]  # fmt: skip


def _ruff(path: str, source: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / ".venv/bin/ruff"), "check", "--select", "TID253", "--stdin-filename", path, "-"],
        cwd=ROOT, input=source, capture_output=True, text=True,
    )  # fmt: skip


def test_import_contracts_hold():
    done = subprocess.run(
        [str(ROOT / ".venv/bin/lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


@pytest.mark.parametrize("module", HEAVY)
def test_heavy_libraries_are_banned_at_module_level_in_web_code(module):
    refused = _ruff("quiz/new_module.py", f"import {module}\n")
    lazy = _ruff("quiz/new_module.py", f"def f():\n    import {module}\n")
    engine = _ruff("workers/engines/new_backend.py", f"import {module}\n")

    assert refused.returncode == 1 and "TID253" in refused.stdout
    assert lazy.returncode == 0 and engine.returncode == 0


def test_engines_read_settings_through_the_one_env_object():
    engines = ROOT / "workers" / "engines"
    readers = sorted(
        p.name for p in engines.glob("*.py") if "os.environ" in p.read_text() or "os.getenv" in p.read_text()
    )

    assert readers == []
