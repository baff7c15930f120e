"""The free-text grader: term matching, sentence splitting, scripts, and the real embedding model."""

import pytest

from quiz.answer_text import dominant_other_script, find_terms, split_sentences
from quiz.grading import KeyPointInput, grade_answer
from tests.quiz.factories import NYQUIST_POINTS

POINTS = [KeyPointInput(text, tuple(terms)) for text, terms in NYQUIST_POINTS]


def test_terms_match_across_case_plurals_inflections_and_hyphens():
    answer = "The tones get ALIASED; an antialiasing low pass filter sits before the ADCs at 8kHz."

    found = find_terms(["alias", "anti-aliasing", "low-pass", "8 kHz", "adc", "fold"], answer)

    assert found == ("alias", "anti-aliasing", "low-pass", "8 kHz", "adc")


def test_terms_match_whole_words_only():
    assert find_terms(["half", "mel"], "On behalf of the team: melody matters.") == ()


def test_terms_with_symbols_and_numbers():
    answer = "Direct evaluation is O(N^2), the FFT is O(N log N); rfft gives N/2+1 = 257 bins, 16,000 / 512."

    assert find_terms(["o(n^2)", "o(n log n)", "n/2 + 1", "257", "16000"], answer) == (
        "o(n^2)", "o(n log n)", "n/2 + 1", "257", "16000",
    )  # fmt: skip


def test_sentences_split_at_stops_semicolons_newlines_and_cjk_stops_but_not_decimals():
    text = "Bins are 31.25 Hz apart. Nyquist is 8 kHz; fold!\nNext line。第二句"

    assert split_sentences(text) == [
        "Bins are 31.25 Hz apart.",
        "Nyquist is 8 kHz",
        "fold!",
        "Next line。",
        "第二句",
    ]


def test_other_scripts_are_recognised():
    assert dominant_other_script("Частота Найквиста равна половине частоты дискретизации") == "CYRILLIC"
    assert dominant_other_script("Nyquist 奈奎斯特频率是采样率的一半") == "CJK"
    assert dominant_other_script("Nyquist frequency, café") is None


def test_empty_answer_scores_zero_without_the_model():
    grade = grade_answer("   \n ", POINTS, encoder=None)

    assert grade.score == 0.0
    assert grade.hit == [] and len(grade.missed) == 3
    assert grade.notes == ("The answer is empty.",)


@pytest.fixture(scope="module")
def encoder():
    from workers.engines.registry import get_engine

    return get_engine("sentence-embedding")


def test_complete_answer_covers_every_point_with_evidence(encoder):
    answer = (
        "Sampling at 16 kHz gives a Nyquist frequency of 8 kHz, half the rate. "
        "The 10 kHz tone therefore folds back and shows up as a 6 kHz alias. "
        "To prevent it, put an analogue anti-aliasing low-pass filter in front of the converter."
    )

    grade = grade_answer(answer, POINTS, encoder=encoder)

    assert grade.score > 0.85
    assert [p.covered for p in grade.points] == [True, True, True]
    assert grade.points[0].evidence == "The 10 kHz tone therefore folds back and shows up as a 6 kHz alias."
    assert "low-pass" in grade.points[2].terms_found


def test_partial_answer_misses_points(encoder):
    grade = grade_answer("The tone folds over and appears as an alias at 6 kHz.", POINTS, encoder=encoder)

    assert [p.covered for p in grade.points] == [True, False, False]
    assert 0.2 < grade.score < 0.6


def test_off_topic_answer_scores_zero(encoder):
    grade = grade_answer("I like baking bread on Sundays with my grandmother.", POINTS, encoder=encoder)

    assert grade.score == 0.0


def test_answer_in_another_script_is_graded_with_a_note(encoder):
    grade = grade_answer("Тон 10 кГц превратится в 6 кГц из-за наложения спектров.", POINTS, encoder=encoder)

    assert grade.notes and "Cyrillic script" in grade.notes[0]
    assert 0.0 <= grade.score <= 1.0
