"""The grader's rules: spellings normalised before matching, numbers checked by value, claims
turned round recognised, and answers that game it (term lists, the question copied back, terms
in nonsense, wrong figures) held below a real partial answer. Feedback never lists terms."""

import pytest

from quiz.answer_text import find_terms, is_fragment
from quiz.grading import KeyPointInput, Status, grade_answer
from quiz.polarity import affirmed, denied_in, swapped
from quiz.textnorm import (
    RATIO,
    Quantity,
    contradicts,
    declared_quantity,
    normalise,
    quantities,
    reversed_claim,
    same_quantity,
)


@pytest.mark.parametrize(
    ("said", "term"),
    [
        ("about 15 percent", "15%"),
        ("100 times fewer operations", "hundredfold"),
        ("a speed-up of 8x", "factor of 8"),
        ("it costs O(N²)", "o(n^2)"),
        ("10 to 20 hours of speech", "10–20 hours"),
        ("10-20 h of speech", "10–20 hours"),
        ("680k hours", "680,000 hours"),
        ("8000 Hz", "8 kHz"),
        ("a 25 ms window", "0.025 s"),
        ("check no_speech_prob", "no-speech probability"),
        ("temperature fallback", "fallback | re-decoding"),
    ],
)
def test_spellings_are_normalised_before_matching(said, term):
    assert find_terms([term], said) == (term,)


def test_normalised_numbers_still_distinguish_values():
    assert find_terms(["15%"], "about 16 percent") == ()
    assert find_terms(["8 khz"], "8000 samples") == ()
    assert normalise("between 10 and 20 ms") == "0.01 to 0.02 s"


def test_points_take_their_figures_but_not_formula_parts():
    assert quantities("rfft returns N/2 + 1 = 257 bins from DC to Nyquist.", skip_formulas=True) == [
        Quantity(257.0, "bin")
    ]
    assert quantities("Here the result is 4/10 = 40 percent.", skip_formulas=True) == [Quantity(40.0, "%")]


def test_numbers_match_by_value_within_tolerance_and_unit():
    expected = Quantity(31.25, "hz")
    assert same_quantity(expected, quantities("31.3 Hz")[0])
    assert not same_quantity(expected, quantities("62.5 Hz")[0])
    assert not same_quantity(expected, quantities("31.25 ms")[0])
    assert same_quantity(Quantity(40.0, "%"), quantities("a WER of 0.4")[0])
    assert same_quantity(Quantity(0.6, "", 0.05), quantities("0.62")[0])


def test_declared_figures_are_read_in_the_same_units_as_answers():
    eight_khz = declared_quantity(8, "kHz", 0.1)
    assert eight_khz == Quantity(8000.0, "hz", 100.0)
    assert same_quantity(eight_khz, quantities("about 8050 Hz")[0])
    assert not same_quantity(eight_khz, quantities("8 ms")[0])
    assert declared_quantity(257) == Quantity(257.0)
    assert same_quantity(declared_quantity(22.05, "kHz"), quantities("22050 Hz")[0])


@pytest.mark.parametrize(
    ("point", "sentence", "turned"),
    [
        (
            "Filters are narrow at low and wide at high frequencies.",
            "They are wide at low and narrow at high ones.",
            True,
        ),
        (
            "Filters are narrow at low and wide at high frequencies.",
            "The low ones are narrow and the high ones wide.",
            False,
        ),
        ("RTF measures throughput, not delay.", "RTF measures delay, not throughput.", True),
        (
            "Chunk boundaries need left context and crossfading.",
            "Each chunk is processed without context.",
            False,
        ),
        (
            "Attention cost grows with the square of the length.",
            "Cost grows quadratically, not linearly.",
            False,
        ),
    ],
)
def test_claims_turned_round_are_recognised(point, sentence, turned):
    assert reversed_claim(point, sentence) is turned


def test_a_lone_opposite_counts_only_in_the_clause_that_makes_the_point():
    point, said = (
        "Enhancement increases WER for robust models.",
        "Enhancement decreases WER for robust models.",
    )
    assert reversed_claim(point, said, close=said)
    assert not reversed_claim(point, said)  # not given as the point's own clause


def test_term_lists_are_fragments_and_sentences_are_not():
    assert is_fragment("aliasing, nyquist, 8 kHz, anti-aliasing, low-pass")
    assert not is_fragment("The tone folds back to 6 kHz because it is above the Nyquist frequency.")


PROMPT = "You take a 512-point FFT of a frame of 16 kHz audio. How many bins do you get, and how far apart are they?"
POINTS = [
    KeyPointInput("Bin spacing is fs / N, 31.25 Hz here.", ("fs / n", "spacing")),
    KeyPointInput("rfft returns N/2 + 1 = 257 bins from DC to Nyquist.", ("rfft", "nyquist")),
    KeyPointInput("Zero-padding changes bin spacing but not true resolution, which depends on window length.",
                  ("zero-padding", "resolution", "window")),
]  # fmt: skip
STRONG = (
    "The bins are fs / N apart, so 16000 / 512 gives 31.25 Hz between neighbours. For real input rfft "
    "keeps N/2 + 1 = 257 bins from DC up to Nyquist. Zero-padding a shorter frame keeps the 31.25 Hz "
    "spacing, but the true resolution depends on the window length, not on the padding."
)
PARTIAL = "You get 257 bins, because rfft only returns the non-negative frequencies up to Nyquist."


@pytest.fixture(scope="module")
def grade():
    from workers.engines.registry import get_engine

    encoder = get_engine("sentence-embedding")
    return lambda text: grade_answer(text, POINTS, prompt=PROMPT, encoder=encoder)


def test_a_strong_answer_beats_a_partial_one(grade):
    strong, partial = grade(STRONG), grade(PARTIAL)

    assert strong.score > 0.8 and [p.covered for p in strong.points] == [True, True, True]
    assert 0.15 < partial.score < strong.score


@pytest.mark.parametrize(
    ("kind", "answer"),
    [
        ("term list", "fs / n, spacing, rfft, nyquist, zero-padding, resolution, window, 31.25 Hz, 257"),
        ("question copied", PROMPT),
        (
            "terms in nonsense",
            "Grandpa keeps 257 jars of rfft jam by the Nyquist window, and fs / N is his boat.",
        ),
        ("wrong numbers", STRONG.replace("31.25", "62.5").replace("257", "513")),
        ("turned round", "Zero-padding improves the true resolution and not only the bin spacing."),
    ],
)
def test_gaming_answers_score_below_a_real_partial_answer(grade, kind, answer):
    assert grade(answer).score < grade(PARTIAL).score, kind


def test_feedback_says_what_went_wrong_without_listing_terms(grade):
    result = grade(STRONG.replace("31.25", "62.5"))

    spacing = result.points[0]
    assert spacing.status == Status.WRONG_NUMBER and not spacing.covered
    feedback = spacing.as_json()
    assert feedback["hint"] == "Your answer gives a different figure for this; check how it is worked out."
    assert "terms" not in feedback
    copied = grade(PROMPT)
    assert copied.score == 0 and copied.notes == (
        "Part of your answer repeats the question; repeating it earns nothing.",
    )


def test_identifiers_and_paraphrases_get_credit():
    from workers.engines.registry import get_engine

    points = [
        KeyPointInput(
            "Drop segments whose no-speech probability is high and average log-probability is low.",
            ("no-speech probability", "log-probability"),
        )
    ]
    answer = "Skip a segment when no_speech_prob is above 0.6 and its avg_logprob is below -1."

    result = grade_answer(answer, points, encoder=get_engine("sentence-embedding"))

    assert result.points[0].covered and set(result.points[0].terms_found) == {
        "no-speech probability",
        "log-probability",
    }


@pytest.mark.parametrize(
    ("point", "sentence"),
    [
        (
            "CTC needs enough output frames for the target tokens.",
            "CTC does not need enough output frames for the target tokens.",
        ),
        (
            "Attention cost scales quadratically with length, so subsampling saves much compute.",
            "Attention cost does not grow with the length, so subsampling saves no compute.",
        ),
        (
            "Chunk accumulation and lookahead add algorithmic latency.",
            "Chunk accumulation and lookahead don’t add latency.",
        ),
        (
            "Amplitude ratios use 20 log10, power ratios use 10 log10.",
            "Amplitude ratios do not use 20 log10.",
        ),
    ],
)
def test_the_points_own_clause_negated_denies_it(point, sentence):
    assert denied_in(point, sentence)


@pytest.mark.parametrize(
    ("point", "sentence"),
    [
        # hedges and bounds, not denials
        (
            "Caching keys and values avoids recomputation.",
            "Caching keys and values not only avoids recomputation but cuts latency.",
        ),
        (
            "The decoder predicts tokens and timestamps.",
            "The decoder doesn't just predict tokens, it predicts timestamps too.",
        ),
        (
            "Subsampling saves compute in attention.",
            "With subsampling, attention compute no longer dominates.",
        ),
        ("The watermark survives compression.", "The watermark may not survive heavy compression."),
        (
            "The budget allows 200 ms per stage.",
            "No stage gets more than 200 ms of the budget, no more than that.",
        ),
        # two negations cancel
        (
            "CTC needs enough output frames for the target tokens.",
            "CTC cannot work without enough output frames for the target tokens.",
        ),
        # a condition, an elliptic contrast, a negation in a neighbouring clause
        (
            "Caching keys and values avoids recomputation.",
            "If keys and values are not cached, every chunk recomputes them.",
        ),
        (
            "A learned encoder with short windows replaces the STFT.",
            "A learned encoder with short windows is used, not the STFT.",
        ),
        (
            "Magnitude masks reuse the mixture phase, capping quality.",
            "The learned encoder has no separate phase, so it is not limited by the mixture phase.",
        ),
        # not the point restated: another subject, or mostly the answer's own words
        (
            "CTC needs enough output frames for the target tokens.",
            "It does not need to align output frames to target tokens by hand.",
        ),
        (
            "A mismatch between device and training feature extraction is the usual cause.",
            "So the model sees features it was never trained on.",
        ),
        # the point says something is absent: "no X" agrees with it
        (
            "Joint training removes the acoustic-model to vocoder mismatch.",
            "Joint training leaves no mismatch between the acoustic model and the vocoder.",
        ),
        # the negated word is not the point's own, or belongs to the point's other subject
        (
            "FIR uses only inputs and is always stable; IIR uses feedback.",
            "An FIR filter has no feedback and is always stable.",
        ),
        # the point itself is negative, or "no" is part of a name
        (
            "CTC needs enough output frames for the target tokens.",
            "CTC output frames are not aligned to the target tokens.",
        ),
        ("F5-TTS needs no duration model or aligner.", "F5-TTS does not need a duration model."),
        (
            "Whisper checks the no_speech_prob of a segment.",
            "Whisper checks the no_speech_prob of each segment.",
        ),
    ],
)
def test_hedges_double_negation_conditions_and_other_clauses_are_not_denials(point, sentence):
    assert not denied_in(point, sentence)


def test_a_denied_point_counts_as_turned_round_when_the_sentence_matches_it_closely():
    from workers.engines.registry import get_engine

    points = [KeyPointInput("CTC needs enough output frames for the target tokens.", ("output frames",))]
    denied = grade_answer(
        "CTC does not need enough output frames for the target tokens.",
        points,
        encoder=get_engine("sentence-embedding"),
    )
    stated = grade_answer(
        "CTC needs enough output frames for the target tokens.",
        points,
        encoder=get_engine("sentence-embedding"),
    )
    assert denied.points[0].status == Status.REVERSED and denied.score == 0.0
    assert stated.points[0].status == Status.COVERED and stated.score == 1.0


COMPARISON = "FIR uses only inputs and is always stable; IIR uses feedback."
MEL = "Mel filters are narrow at low frequencies; linear bins are equally spaced."


@pytest.mark.parametrize(
    ("point", "sentence", "turned"),
    [
        (
            COMPARISON,
            "FIR filters use feedback from previous outputs while IIR filters only look at the input.",
            True,
        ),
        (MEL, "Mel filters are equally spaced, whereas linear bins are narrow at low frequencies.", True),
        (
            COMPARISON,
            "FIR filters use only the inputs and are always stable, and IIR filters use feedback.",
            False,
        ),
        (
            COMPARISON,
            "An FIR filter uses only current and past inputs, so it has no feedback and is always stable.",
            False,
        ),
        (
            MEL,
            "Mel filters are narrow at low frequencies and wide at high ones, while linear bins are equally spaced.",
            False,
        ),
        # the second subject says nothing of its own to swap
        (
            "Relative encodings generalise across lengths; Conformer uses them.",
            "Conformer uses relative encodings.",
            False,
        ),
        # two facts joined by ";": the sentence names one subject only in passing, heading no clause
        (
            "Larger hops halve the frames and cut attention cost; the streaming model is about 3 times faster.",
            "Going to larger hops (plain model at 40 ms, the streaming model at 80 ms) halves the number of "
            "frames, and attention cost falls to a quarter.",
            False,
        ),
        # a real comparison said the other way round, each subject heading its clause
        (
            "Larger hops halve the frames and cut attention cost; the streaming model is about 3 times faster.",
            "The streaming model halves the frames and cuts attention cost, while larger hops are 3 times faster.",
            True,
        ),
    ],
)
def test_two_subjects_swapped_turn_a_comparison_round(point, sentence, turned):
    assert swapped(point, sentence) is turned


DENYING = "Zero-padding interpolates the spectrum but does not improve resolution or leakage."


@pytest.mark.parametrize(
    ("point", "sentence", "turned"),
    [
        (DENYING, "Zero-padding the FFT to a larger size would increase the resolution.", True),
        (DENYING, "Zero-padding gives a cleaner picture of the leakage.", True),
        (DENYING, "Zero-padding changes neither the resolution nor the leakage.", False),
        (DENYING, "Zero-padding would not have helped; the resolution is set by the window.", False),
        (DENYING, "If zero-padding improved resolution, longer FFTs would separate any two tones.", False),
        (DENYING, "Zero-padding may seem to sharpen the resolution, but it only interpolates.", False),
        # a denied object has to be restated, not one word of it
        (
            "Keep masks so that padding does not create fake frames.",
            "Padded regions produce frames too.",
            False,
        ),
        # "needs no X" is left to other rules: answers say "removes X"
        ("The model needs no duration predictor.", "The model removes the duration predictor.", False),
    ],
)
def test_a_point_that_denies_is_turned_round_by_a_clause_that_affirms(point, sentence, turned):
    assert affirmed(point, sentence) is turned


def test_a_swapped_comparison_costs_what_a_reversed_claim_costs():
    from workers.engines.registry import get_engine

    points = [KeyPointInput(COMPARISON, ("feedback", "always stable"))]
    encoder = get_engine("sentence-embedding")
    swapped_answer = grade_answer(
        "FIR filters use feedback from previous outputs while IIR filters only look at the input.",
        points,
        encoder=encoder,
    )
    right = grade_answer(
        "FIR filters use only the inputs and are always stable, while IIR filters use feedback.",
        points,
        encoder=encoder,
    )
    assert swapped_answer.points[0].status == Status.REVERSED and swapped_answer.score == 0.0
    assert right.points[0].status == Status.COVERED


@pytest.mark.parametrize(
    ("close", "turned"),
    [
        ("Passive detectors generalise well to unseen generators.", True),
        ("Passive detectors generalise poorly to unseen generators.", False),
        ("Passive detectors, as well as watermarks, generalise poorly to unseen generators.", False),
    ],
)
def test_poorly_and_well_are_opposites_but_as_well_adds(close, turned):
    point = "Passive detectors work on any source but generalise poorly to unseen generators."
    assert reversed_claim(point, close, close=close) is turned


@pytest.mark.parametrize(
    ("expected", "said", "wrong"),
    [
        (Quantity(0.08), "here 1/25 = 0.04", True),  # a bare decimal, another one
        (Quantity(0.43, "", 0.01), "it reaches 0.23 mAP", True),  # a score with its own noun
        (Quantity(0.4), "about 18 percent", True),  # a share said as a percentage
        (Quantity(40.0, "%"), "it gives 3/10", True),  # a percentage said as a fraction
        (Quantity(0.08), "the limit is 0.08", False),
        (Quantity(0.4), "a WER of 40 percent", False),
        (Quantity(40.0, "%"), "that is 4/10", False),
        (Quantity(0.08), "it takes 250 steps", False),  # whole numbers are counts of the answer's own
        (Quantity(0.08), "a hop of 0.01 s", False),  # a physical quantity is another kind
        (Quantity(0.08), "a mean of 0.0004", False),  # another order of magnitude
        (Quantity(9.0), "the kernel shrinks from 31", False),  # a bare whole number is never contradicted
    ],
)
def test_bare_decimals_percentages_and_fractions_contradict_a_bare_figure(expected, said, wrong):
    assert any(contradicts(expected, q) for q in quantities(said)) is wrong


def test_a_fraction_states_its_value_but_not_a_unit():
    assert Quantity(0.04, RATIO) in quantities("here 1/25 = 0.04")
    assert same_quantity(Quantity(40.0, "%"), quantities("WER = 4/10")[-1])
    # "16000 / 512 gives 62.5 Hz" states 62.5 Hz, not the fraction's 31.25 Hz
    assert not any(same_quantity(Quantity(31.25, "hz"), q) for q in quantities("16000 / 512 gives 62.5 Hz"))


SGD_PROMPT = "Plain SGD on f(w) = 0.5 (w1^2 + 25 w2^2) converges with learning rate 0.075. Why?"
SGD_POINTS = [
    KeyPointInput(
        "SGD is stable only if the learning rate is below 2 divided by the largest curvature, here 0.08.",
        ("largest curvature",),
        (Quantity(0.08),),
    ),
    KeyPointInput("Above the limit the steep coordinate flips sign and grows.", ("flips",)),
]


def test_a_wrong_bare_decimal_makes_the_point_wrong():
    from workers.engines.registry import get_engine

    encoder = get_engine("sentence-embedding")
    wrong = grade_answer(
        "SGD is stable only if the learning rate is below 1 divided by the largest curvature, here 1/25 = 0.04.",
        SGD_POINTS,
        prompt=SGD_PROMPT,
        encoder=encoder,
    )
    right = grade_answer(
        "SGD is stable only if the learning rate is below 2 divided by the largest curvature, here 2/25 = 0.08.",
        SGD_POINTS,
        prompt=SGD_PROMPT,
        encoder=encoder,
    )
    assert wrong.points[0].status == Status.WRONG_NUMBER
    assert right.points[0].status == Status.COVERED


def test_a_figure_in_a_clause_about_a_point_without_figures_still_counts():
    """ "so the limit is 0.08" shares "limit" with the second point, which has no figure to claim it."""
    from workers.engines.registry import get_engine

    answer = "The learning rate must be below 2 divided by the largest curvature, so the limit is 0.08."
    result = grade_answer(answer, SGD_POINTS, prompt=SGD_PROMPT, encoder=get_engine("sentence-embedding"))
    assert result.points[0].status == Status.COVERED


def test_the_questions_own_figure_in_another_spelling_contradicts_nothing():
    from workers.engines.registry import get_engine

    points = [
        KeyPointInput("AUC is the chance that an anomaly outscores a normal clip; 0.5 is chance.", ("auc",))
    ]
    prompt = "A detector reports AUC 0.85. What does it mean?"
    encoder = get_engine("sentence-embedding")
    restated = grade_answer(
        "AUC 0.85 means that an anomaly outscores a normal clip 85 % of the time.",
        points,
        prompt=prompt,
        encoder=encoder,
    )
    assert restated.points[0].status != Status.WRONG_NUMBER


WER_PROMPT = "The reference has 10 words; the hypothesis has 1 substitution, 1 deletion and 2 insertions. What is the WER?"
WER_POINTS = [
    KeyPointInput("WER = (S + D + I) / N with N the number of reference words.", ("reference words",)),
    KeyPointInput("Here the result is 4/10 = 40 percent.", ("40 percent",)),
]


@pytest.mark.parametrize(
    ("answer", "wrong"),
    [
        # not phrased like the point, but its figure, said otherwise
        (
            "WER only counts substitutions and deletions over the hypothesis length, so it is about 18 percent.",
            True,
        ),
        ("WER counts the three kinds of error over the reference length, so it is 40 percent.", False),
        # a sentence about something else entirely states its own percentages
        ("Our football team won 18 percent of its matches last season.", False),
    ],
)
def test_another_figure_in_a_sentence_loosely_about_the_point_makes_it_wrong(answer, wrong):
    from dataclasses import replace

    from quiz.grading import DEFAULT_PARAMS
    from workers.engines.registry import get_engine

    encoder = get_engine("sentence-embedding")
    result = grade_answer(answer, WER_POINTS, prompt=WER_PROMPT, encoder=encoder)
    assert (result.points[1].status == Status.WRONG_NUMBER) is wrong
    # below the similarity at which terms count, so only the looser gate reads the figure
    assert result.points[1].similarity < DEFAULT_PARAMS.term_gate or not wrong
    never = replace(DEFAULT_PARAMS, number_gate=1.0)
    assert grade_answer(answer, WER_POINTS, prompt=WER_PROMPT, encoder=encoder, params=never).points[
        1
    ].status != (Status.WRONG_NUMBER)


def test_a_counted_noun_after_a_hyphenated_modifier_is_the_head_noun():
    point = quantities("The input gives 3,000 log-mel frames of 80 channels.", skip_formulas=True)
    assert point[0] == Quantity(3000.0, "frame")
    assert contradicts(point[0], quantities("1,200 frames")[0])
    assert quantities("a 25 ms-long hop") == [Quantity(0.025, "s")]  # a unit stays the unit
    assert quantities("3 log frames")[0].unit == "log"  # no hyphen, no compound
