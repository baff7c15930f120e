"""Topic search on the embedded default, SQLite with FTS5: a real SQLite database made by
`manage.py migrate` in a child process, the real curriculum imported, searched with
`manage.py search_topics` (the same topic_search the page calls)."""

import json
import os
import re
import subprocess
import sys

import pytest

from curriculum.content_loader import load_curriculum
from tests.processes import ROOT


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("sqlite-site")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "webapp.settings.base", "SOUNDPATH_VAR_DIR": str(folder),
           "DATABASE_URL": f"sqlite:///{folder / 'soundpath.sqlite3'}", "SECRET_KEY": "sqlite-search-test"}  # fmt: skip
    _manage(env, "migrate", "--verbosity=0")
    _manage(env, "import_curriculum")
    return env


def _search(env: dict[str, str], query: str) -> dict:
    return json.loads(_manage(env, "search_topics", "--json", query))


def test_sqlite_xvector_and_whispr_find_their_topics(sqlite_site):
    xvector = _search(sqlite_site, "xvector")
    whispr = _search(sqlite_site, "whispr")

    assert xvector["corrected"] == "x-vector"
    slugs = [hit["slug"] for hit in xvector["hits"]]
    assert {"speaker-verification", "speaker-diarization", "audio-embeddings"} <= set(slugs)
    assert whispr["corrected"] == "whisper"
    assert whispr["hits"][0]["slug"] == "whisper"
    assert "**Whisper**" in whispr["hits"][0]["snippet"]  # the highlight, as text


def test_sqlite_wer_is_a_word_and_titles_rank_first(sqlite_site):
    wer = _search(sqlite_site, "wer")
    diarization = _search(sqlite_site, "speaker diarization")

    assert wer["hits"][0]["slug"] == "asr-pipeline"
    specs = load_curriculum(ROOT / "curriculum" / "content").topics
    texts = [" ".join([t.title, t.summary, *t.skills, t.body]) for t in specs]  # what the index holds
    mentioning = [text for text in texts if re.search(r"\bwers?\b", text, re.IGNORECASE)]
    assert len(wer["hits"]) == len(mentioning)  # whole words only (substring matching found 52 of 70)
    assert all("**wer" in hit["snippet"].lower() for hit in wer["hits"])
    assert diarization["hits"][0]["slug"] == "speaker-diarization"


def test_sqlite_index_follows_edits_between_imports(sqlite_site):
    _manage(
        sqlite_site, "shell", "-c",
        "from curriculum.models import Topic; Topic.objects.filter(slug='conformer').update(title='Zanzibar conformer')",
    )  # fmt: skip

    hits = _search(sqlite_site, "zanzibar")["hits"]

    assert [hit["slug"] for hit in hits] == ["conformer"]
