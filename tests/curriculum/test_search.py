"""Topic search on PostgreSQL (the test database): whole words, ranked, highlighted snippets,
spelling correction from the topics' vocabulary. The SQLite path: test_search_sqlite.py."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from curriculum.models import Topic
from curriculum.search import query_correction, topic_search
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curriculum(db):
    call_command("import_curriculum", verbosity=0)  # the real 70 topics


def _slugs(results) -> list[str]:
    return [hit.topic.slug for hit in results.hits]


def test_xvector_finds_the_x_vector_topics(curriculum):
    results = topic_search(query="xvector")

    assert results.corrected == "x-vector"
    assert {"speaker-verification", "speaker-diarization", "audio-embeddings"} <= set(_slugs(results))
    assert "<mark>x</mark>-<mark>vectors</mark>" in results.hits[0].snippet  # the words PostgreSQL matched


def test_whispr_is_corrected_to_whisper_and_the_whisper_topic_ranks_first(curriculum):
    results = topic_search(query="whispr")

    assert results.corrected == "whisper"
    assert _slugs(results)[0] == "whisper"
    assert "<mark>Whisper</mark>" in results.hits[0].snippet


def test_wer_matches_the_word_not_every_answer_and_were(curriculum):
    results = topic_search(query="wer")
    topics = list(Topic.objects.active())
    mentioning = [
        t
        for t in topics
        if re.search(r"\bwers?\b", " ".join([t.title, t.summary, *t.skills, t.body_markdown]), re.IGNORECASE)
    ]
    substring = [t for t in topics if "wer" in (t.title + t.summary + t.body_markdown).lower()]

    assert results.corrected is None
    assert _slugs(results)[0] == "asr-pipeline"  # "WER" in its title
    assert len(results.hits) == len(mentioning)
    assert len(mentioning) < len(substring) - 15  # substring matching also found "answer", "power", "lower"…
    assert all("<mark>wer" in str(hit.snippet).lower() for hit in results.hits)


def test_title_matches_rank_above_body_mentions(curriculum):
    assert _slugs(topic_search(query="speaker diarization"))[0] == "speaker-diarization"
    assert _slugs(topic_search(query="conformer"))[0] == "conformer"


def test_known_words_are_not_corrected(curriculum):
    assert query_correction(words=["spectrograms", "speaker"]) is None
    assert query_correction(words=["spektrogram"]) == "spectrogram"


def test_snippets_are_escaped_and_retired_topics_are_not_found():
    TopicFactory(title="Attack surface", body_markdown='Gain 3 < 5 & a "quoted" vocoder trick.')
    TopicFactory(title="Old vocoder notes", body_markdown="The vocoder of old.", is_active=False)

    results = topic_search(query="vocoder")

    assert [hit.topic.title for hit in results.hits] == ["Attack surface"]
    assert "3 &lt; 5 &amp; a &quot;quoted&quot;" in results.hits[0].snippet
    assert "<mark>vocoder</mark>" in results.hits[0].snippet


def test_search_page_shows_correction_count_and_highlights(client, curriculum):
    html = client.get(reverse("curriculum:search"), {"q": "whispr"}).content.decode()

    assert "Nothing matched “whispr”. Showing results for <strong>“whisper”</strong>" in html
    assert "<mark>Whisper</mark>" in html
    assert f'href="{reverse("curriculum:topic", args=["whisper"])}"' in html


def test_search_page_offers_did_you_mean_when_the_query_found_something(client):
    TopicFactory(title="Arrays", body_markdown="Beamforming steers a microphone array.")

    html = client.get(reverse("curriculum:search"), {"q": "beamform"}).content.decode()

    assert "1 topic for “beamform”" in html  # found by its stem, beamform
    assert 'Did you mean <a href="/roadmap/search/?q=beamforming">beamforming</a>?' in html
