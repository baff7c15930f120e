"""The keyword-spotting demo: training through the job system, float-vs-int8 tables, detection jobs
on the shipped samples, the live microphone loop, and both int8 exercises measured on a real model."""

from collections.abc import Iterator

import gradio as gr
import numpy as np
import pytest

from demos.common import exercise_check
from demos.keyword_spotting import build, detect, latest_training, live_step, train
from demos.keyword_spotting.analysis import (
    LiveState,
    comparison_rows,
    detection_summary,
    live_update,
    most_confused,
    to_mono_float,
)
from demos.keyword_spotting.exercises import ACCURACY_CHOICES, EXERCISES, SPEED_CHOICES
from demos.models import PredictionAttempt
from demos.samples import KWS_SAMPLE_WORDS, KWS_STOP_GO_NOISY, KWS_YES_NO_UP_DOWN, SPEECH_EN
from tests.workers.engines.kws_training import train_tiny
from workers.audio_io import load_audio
from workers.models import InferenceJob
from workers.promotion import model_version_promote

SR = 16000
# Smaller still than the engine tests' run (about 10 s): this one only has to go through the job system.
JOB_PARAMS = {"copies": 2, "test_per_word": 6, "batch_size": 8, "learning_rate": 0.005, "latency_runs": 20}
METRICS = {"float_accuracy": 0.9531, "int8_accuracy": 0.9375, "float_latency_ms": 0.64,
           "int8_latency_ms": 0.43, "float_bytes": 114299, "int8_bytes": 53033}  # fmt: skip


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Iterator:
    """One tiny model for the module, trained directly by the engine (the job path is tested below)."""
    root = tmp_path_factory.mktemp("models")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOUNDPATH_MODEL_DIR", str(root))
        result = train_tiny(root)
        model_version_promote(capability="keyword-spotting", version=result.version)  # staff's step
        yield result


def test_comparison_rows_show_percent_ms_and_kilobytes():
    assert comparison_rows(METRICS) == [["float32", 95.3, 0.64, 114.3], ["int8", 93.8, 0.43, 53.0]]


def test_most_confused_is_the_largest_off_diagonal_cell():
    labels = ["yes", "no", "_unknown_"]

    assert most_confused([[5, 0, 1], [0, 4, 3], [2, 0, 6]], labels) == ("no", "_unknown_", 3)
    assert most_confused([[5, 0], [0, 4]], labels[:2]) is None


def test_detection_summary_lists_each_detection_or_says_none():
    result = {"quantised": True, "version": "v1", "threshold": 0.6, "hop_seconds": 0.25,
              "window_starts": [0.0, 0.25, 0.5], "keywords": ["yes", "no"],
              "detections": [{"keyword": "yes", "time": 0.61, "score": 0.93}]}  # fmt: skip

    text = detection_summary(result, 1.5)

    assert "3 one-second windows, 0.25 s apart, over 1.5 s; int8 model version v1, threshold 0.60." in text
    assert "Detected 1: 'yes' at 0.61 s (0.93)." in text
    assert "No keyword reached the threshold (keywords: yes, no)." in detection_summary(
        {**result, "detections": []}, 1.5
    )


def test_live_update_logs_a_keyword_once_per_utterance():
    state = LiveState()
    answers = iter(
        [("yes", 0.9), ("yes", 0.95), ("_silence_", 0.8), ("yes", 0.5), ("no", 0.8)] + [("yes", 0.9)] * 4
    )
    chunk = np.zeros(4000, dtype=np.float32)  # 0.25 s

    for _ in range(9):
        live_update(state, chunk, lambda audio: next(answers), 0.7)

    assert len(state.buffer) == SR and state.seconds == 2.25
    # yes at 0.25 s; its second window is the same utterance; no at 1.25 s; yes again 1 s after the first
    assert state.log == [(0.25, "yes", 0.9), (1.25, "no", 0.8), (1.5, "yes", 0.9)]


def test_microphone_chunks_become_16_khz_mono_floats():
    stereo = np.full((4800, 2), 16384, dtype=np.int16)  # 0.1 s at 48 kHz

    audio = to_mono_float(48000, stereo)

    assert audio.dtype == np.float32 and len(audio) == 1600
    assert audio[800] == pytest.approx(0.5, abs=1e-3)


def test_latest_training_before_any_run_says_how_to_start(tmp_path, monkeypatch):
    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(tmp_path))

    curve, confusion, rows, summary = latest_training()

    assert (curve, confusion, rows) == (None, None, [])
    assert "No keyword model is trained yet: press Train" in summary


def test_training_runs_as_a_job_and_shows_curve_confusion_and_int8_table(
    db, learner, learner_request, inline_jobs, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(tmp_path))

    curve, confusion, rows, summary = train(
        "yes, no", 6, 20, request=learner_request, extra_params=JOB_PARAMS
    )

    job = InferenceJob.objects.get(owner=learner, origin="keyword-spotting")
    assert (job.capability, job.backend, job.status) == ("training", "kws-dscnn", "succeeded")
    assert job.params["keywords"] == ["yes", "no"] and job.params["epochs"] == 6
    metrics = job.result["metrics"]
    assert metrics["labels"] == ["yes", "no", "_unknown_", "_silence_"]
    assert metrics["float_accuracy"] >= 2 * metrics["chance_accuracy"]  # 6 short epochs, 4 classes
    assert (tmp_path / "keyword-spotting" / job.result["version"] / "model_int8.pt").exists()
    assert [row[0] for row in rows] == ["float32", "int8"]
    assert (
        rows[0][1] == round(100 * metrics["float_accuracy"], 1) and rows[1][2] == metrics["int8_latency_ms"]
    )
    assert len(curve.axes[0].lines[0].get_xdata()) == 6  # one loss point per epoch
    assert confusion.axes[0].images[0].get_array().shape == (4, 4)
    assert f"Version {job.result['version']}: 6 epochs" in summary
    assert "int8:" in summary and "points lost" in summary
    assert latest_training()[3] == summary  # the page shows the same run after a reload


def test_detect_finds_the_sample_keywords_at_their_times(
    model_dir, db, learner, learner_request, inline_jobs
):
    figure, rows, summary = detect(str(KWS_YES_NO_UP_DOWN), 0.6, "int8", request=learner_request)

    job = InferenceJob.objects.get(owner=learner, origin="keyword-spotting")
    assert (job.capability, job.backend, job.params) == (
        "keyword-spotting",
        "dscnn",
        {"threshold": 0.6, "quantised": True, "version": model_dir.version},  # the promoted version
    )
    spans = KWS_SAMPLE_WORDS[KWS_YES_NO_UP_DOWN.name]
    assert len(rows) >= 3
    for keyword, time, score in rows:
        assert keyword == next(w for w, start, end in spans if start - 0.35 <= time <= end + 0.35)
        assert score >= 0.6
    assert f"int8 model version {model_dir.version}" in summary and "Detected" in summary
    assert len(figure.axes) == 2
    assert len(figure.axes[1].lines) == 6 + 1  # one score line per keyword, and the threshold


def test_detect_with_float_on_speech_without_keywords_finds_none(model_dir, db, learner_request, inline_jobs):
    _, rows, summary = detect(str(SPEECH_EN), 0.6, "float32", request=learner_request)

    assert rows == []
    assert "float32 model" in summary and "No keyword reached the threshold" in summary


def test_visitors_cannot_train_detect_or_stream(db, visitor_request):
    with pytest.raises(gr.Error, match="Log in"):
        live_step(None, (48000, np.zeros(12000, dtype=np.int16)), 0.6, request=visitor_request)
    with pytest.raises(gr.Error, match="Log in"):
        detect(str(KWS_STOP_GO_NOISY), 0.6, "int8", request=visitor_request)
    with pytest.raises(gr.Error, match="Log in"):
        train("yes", 2, 20, request=visitor_request)


def test_live_microphone_hears_the_sample_words_in_order(model_dir, db, learner_request):
    audio = load_audio(KWS_YES_NO_UP_DOWN, target_sr=48000).samples
    pcm = (audio * 32767).astype(np.int16)  # what the browser sends: 48 kHz int16
    state, text = None, ""

    for start in range(0, len(pcm), 12000):  # 0.25 s chunks
        state, text = live_step(state, (48000, pcm[start : start + 12000]), 0.6, request=learner_request)

    heard = [keyword for _, keyword, _ in state.log]
    assert len(heard) >= 3 and heard == [
        w for w, _, _ in KWS_SAMPLE_WORDS[KWS_YES_NO_UP_DOWN.name] if w in heard
    ]
    assert f"**{heard[0]}**" in text and "Keywords heard:" in text


def test_accuracy_exercise_reads_the_newest_training(model_dir, db, learner, learner_request, inline_jobs):
    request = learner_request
    drop = model_dir.metrics["int8_accuracy_drop_points"]
    expected = ACCURACY_CHOICES[0] if drop > 2 else ACCURACY_CHOICES[1]

    text = exercise_check(EXERCISES[0], ACCURACY_CHOICES[0], request)

    assert f"accuracy lost by int8: **{drop:+.2f} points" in text
    assert f"int8 held-out accuracy: **{model_dir.metrics['int8_accuracy']:.1%}**" in text
    attempt = PredictionAttempt.objects.get(user=learner)
    assert attempt.correct is (expected == ACCURACY_CHOICES[0])
    assert attempt.exercise == "kws-int8-accuracy-cost"


def test_speed_exercise_times_both_models_now(model_dir, db, learner_request, inline_jobs):
    text = exercise_check(EXERCISES[1], SPEED_CHOICES[3], learner_request)

    ratio = float(text.split("speed-up: **")[1].split("×")[0])
    float_ms = float(text.split("float32, median of 200 runs: **")[1].split(" ms")[0])
    assert 0 < float_ms < 50
    expected = SPEED_CHOICES[0 if ratio < 0.9 else 1 if ratio <= 1.1 else 2 if ratio <= 2 else 3]
    assert ("✅" in text) is (expected == SPEED_CHOICES[3])


def test_visitors_cannot_run_an_experiment(model_dir, db, visitor_request):
    with pytest.raises(gr.Error, match="Log in"):
        exercise_check(EXERCISES[1], SPEED_CHOICES[3], visitor_request)


def test_build_returns_blocks():
    assert isinstance(build(), gr.Blocks)
