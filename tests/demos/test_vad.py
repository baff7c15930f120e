"""The VAD demo: both engines as jobs on the shipped clip with pauses, instant re-segmentation,
agreement, playable segments, and the noise exercise measured with the real engines."""

import gradio as gr
import numpy as np
import pytest

from demos.common import exercise_check
from demos.models import PredictionAttempt
from demos.noise import add_white_noise
from demos.samples import SPEECH_PAUSES
from demos.vad import build, detect, play_segment, render
from demos.vad.analysis import (
    EngineScores,
    agreement_percent,
    resegment,
    segmentation,
    speech_seconds,
    webrtc_threshold,
)
from demos.vad.exercises import EXERCISES
from workers.engines.capabilities import Segment
from workers.engines.vad_webrtc import aggressiveness
from workers.models import InferenceJob

# The sample: 0.5 s silence, sentence (1.06 s), 1.5 s silence, sentence (2.48 s), 1.0 s silence,
# sentence (1.32 s), 0.5 s silence. True speech: 0.50-1.56, 3.06-5.54, 6.54-7.86 s.
TRUE_SPEECH = ((0.50, 1.56), (3.06, 5.54), (6.54, 7.86))

# Hand-made scores, 0.1 s frames: a long loud region, then a short one that only a low threshold keeps.
HAND = EngineScores("silero", 0.1, (0.1,) * 5 + (0.8,) * 10 + (0.1,) * 5 + (0.6,) * 3 + (0.1,) * 5)
HAND_DURATION = 2.8


def test_resegment_at_half_keeps_both_regions_padded_by_30_ms():
    assert resegment(HAND, 0.5, HAND_DURATION) == (Segment(0.47, 1.53), Segment(1.97, 2.33))


def test_resegment_at_a_stricter_threshold_drops_the_weaker_region():
    assert resegment(HAND, 0.7, HAND_DURATION) == (Segment(0.47, 1.53),)


def test_hysteresis_bridges_a_dip_that_stays_above_threshold_minus_0_15():
    dip = EngineScores("silero", 0.1, (0.9,) * 5 + (0.4,) * 5 + (0.9,) * 5 + (0.0,) * 5)
    deep = EngineScores("silero", 0.1, (0.9,) * 5 + (0.3,) * 5 + (0.9,) * 5 + (0.0,) * 5)

    assert resegment(dip, 0.5, 2.0) == (Segment(0.0, 1.53),)  # 0.4 > 0.35: still speech
    assert resegment(deep, 0.5, 2.0) == (Segment(0.0, 0.53), Segment(0.97, 1.53))


def test_webrtc_decisions_do_not_move_with_the_threshold():
    decisions = EngineScores("webrtc", 0.03, (0.0,) * 10 + (1.0,) * 20 + (0.0,) * 10)

    assert resegment(decisions, 0.1, 1.2) == resegment(decisions, 0.9, 1.2) == (Segment(0.27, 0.93),)


def test_webrtc_mode_maps_to_the_threshold_parameter_and_back():
    assert [aggressiveness(webrtc_threshold(m)) for m in range(4)] == [0, 1, 2, 3]
    with pytest.raises(ValueError):
        webrtc_threshold(4)


def test_agreement_is_one_minus_the_symmetric_difference():
    a = (Segment(0.0, 1.0),)
    b = (Segment(0.5, 1.5),)

    # Both speech 0.5-1.0, both silence 1.5-2.0: 1.0 s of 2.0 s.
    assert agreement_percent(a, b, 2.0) == pytest.approx(50.0)
    assert agreement_percent(a, a, 2.0) == 100.0
    assert agreement_percent((), (Segment(0.0, 2.0),), 2.0) == 0.0
    assert speech_seconds((Segment(0.0, 1.0), Segment(1.5, 1.75))) == 1.25


def test_white_noise_has_the_asked_snr():
    clean = np.sin(np.linspace(0, 200, 16000)).astype(np.float32) * 0.3

    noisy = add_white_noise(clean, 5.0)

    noise = noisy.astype(np.float64) - clean
    assert 10 * np.log10(np.mean(clean.astype(np.float64) ** 2) / np.mean(noise**2)) == pytest.approx(
        5.0, abs=1e-3
    )
    assert np.array_equal(noisy, add_white_noise(clean, 5.0))  # seeded: the same noise every run


@pytest.fixture
def detected(db, learner_request, inline_jobs):
    return detect(str(SPEECH_PAUSES), 0.5, 2, request=learner_request)


def test_detect_runs_both_engines_as_jobs_and_finds_the_three_sentences(detected, learner):
    run, figure, summary, rows, choices = detected

    jobs = InferenceJob.objects.filter(owner=learner, origin="vad").order_by("created_at")
    assert [(j.backend, j.status) for j in jobs] == [("silero", "succeeded"), ("webrtc", "succeeded")]
    assert jobs[1].params == {"threshold": 0.5}  # mode 2
    for backend in ("silero", "webrtc"):
        segments = segmentation(run, 0.5).segments[backend]
        job = jobs[0] if backend == "silero" else jobs[1]
        assert [(s.start, s.end) for s in segments] == [
            (s["start"], s["end"]) for s in job.result["segments"]
        ]
        assert len(segments) == 3
        for found, (start, end) in zip(segments, TRUE_SPEECH, strict=True):
            assert abs(found.start - start) < 0.15 and abs(found.end - end) < 0.2
    assert "Silero (threshold 0.50): 3 segments" in summary
    assert "WebRTC (mode 2, hard decisions): 3 segments" in summary
    assert "They agree on 9" in summary  # above 90%: the pauses are digital silence
    assert [r[:2] for r in rows] == [
        ["Silero", 1],
        ["Silero", 2],
        ["Silero", 3],
        ["WebRTC", 1],
        ["WebRTC", 2],
        ["WebRTC", 3],
    ]
    assert choices[0][1] == "silero:0" and choices[0][0].startswith("Silero #1: 0.4")
    assert len(figure.axes) == 2


def test_moving_the_threshold_re_segments_without_a_new_job(detected, learner):
    run = detected[0]

    _, summary, _, _ = render(run, 0.95)

    assert InferenceJob.objects.filter(owner=learner).count() == 2
    assert "threshold 0.95" in summary
    low = segmentation(run, 0.05).segments["silero"]
    high = segmentation(run, 0.95).segments["silero"]
    assert speech_seconds(low) > speech_seconds(high)  # a lower threshold keeps more of each edge


def test_a_segment_plays_its_own_stretch_of_the_clip(detected):
    run = detected[0]

    (sr, clip), description = play_segment(run, 0.5, "silero:1")

    segment = segmentation(run, 0.5).segments["silero"][1]
    assert sr == 16000 and len(clip) == int(segment.end * sr) - int(segment.start * sr)
    assert np.sqrt(np.mean(clip**2)) > 0.05  # speech, not the silence around it
    assert description.startswith("Silero segment 2: 3.0")


def test_visitors_cannot_run_the_engines(db, visitor_request):
    with pytest.raises(gr.Error, match="Log in"):
        detect(str(SPEECH_PAUSES), 0.5, 2, request=visitor_request)


def test_noise_exercise_measures_webrtc_calling_noise_speech(db, learner, learner_request, inline_jobs):
    text = exercise_check(EXERCISES[0], "It goes down", learner_request)

    assert "the run says “It goes up”" in text
    assert "WebRTC speech, white noise at 0 dB: **100.0%**" in text
    assert PredictionAttempt.objects.get(user=learner).correct is False


def test_build_returns_blocks():
    assert isinstance(build(), gr.Blocks)
