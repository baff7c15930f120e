"""Shared fixtures: a small curriculum on disk, users, and real processes (Celery worker)."""

import os

# No model hub, ever: any code that tries to download weights fails loudly in the tests.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
from pathlib import Path

import pytest
import yaml

from tests.factories import InstructorFactory, UserFactory
from tests.processes import celery_worker_process


@pytest.fixture(autouse=True)
def _shared_cache_emptied_after_committing_tests(request, django_db_blocker):
    """A test with `transaction=True` commits what it caches, and the database cache's table is no
    model, so the flush after the test leaves it: entries keyed by a slug (a topic page's shared
    parts) would reach a later test that made another topic with that slug. Other tests roll
    their cache rows back with everything else."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames:
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def other_learner(db):
    return UserFactory()


@pytest.fixture
def instructor(db):
    return InstructorFactory()


class ContentTree:
    """Writes phase and topic files in the content format, for import tests."""

    def __init__(self, root: Path):
        self.root = root
        (root / "phases").mkdir(parents=True, exist_ok=True)
        (root / "topics").mkdir(parents=True, exist_ok=True)

    def phase(self, slug: str, order: int, **fields) -> Path:
        data = {"id": slug, "order": order, "title": f"Phase {slug}", "duration": "3 weeks", "weeks": 3,
                "goals": ["Learn it."], **fields}  # fmt: skip
        return self._write(self.root / "phases" / f"{slug}.md", data, f"About {slug}.")

    def topic(self, slug: str, phase: str, order: int, body: str = "## Why\nBecause.", **fields) -> Path:
        data = {
            "id": slug, "phase": phase, "order": order, "title": f"Topic {slug}",
            "summary": f"Summary of {slug}.", "levels": ["mid"], "skills": ["dsp"],
            "prerequisites": [], "estimated_hours": 4, "demos": [],
            "resources": [{"title": "CTC explained", "url": "https://distill.pub/2017/ctc/", "kind": "article"}],
            **fields,
        }  # fmt: skip
        return self._write(self.root / "topics" / phase / f"{slug}.md", data, body)

    def _write(self, path: Path, data: dict, body: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{yaml.safe_dump(data, sort_keys=False)}---\n{body}\n", encoding="utf-8")
        return path


@pytest.fixture
def content(tmp_path) -> ContentTree:
    tree = ContentTree(tmp_path / "content")
    tree.phase("basics", 1)
    tree.phase("speech", 2, weeks=None, duration="continuous")
    tree.topic("sampling", "basics", 1)
    tree.topic("spectrograms", "basics", 2, prerequisites=["sampling"])
    tree.topic("ctc", "speech", 1, prerequisites=["spectrograms"], demos=["asr"])
    return tree


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process on the real broker, using the test database (one per module,
    so modules that start their own workers never compete with it for jobs)."""
    from django.db import connection

    with django_db_blocker.unblock():
        db_name = connection.settings_dict["NAME"]
    with celery_worker_process(db_name=db_name) as worker:
        yield worker


@pytest.fixture(scope="session")
def pyannote_sample() -> tuple[Path, Path]:
    """pyannote.audio's shipped 30 s two-speaker clip and its reference RTTM."""
    import importlib.util

    folder = Path(importlib.util.find_spec("pyannote.audio").submodule_search_locations[0]) / "sample"
    return folder / "sample.wav", folder / "sample.rttm"
