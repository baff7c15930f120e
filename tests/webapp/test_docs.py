"""The README and .env.example stay true: every environment variable the code reads is documented."""

import re

from tests.processes import ROOT

SOURCES = ["webapp", "workers", "demos", "curriculum", "quiz"]
PATTERNS = [
    r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"',  # django-environ reads in settings
    r'environ(?:\.get)?\(\s*"([A-Z][A-Z0-9_]+)"',
    r'environ\[\s*"([A-Z][A-Z0-9_]+)"\s*\]',
    r'"(SOUNDPATH_[A-Z0-9_]+)"',
]
NOT_OURS = {
    "DJANGO_SETTINGS_MODULE",
    "HF_HUB_OFFLINE",
    "TRANSFORMERS_OFFLINE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "PATH",
}


def _variables_in_code() -> set[str]:
    found = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for pattern in PATTERNS:
                found.update(re.findall(pattern, text))
    return found - NOT_OURS


def test_every_environment_variable_is_in_the_readme_and_env_example():
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    variables = _variables_in_code()

    assert len(variables) > 30
    assert sorted(v for v in variables if f"`{v}`" not in readme) == []
    assert sorted(v for v in variables if v not in example) == []
