"""The speaker verification demo: trials, error rates, EER and PCA on hand-made numbers, the
shipped speaker set, a real scoring job, and the text-versus-voice exercise."""

import gradio as gr
import numpy as np
import pytest

from demos.common import exercise_check
from demos.speaker_verification import build, decision_markdown, det_panel, threshold_moved, verify
from demos.speaker_verification.exercises import EXERCISES
from demos.speaker_verification.make_speaker_set import SENTENCES, VOICES
from demos.speaker_verification.scoring import (
    Trial,
    equal_error_rate,
    error_rates,
    pca_2d,
    rates_at,
    trials,
)
from demos.speaker_verification.speaker_set import shipped_speaker_set
from tests.demos.conftest import exercise_job_result
from workers.engines.runner import engine_infer
from workers.models import InferenceJob


def test_trials_are_every_pair_once():
    assert trials(["a", "a", "b"]) == [Trial(0, 1, True), Trial(0, 2, False), Trial(1, 2, False)]


def test_error_rates_at_every_threshold():
    r = error_rates([0.9, 0.7, 0.4], [0.6, 0.3, 0.2])

    assert list(r.thresholds) == [0.2, 0.3, 0.4, 0.6, 0.7, 0.9, np.inf]
    assert list(r.false_accept * 3) == pytest.approx([3, 2, 1, 1, 0, 0, 0])
    assert list(r.false_reject * 3) == pytest.approx([0, 0, 0, 1, 1, 2, 3])


@pytest.mark.parametrize(
    ("target", "nontarget", "rate", "threshold"),
    [
        ([0.9, 0.7, 0.4], [0.6, 0.3, 0.2], 1 / 3, 0.6),  # the curves meet exactly at 0.6
        ([0.9, 0.8], [0.2, 0.1], 0.0, 0.8),  # separable: no errors at 0.8
        ([0.1, 0.2], [0.8, 0.9], 1.0, 0.8),  # inverted scores: everything wrong
        ([0.5, 0.5], [0.5, 0.5], 0.5, 0.5),  # no information: chance
        ([0.9, 0.8, 0.3], [0.5], 1 / 3, 0.7),  # crossing between 0.5 and 0.8: interpolated
    ],
)
def test_equal_error_rate_on_hand_made_scores(target, nontarget, rate, threshold):
    eer = equal_error_rate(target, nontarget)

    assert eer.rate == pytest.approx(rate)
    assert eer.threshold == pytest.approx(threshold)


def test_rates_at_one_threshold_accept_at_or_above():
    assert rates_at([0.9, 0.7, 0.4], [0.6, 0.3, 0.2], 0.6) == (pytest.approx(1 / 3), pytest.approx(1 / 3))


def test_error_rates_need_both_kinds_of_trial():
    with pytest.raises(ValueError, match="Both target and non-target"):
        error_rates([0.5], [])


def test_pca_finds_the_direction_of_spread():
    points = np.array([[-2.0, 1.0, 0.0], [0.0, 1.0, 0.0], [2.0, 1.0, 0.0], [0.0, 1.0, 0.1], [0.0, 1.0, -0.1]])

    projection = pca_2d(points)

    assert np.allclose(np.abs(projection.components), [[1, 0, 0], [0, 0, 1]])
    assert projection.explained[0] == pytest.approx(8 / 8.02)
    assert projection.project(np.array([3.0, 1.0, 0.0]))[0] == pytest.approx([3.0, 0.0])


def test_shipped_set_is_every_voice_saying_every_sentence():
    shipped = shipped_speaker_set()

    assert len(shipped.files) == len(VOICES) * len(SENTENCES) == 24
    assert all(f.is_file() and f.stat().st_size < 80_000 for f in shipped.files)
    assert set(shipped.speakers) == set(VOICES)
    assert np.allclose(np.linalg.norm(shipped.embeddings, axis=1), 1.0, atol=1e-3)
    target, nontarget = shipped.scores()
    assert (len(target), len(nontarget)) == (36, 240)


def test_shipped_embeddings_match_the_engine_today():
    """A stale speakers.json (engine or clips changed) would put learners' clips on the wrong map."""
    shipped = shipped_speaker_set()
    data = engine_infer("speaker-embedding", backend=shipped.backend, audio_paths={"audio": shipped.files[0]})

    assert float(np.dot(data.output.data["embedding"], shipped.embeddings[0])) > 0.999


def test_det_panel_reports_eer_and_the_chosen_operating_point():
    shipped = shipped_speaker_set()
    eer = shipped.eer()
    far, frr = rates_at(*shipped.scores(), 0.75)

    figure, summary = det_panel(0.75)

    assert 0.05 < eer.rate < 0.35  # one synthesiser's voices: some are genuinely hard to tell apart
    assert f"EER {eer.rate:.1%} at threshold {eer.threshold:.3f}" in summary
    assert f"false accepts {far:.1%}, false rejects {frr:.1%}" in summary
    assert "36 target and 240 non-target trials" in summary
    assert figure.axes[0].get_title() == "DET curve over the shipped speaker set"


def test_decision_flips_at_the_threshold_without_a_job():
    assert "**Same speaker**" in decision_markdown(0.8, 0.8)
    decision, _, summary = threshold_moved(0.8, 0.85)
    assert "**Different speakers**" in decision and "At your threshold 0.85" in summary


@pytest.mark.django_db
def test_verify_scores_same_voice_above_different_voices(learner_request, inline_jobs):
    shipped = shipped_speaker_set()
    a, b, other = (
        str(shipped.clip("us-female", 0)),
        str(shipped.clip("us-female", 1)),
        str(shipped.clip("caribbean-male", 0)),
    )

    same_decision, figure, same_summary, same_score = verify(a, b, 0.75, request=learner_request)
    diff_decision, _, diff_summary, diff_score = verify(a, other, 0.75, request=learner_request)

    assert same_score > 0.75 > diff_score
    assert "**Same speaker**" in same_decision and "**Different speakers**" in diff_decision
    # the job's score is the cosine of the shipped embeddings of those clips (same engine)
    i, j = (
        shipped.files.index(shipped.clip("us-female", 0)),
        shipped.files.index(shipped.clip("us-female", 1)),
    )
    assert same_score == pytest.approx(float(shipped.embeddings[i] @ shipped.embeddings[j]), abs=2e-3)
    assert same_summary.count("nearest shipped voice: us-female") == 2
    assert "nearest shipped voice: caribbean-male" in diff_summary
    assert InferenceJob.objects.filter(capability="speaker-embedding", status="succeeded").count() == 6
    labels = [t.get_text() for t in figure.axes[0].texts]
    assert labels == ["enrolment", "test"]


@pytest.mark.django_db
def test_verify_needs_two_clips_and_a_login(learner_request, visitor_request):
    clip = str(shipped_speaker_set().files[0])
    with pytest.raises(gr.Error, match="Give two clips"):
        verify(clip, None, 0.75, request=learner_request)
    with pytest.raises(gr.Error, match="Log in"):
        verify(clip, clip, 0.75, request=visitor_request)


@pytest.mark.django_db
def test_text_versus_voice_exercise_is_measured(learner, learner_request, inline_jobs):
    exercise = EXERCISES[0]

    text = exercise_check(exercise, "Two different sentences by the same voice", learner_request)
    answer, measured = exercise_job_result(learner)

    assert answer == "Two different sentences by the same voice"
    assert "over 6 pairs" in measured["same voice, different sentences"]
    assert "over 30 pairs" in measured["same sentence, different voices"]
    assert "Your prediction was right" in text


@pytest.mark.django_db
def test_build_returns_blocks():
    assert isinstance(build(), gr.Blocks)
