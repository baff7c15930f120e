"""Topic search: ranked full-text search with highlighted snippets, on PostgreSQL (tsvector) and on
the embedded SQLite default (an FTS5 table), plus typo tolerance from the topics' own vocabulary.

Both databases tokenise and stem English ("x-vectors" → x-vector, x, vector), so a query only
matches whole words: "wer" finds the topics about word error rate, not every "were" and "answer".
Words no topic contains ("whispr", "xvector") are corrected against the vocabulary of the topics
(hyphens ignored, close spellings accepted) — one code path for both databases."""

import difflib
import hashlib
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from curriculum.models import Topic

FTS_TABLE = "curriculum_topic_fts"
MAX_WORDS = 8
# Markers that cannot occur in content: the snippet is escaped first, then they become <mark>.
START, STOP = "\x02", "\x03"
WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
MARKDOWN_NOISE = re.compile(r"\]\([^)]*\)|[#*_`>\[\]|]+")


@dataclass(frozen=True)
class SearchHit:
    topic: Topic
    snippet: SafeString  # escaped text with the matched words in <mark>


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    corrected: str | None = None  # the original found nothing: these are the hits for this query
    suggestion: str | None = None  # the original found something, but this spelling is likelier


def topic_search(*, query: str, limit: int = 40) -> SearchResults:
    """Ranked hits for the query; if it finds nothing, the hits for its spelling correction."""
    words = WORD.findall(query)[:MAX_WORDS]
    if not words:
        return SearchResults(query=query, hits=[])
    hits = _hits(words, limit)
    correction = query_correction(words=words)
    if hits or correction is None:
        return SearchResults(query=query, hits=hits, suggestion=correction)
    return SearchResults(query=query, hits=_hits(WORD.findall(correction), limit), corrected=correction)


def _hits(words: list[str], limit: int) -> list[SearchHit]:
    rows = _postgres_rows(words, limit) if connection.vendor == "postgresql" else _sqlite_rows(words, limit)
    topics = Topic.objects.active().select_related("phase").in_bulk([topic_id for topic_id, _ in rows])
    hits = [SearchHit(topics[tid], _snippet_html(snippet)) for tid, snippet in rows if tid in topics]
    # The topic named after the word comes first ("Whisper: …" before a capstone that mentions
    # Whisper in its title); otherwise the database's rank order stands (the sort is stable).
    wanted = {_compact(word) for word in words}
    hits.sort(
        key=lambda hit: _compact(WORD.findall(hit.topic.title)[0]) not in wanted if hit.topic.title else True
    )
    return hits[:limit]


def _postgres_rows(words: list[str], limit: int) -> list[tuple[int, str]]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", Cast("skills", TextField()), weight="B", config="english")
        + SearchVector("body_markdown", weight="C", config="english")
    )
    search = SearchQuery(" ".join(words), search_type="websearch", config="english")
    text = Concat("summary", Value(" "), "body_markdown", output_field=TextField())
    headline = SearchHeadline(
        text, search, config="english", start_sel=START, stop_sel=STOP,
        max_words=28, min_words=12, max_fragments=2, fragment_delimiter=" … ",
    )  # fmt: skip
    rows = (
        Topic.objects.active()
        .annotate(document=vector)
        .filter(document=search)
        .annotate(rank=SearchRank(vector, search), snippet=headline)
        .order_by("-rank", "phase__order", "order")
        .values_list("id", "snippet")[:limit]
    )
    return list(rows)


def _sqlite_rows(words: list[str], limit: int) -> list[tuple[int, str]]:
    # Each word is a quoted FTS5 phrase ("x-vectors" → "x-vectors" → tokens x, vectors in a row);
    # bm25 weights: title 10, summary 4, skills 4, body 1 (lower scores rank first).
    match = " ".join('"' + word.replace('"', "") + '"' for word in words)
    sql = (
        f"SELECT rowid, snippet({FTS_TABLE}, -1, %s, %s, ' … ', 28) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s ORDER BY bm25({FTS_TABLE}, 10.0, 4.0, 4.0, 1.0) LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [START, STOP, match, limit * 2])  # retired topics are dropped afterwards
        return cursor.fetchall()


def _snippet_html(raw: str) -> SafeString:
    text = " ".join(MARKDOWN_NOISE.sub(" ", raw or "").split())
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # escaped first


# --- typo tolerance: the vocabulary of the topics ----------------------------------------------

_vocabulary_cache: dict[str, dict[str, str]] = {}


def _compact(word: str) -> str:
    return word.lower().replace("-", "").replace("'", "")


def topic_vocabulary() -> dict[str, str]:
    """Every word of the active topics, keyed by its lower-case form without hyphens ("xvectors")
    and giving the spelling to search for ("x-vectors"). Rebuilt only when the content changes."""
    hashes = Topic.objects.active().order_by("id").values_list("id", "content_hash")
    key = hashlib.sha1(repr(list(hashes)).encode()).hexdigest()
    if key not in _vocabulary_cache:
        _vocabulary_cache.clear()
        _vocabulary_cache[key] = _build_vocabulary()
    return _vocabulary_cache[key]


def _build_vocabulary() -> dict[str, str]:
    counts: dict[str, dict[str, int]] = {}
    for row in Topic.objects.active().values_list("title", "summary", "skills", "body_markdown"):
        text = " ".join([row[0], row[1], " ".join(row[2] or []), row[3]])
        for word in WORD.findall(text):
            if len(word) >= 3 and not word.isdigit():
                spellings = counts.setdefault(_compact(word), {})
                spellings[word.lower()] = spellings.get(word.lower(), 0) + 1
    return {key: max(spellings, key=spellings.get) for key, spellings in counts.items()}


def query_correction(*, words: list[str]) -> str | None:
    """The query with each unknown word replaced by the closest vocabulary word, or None when every
    word is known (or nothing close exists)."""
    vocabulary = topic_vocabulary()
    corrected, changed = [], False
    for word in words:
        replacement = _closest(word, vocabulary)
        changed |= replacement is not None
        corrected.append(replacement or word)
    return " ".join(corrected) if changed else None


def _closest(word: str, vocabulary: dict[str, str]) -> str | None:
    key = _compact(word)
    if len(key) < 3:
        return None
    for candidate in (key, key + "s", key.removesuffix("s")):  # "xvector" ~ "xvectors"
        if candidate in vocabulary:
            spelling = vocabulary[candidate]
            # Known as typed (stemming matches plurals), or only written with a hyphen ("x-vectors").
            return spelling if "-" in spelling and "-" not in word else None
    match = difflib.get_close_matches(key, vocabulary.keys(), n=1, cutoff=0.8)
    return vocabulary[match[0]] if match else None


# The triggers that keep the FTS table current; SQLite drops them whenever a migration rebuilds the
# topic table (adding a column with a default does), so every sync puts them back.
_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON curriculum_topic BEGIN
        INSERT INTO {FTS_TABLE} (rowid, title, summary, skills, body)
        VALUES (new.id, new.title, new.summary, new.skills, new.body_markdown); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE ON curriculum_topic BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        INSERT INTO {FTS_TABLE} (rowid, title, summary, skills, body)
        VALUES (new.id, new.title, new.summary, new.skills, new.body_markdown); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON curriculum_topic BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END""",
]


def topic_search_index_sync() -> None:
    """Refill SQLite's FTS5 table from the topics and make sure its triggers exist (after an import;
    the triggers keep it current between imports). PostgreSQL indexes on the fly."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in _TRIGGERS:
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, summary, skills, body) "
            "SELECT id, title, summary, skills, body_markdown FROM curriculum_topic"
        )
