"""The real-speech development set: sources found, halves disjoint, simulated references true to the
mixture, and the metrics it reports."""

import numpy as np

from benchmarks.devset.score import equal_error_rate, trials, wer
from benchmarks.devset.simulate import conversation, halves
from benchmarks.devset.sources import SR, by_speaker, utterances


def test_real_utterances_of_five_voices_are_found():
    grouped = by_speaker(utterances())
    assert set(grouped) == {"sample-speaker90", "sample-speaker91", "cate", "heath", "lj"}
    assert sum(u.seconds for u in utterances()) > 30


def test_tuning_and_held_apart_halves_share_no_audio():
    items = utterances()
    tune, held = halves(items)
    for u in items:
        first = [t for t in tune if t.origin.startswith(u.origin)]
        second = [h for h in held if h.origin.startswith(u.origin)]
        for a in first:
            for b in second:
                assert not np.array_equal(a.audio[:100], b.audio[:100])
    assert {t.speaker for t in tune} >= {"sample-speaker90", "sample-speaker91", "cate", "heath"}


def test_simulated_reference_marks_where_each_voice_was_placed():
    tune, _held = halves(utterances())
    conv = conversation(tune, ["sample-speaker90", "cate", "heath"], seconds=30, seed=1, name="c")
    assert conv.speakers == 3 and len(conv.audio) / SR >= 30
    loud = np.zeros(len(conv.audio), dtype=bool)
    for start, end, _speaker in conv.turns:
        loud[int(start * SR) : int(end * SR)] = True
    inside = np.sqrt(np.mean(conv.audio[loud] ** 2))
    outside = np.sqrt(np.mean(conv.audio[~loud] ** 2))
    assert outside < 0.01 and inside > 10 * outside  # outside the turns only the -45 dBFS noise floor
    assert conv.annotation().get_overlap().duration() > 0  # some turns overlap


def test_same_seed_same_conversation():
    tune, _held = halves(utterances())
    a = conversation(tune, ["cate", "heath"], seconds=10, seed=3, name="a")
    b = conversation(tune, ["cate", "heath"], seconds=10, seed=3, name="b")
    assert a.turns == b.turns and np.array_equal(a.audio, b.audio)


def test_eer_and_trials():
    assert equal_error_rate([0.9, 0.8, 0.7], [0.1, 0.2, 0.3]) == 0.0
    assert equal_error_rate([0.9, 0.2], [0.8, 0.1]) == 0.5
    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.95, 0.05]])
    same, different = trials(vectors, ["a", "a", "b", "a"], ["x", "y", "z", "x"])
    assert len(same) == 2 and len(different) == 3  # the two pieces of utterance "x" are not a trial


def test_wer_ignores_case_and_punctuation():
    assert wer(["Hello, world."], ["hello world"]) == 0.0
    assert wer(["one two three four"], ["one too three"]) == 0.5


def test_model_cards_show_the_development_set_figures():
    """The committed results/devset.json reaches the demos' model cards (real-speech figures)."""
    from demos.common import model_card_markdown

    card = model_card_markdown("diarization")
    assert "spectral-dvector" in card and "real-speech development set" in card
    assert "real: pyannote sample" in card and "DER" in card
    assert "EER real 2 s pieces" in model_card_markdown("speaker-embedding")
    assert "words invented on a near-silent track" in model_card_markdown("asr")
