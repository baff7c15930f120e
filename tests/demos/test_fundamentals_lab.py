"""The fundamentals lab's sampling, quantisation and filter tools, and its predict-then-run exercises."""

import numpy as np
import pytest

from demos.common import exercise_check
from demos.fundamentals import filter_tab, quantisation_tab, sampling_tab
from demos.fundamentals.exercises import EXERCISES
from demos.fundamentals.filters import design_and_apply
from demos.fundamentals.quantisation import quantise
from demos.fundamentals.sampling import compare_sampling, dominant_frequency, naive_downsample, tone
from demos.models import PredictionAttempt
from demos.samples import SPEECH_EN
from tests.factories import TopicFactory
from workers.models import InferenceJob

SR = 16000


def test_tone_above_nyquist_folds_back_without_filter():
    aliased = naive_downsample(tone(6000, SR), SR, 8000)

    assert abs(dominant_frequency(aliased, 8000) - 2000) < 5


def test_anti_aliasing_filter_removes_the_fold_back():
    result = compare_sampling(tone(6000, SR), SR, 8000)

    assert result.energy_above_nyquist > 0.99
    assert np.sqrt(np.mean(result.filtered**2)) < 0.01  # the filter removed the out-of-band tone
    assert np.sqrt(np.mean(result.naive**2)) > 0.3  # the naive version still carries it, as 2 kHz
    assert len(result.naive) == len(result.filtered) == SR


def test_in_band_tone_survives_both_ways():
    result = compare_sampling(tone(500, SR), SR, 8000)

    assert result.energy_above_nyquist < 0.01
    assert result.alias_to_signal_db < -10


def test_sampling_rate_out_of_range_is_refused():
    with pytest.raises(ValueError, match="between 1000 Hz"):
        compare_sampling(tone(500, SR), SR, 44100)


@pytest.mark.parametrize("bits", [4, 8, 12])
def test_quantisation_snr_follows_six_db_per_bit(bits):
    result = quantise(tone(440, SR, amplitude=0.999), bits)

    assert abs(result.snr_db - result.theoretical_snr_db) < 3.0  # the rule assumes uniform error
    assert len(np.unique(result.quantised)) <= 2**bits


def test_dither_decorrelates_error_at_low_bit_depth():
    quiet = tone(440, SR, amplitude=0.05)

    plain, dithered = quantise(quiet, 4), quantise(quiet, 4, dither=True)

    # Without dither the error is a copy of the signal (distortion); with dither it is noise.
    assert abs(np.corrcoef(plain.error, quiet)[0, 1]) > 0.5
    assert abs(np.corrcoef(dithered.error, quiet)[0, 1]) < 0.2


def test_low_pass_keeps_low_tone_and_removes_high_tone():
    mixture = tone(300, SR) + tone(5000, SR)

    result = design_and_apply(mixture, SR, "low-pass", 0, 1000, order=6)

    assert abs(dominant_frequency(result.filtered, SR) - 300) < 5
    assert abs(result.energy_kept - 0.5) < 0.05
    at_cutoff = result.response_db[np.argmin(np.abs(result.frequencies_hz - 1000))]
    assert abs(at_cutoff + 3) < 0.5  # Butterworth: -3 dB at the cut-off


def test_band_pass_needs_ordered_cutoffs():
    with pytest.raises(ValueError, match="0 < low < high"):
        design_and_apply(tone(300, SR), SR, "band-pass", 3000, 300)


def test_tabs_return_audio_plot_and_text_on_the_shipped_clip():
    naive, filtered, _, summary = sampling_tab(str(SPEECH_EN), 4000)
    quantised, _, q_summary = quantisation_tab(str(SPEECH_EN), 6, False)
    out, _, f_summary = filter_tab(str(SPEECH_EN), "high-pass", 1000, 3000, 4)

    assert naive[0] == filtered[0] == quantised[0] == out[0] == SR
    assert "Nyquist at 2000 Hz" in summary
    assert "6-bit quantisation: 64 levels" in q_summary
    assert "high-pass at 1000 Hz" in f_summary


class _Request:
    def __init__(self, cookies):
        self.cookies = cookies


@pytest.mark.django_db
def test_exercise_records_prediction_for_a_logged_in_learner(client, learner):
    TopicFactory(slug="sampling-nyquist")
    client.force_login(learner)
    request = _Request({"sessionid": client.cookies["sessionid"].value})
    alias = next(e for e in EXERCISES if e.id == "alias-6k-at-8k")

    wrong = exercise_check(alias, "6 kHz, unchanged", request)
    right = exercise_check(alias, "2 kHz", request)

    assert "You predicted “6 kHz, unchanged”; the run says “2 kHz”" in wrong
    assert "Your prediction was right" in right and "peak heard: **2000 Hz**" in right
    attempts = PredictionAttempt.objects.filter(user=learner).order_by("created_at")
    assert [a.correct for a in attempts] == [False, True]
    assert attempts[0].topic.slug == "sampling-nyquist"
    assert not InferenceJob.objects.exists()  # model-free DSP, declared in webapp/inprocess.py


@pytest.mark.django_db
def test_exercise_for_a_visitor_is_not_recorded():
    bits = next(e for e in EXERCISES if e.id == "bits-16-to-8")

    text = exercise_check(bits, "about 48 dB", _Request({}))

    assert "Your prediction was right" in text and "Log in to keep this" in text
    assert PredictionAttempt.objects.count() == 0
