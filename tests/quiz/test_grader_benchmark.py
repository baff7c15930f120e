"""The grader on the labelled set (benchmarks/grader/): strong > partial > wrong on ≥ 90 % of the
questions, and no adversarial answer (term lists, the question copied, terms in nonsense, wrong
numbers, reversed claims, the model answer with its numbers changed) as high as a real partial
answer, on the part the weights were tuned on; the held-out parts are held to what they measured."""

import pytest

from benchmarks.grader.run import (
    CACHE,
    RANKED,
    SPLITS,
    MemoEncoder,
    grade_all,
    load_cases,
    load_rubrics,
    split_metrics,
)
from workers.engines.registry import get_engine

ORDERING_BAR = 0.9


@pytest.fixture(scope="module")
def by_split():
    rubrics = load_rubrics()
    cases = [c for c in load_cases() if c.kind in RANKED or c.adversarial or c.kind in ("off_topic", "empty")]
    # the real encoder; vectors a benchmark run kept in var/ are reused (keyed by the exact text)
    scores, _ = grade_all(cases, rubrics, MemoEncoder(get_engine("sentence-embedding"), CACHE))
    return split_metrics(cases, scores)


def test_labelled_set_is_large_enough():
    cases = load_cases()
    questions = {c.question for c in cases}
    assert len(questions) >= 50
    assert sum(c.kind in RANKED for c in cases) >= 150
    assert sum(c.adversarial for c in cases) >= 40
    held = {c.question for c in cases if c.split != "tune"}
    assert len(held) >= len(questions) // 3


def test_strong_beats_partial_beats_wrong_on_ninety_percent_of_the_tuned_part(by_split):
    m = by_split["tune"]
    assert m.ordering_rate >= ORDERING_BAR, m.out_of_order


def test_adversarial_answers_stay_below_a_real_partial_one_on_the_tuned_part(by_split):
    """Since the clause-scoped denial rule (quiz/polarity.py) none does, the claim negated with the
    point's own words ("CTC does not need enough output frames") included."""
    assert by_split["tune"].adversarial_at_partial == []


def test_held_out_part_does_not_fall_below_what_was_measured(by_split):
    """Never tuned on: RESULTS.md reports it as measured (0.88 ordering, one adversarial answer at
    a partial answer's score); 0.94 since the fifth session's counted-noun fix ("3,000 log-mel
    frames" counts frames), prompted by reading its failures. This only guards against getting
    worse."""
    m = by_split["held_out"]
    assert m.ordering_rate >= 0.94, m.out_of_order
    assert len(m.adversarial_at_partial) <= 1, m.adversarial_at_partial


def test_second_held_out_part_does_not_fall_below_what_was_measured(by_split):
    """Labelled in a later session before the grader was run on it (RESULTS.md: 0.90 ordering; four
    adversarial answers at a partial answer's score, one since the denial rule and the bank's
    Conv-TasNet figure, none since the swapped-comparison and affirmed-denial rules); this only
    guards against getting worse."""
    m = by_split["held_out_2"]
    assert m.ordering_rate >= 0.9, m.out_of_order
    assert m.adversarial_at_partial == [], m.adversarial_at_partial


def test_third_held_out_part_does_not_fall_below_its_first_run(by_split):
    """Labelled and committed before any grader run on it; its first run (RESULTS.md, fourth
    session) missed both targets (0.667 ordering, four adversarial answers at a partial answer's
    score). The fifth session read its failures to fix the swapped-comparison false alarm and the
    bare-decimal figure checks (0.733, two), so it is no longer blind. This only guards against
    getting worse."""
    m = by_split["held_out_3"]
    assert m.ordering_rate >= 0.733, m.out_of_order
    assert len(m.adversarial_at_partial) <= 2, m.adversarial_at_partial


def test_fourth_held_out_part_does_not_fall_below_its_first_run(by_split):
    """Labelled and committed blind (1990d08) while the grader was changed by someone who never saw
    it; its first run (RESULTS.md, fifth session) missed both targets (0.467 ordering, five
    adversarial answers at a partial answer's score). This only guards against getting worse."""
    m = by_split["held_out_4"]
    assert m.ordering_rate >= 0.467, m.out_of_order
    assert len(m.adversarial_at_partial) <= 5, m.adversarial_at_partial


@pytest.mark.parametrize("split", SPLITS)
def test_off_topic_and_empty_answers_score_zero(by_split, split):
    assert by_split[split].zero_rate == 1.0
