"""The separation demo: SI-SDR and the best assignment on hand-made inputs, the shipped mixtures and
their references, real jobs on both mixtures, and the exercises."""

from pathlib import Path

import gradio as gr
import numpy as np
import pytest

from demos.common import exercise_check
from demos.samples import MUSIC_DRUMS, MUSIC_MELODY, MUSIC_MIX, MUSIC_VOCAL, TWO_SPEAKERS_MIX
from demos.separation import SR, build, describe_stems, separate
from demos.separation.exercises import EXERCISES
from demos.separation.references import (
    MUSIC,
    PITCHED,
    SPEAKER_A,
    SPEAKER_B,
    SPEAKERS,
    identify,
    target_signals,
)
from demos.separation.scoring import best_assignment, permutation_summary, si_sdr, si_sdr_matrix
from tests.demos.conftest import exercise_job_result
from workers.audio_io import load_audio


def test_si_sdr_exact_values():
    s = np.sin(np.linspace(0, 40 * np.pi, 4000))
    noise = np.cos(np.linspace(0, 97 * np.pi, 4000))  # orthogonal enough to s over whole periods
    noise -= np.dot(noise, s) / np.dot(s, s) * s  # make it exactly orthogonal

    assert si_sdr(3.0 * s, s) > 100  # any gain: still perfect
    mixed = s + noise * np.sqrt(np.dot(s, s) / np.dot(noise, noise)) / np.sqrt(10)  # 10 dB below
    assert si_sdr(mixed, s) == pytest.approx(10.0, abs=1e-6)
    assert si_sdr(-s + 0 * noise, s) > 100  # a sign flip is a gain of −1


def test_best_assignment_finds_the_permutation():
    matrix = np.array([[-3.0, 12.0], [9.0, -1.0]])  # output 0 is really source 1

    best = best_assignment(matrix)

    assert best.pairs == ((0, 1), (1, 0))
    assert best.total_db == 21.0 and best.mean_db == 10.5


def test_best_assignment_three_sources_and_rectangular():
    matrix = np.array([[1.0, 5.0, 2.0], [4.0, 1.0, 0.0], [0.0, 3.0, 6.0]])
    assert best_assignment(matrix).pairs == ((0, 1), (1, 0), (2, 2))
    # two estimates, three references: each estimate gets a different reference
    assert best_assignment(np.array([[1.0, 5.0, 4.9], [0.0, 6.0, 2.0]])).pairs == ((0, 2), (1, 1))
    # three estimates, two references: the weakest estimate stays unmatched
    assert best_assignment(np.array([[1.0, 5.0], [0.0, 6.0], [7.0, 0.0]])).pairs == ((1, 1), (2, 0))
    with pytest.raises(ValueError, match="at least one estimate"):
        best_assignment(np.zeros((0, 2)))


def test_permutation_summary_says_when_the_order_is_wrong():
    matrix = np.array([[-3.0, 12.0], [9.0, -1.0]])
    text = permutation_summary(
        matrix, ["background", "foreground"], ["vocal", "accompaniment"], best_assignment(matrix)
    )

    assert text.startswith(
        "Best one-to-one assignment: background → accompaniment (12.0 dB); foreground → vocal (9.0 dB); mean 10.5 dB."
    )
    assert "would give a mean of -2.0 dB" in text and "the score would be wrong" in text


def test_si_sdr_matrix_rows_and_columns():
    a, b = np.sin(np.arange(1000) * 0.1), np.sign(np.sin(np.arange(1000) * 0.013))
    matrix = si_sdr_matrix({"x": b, "y": a}, {"A": a, "B": b})
    assert matrix.shape == (2, 2) and matrix[0, 1] > 100 and matrix[1, 0] > 100 and matrix[0, 0] < 0


def test_shipped_mixtures_are_the_sums_of_their_references():
    mixture = load_audio(MUSIC_MIX, target_sr=None).samples
    stems = sum(load_audio(p, target_sr=None).samples for p in (MUSIC_MELODY, MUSIC_DRUMS, MUSIC_VOCAL))
    assert len(mixture) == 8 * 16000
    assert np.max(np.abs(mixture - stems)) < 1e-3  # 16-bit rounding of four files

    speakers = load_audio(TWO_SPEAKERS_MIX, target_sr=SR).samples
    assert identify(speakers, SR) is SPEAKERS
    references = target_signals(SPEAKERS, "nmf", SR, len(speakers))
    assert list(references) == [SPEAKER_A, SPEAKER_B]
    assert si_sdr(speakers, references[SPEAKER_A] + references[SPEAKER_B]) > 30


def test_identify_ignores_other_audio():
    music = load_audio(MUSIC_MIX, target_sr=SR).samples
    assert identify(music, SR) is MUSIC
    assert identify(music * 0.5, SR) is None
    assert identify(music[:-100], SR) is None


def test_describe_stems_gives_energy_shares():
    mixture = np.ones(SR, dtype=np.float32)
    text = describe_stems({"a": 0.5 * mixture, "b": 0.5 * mixture}, mixture)
    assert text == (
        "2 estimates of 1.0 s each. “a”: 25 % of the mixture's energy, level -6.0 dBFS RMS; "
        "“b”: 25 % of the mixture's energy, level -6.0 dBFS RMS."
    )


@pytest.mark.django_db
def test_hpss_on_the_music_mix_beats_the_mixture(learner_request, inline_jobs):
    first, second, description, figure, rows, permutation, matrix = separate(
        str(MUSIC_MIX), "hpss", request=learner_request
    )

    assert Path(first).name == "harmonic.wav" and Path(second).name == "percussive.wav"
    assert description.startswith("2 estimates of 8.0 s each. “harmonic”:")
    by_estimate = {row[0]: row for row in rows}
    harmonic = by_estimate["harmonic"]
    assert harmonic[1] == PITCHED and harmonic[2] > harmonic[3] + 1.5  # better than the mixture itself
    assert by_estimate["percussive"][1] == "drums" and by_estimate["percussive"][4] > 5
    assert "engine's order happens to be the right one" in permutation
    assert [t.get_text() for t in matrix.axes[0].get_yticklabels()] == [
        "estimate: harmonic",
        "estimate: percussive",
    ]
    assert [ax.get_title() for ax in figure.axes[:3]] == ["mixture", "harmonic", "percussive"]


@pytest.mark.django_db
def test_repet_on_the_music_mix_needs_the_assignment(learner_request, inline_jobs):
    *_, rows, permutation, _ = separate(str(MUSIC_MIX), "repet-sim", request=learner_request)

    assert {row[0]: row[1] for row in rows}["foreground"] == "vocal"
    assert "the score would be wrong" in permutation  # sorted stems: background first, vocal column first


@pytest.mark.django_db
def test_separate_refuses_bad_inputs(learner_request, visitor_request):
    with pytest.raises(gr.Error, match="Upload or record a mixture"):
        separate(None, "hpss", request=learner_request)
    with pytest.raises(gr.Error, match="Choose one of the methods"):
        separate(str(MUSIC_MIX), "demucs", request=learner_request)
    with pytest.raises(gr.Error, match="Log in"):
        separate(str(MUSIC_MIX), "hpss", request=visitor_request)


@pytest.mark.django_db
def test_exercises_are_measured(learner, learner_request, inline_jobs):
    repet, speakers = EXERCISES

    answer, measured = repet.experiment()
    assert answer == "Closer to it, by 3 dB or more"
    assert float(measured["vocal: SI-SDR improvement of the foreground"].split()[0]) >= 3
    assert "the run says" in exercise_check(speakers, "Closer to it, by 3 dB or more", learner_request)
    answer, _ = exercise_job_result(learner)
    assert answer != "Closer to it, by 3 dB or more"  # classic methods cannot split two voices


@pytest.mark.django_db
def test_build_returns_blocks():
    assert isinstance(build(), gr.Blocks)
