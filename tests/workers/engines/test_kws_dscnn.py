"""The DS-CNN keyword spotter: a tiny model trained here finds keywords said by a voice it never heard,
and stays quiet on noise, silence and speech without keywords."""

import shutil
from collections.abc import Iterator

import numpy as np
import pytest

from demos.samples import KWS_SAMPLE_WORDS, KWS_YES_NO_UP_DOWN, SPEECH_EN
from tests.workers.engines.conftest import espeak
from tests.workers.engines.kws_training import train_tiny
from workers.audio_io import load_audio
from workers.engines._kws_common import checkpoint_root
from workers.engines.base import EngineError, JobInputs
from workers.engines.capabilities import Detection
from workers.engines.kws_dscnn import SUPPRESSION_SECONDS, DsCnnKeywordSpotter, WindowScores, detections

SR = 16000
UNSEEN_VOICE = "en-gb-x-gbcwmd+m3"  # an accent absent from the training and held-out voices


@pytest.fixture(scope="module")
def spotter(tmp_path_factory) -> Iterator[DsCnnKeywordSpotter]:
    root = tmp_path_factory.mktemp("models")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOUNDPATH_MODEL_DIR", str(root))
        # The assertions below must hold for any model at the stated accuracy: the weights differ
        # between CPUs (see kws_training), so no test may depend on one particular model.
        assert train_tiny(root).metrics["float_accuracy"] >= 0.75
        engine = DsCnnKeywordSpotter()
        engine.ensure_loaded()
        yield engine


@pytest.fixture(scope="module")
def stop_clip(tmp_path_factory) -> tuple[np.ndarray, float]:
    """'stop' by the unseen voice between 0.6 s and 1 s of silence; returns (audio, word centre)."""
    word = espeak("stop", tmp_path_factory.mktemp("clip") / "stop.wav", voice=UNSEEN_VOICE, speed=150)
    loud = np.flatnonzero(np.abs(word) > 0.01 * np.abs(word).max())
    word = word[loud[0] : loud[-1] + 1]
    lead = np.zeros(int(0.6 * SR), dtype=np.float32)
    clip = np.concatenate([lead, word, np.zeros(SR, dtype=np.float32)])
    return clip, 0.6 + len(word) / SR / 2


def test_unavailable_until_trained(tmp_path, monkeypatch):
    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(tmp_path))

    availability = DsCnnKeywordSpotter.availability()

    assert not availability.available
    assert availability.reason == "not trained yet: run the training job"
    with pytest.raises(EngineError, match="not trained yet"):
        DsCnnKeywordSpotter().keywords()


def test_keywords_are_the_trained_words(spotter):
    assert DsCnnKeywordSpotter.availability().available
    assert spotter.keywords() == ("yes", "no", "up", "down", "stop", "go")


@pytest.mark.parametrize("quantised", [True, False])
def test_spots_a_keyword_said_by_an_unseen_voice(spotter, stop_clip, quantised):
    clip, centre = stop_clip

    found = spotter.spot(clip, quantised=quantised)

    assert [d.keyword for d in found] == ["stop"]
    assert abs(found[0].time - centre) < 0.3
    assert found[0].score >= 0.6


def test_sample_keywords_are_found_at_their_times(spotter):
    audio = load_audio(KWS_YES_NO_UP_DOWN, target_sr=SR).samples
    spans = KWS_SAMPLE_WORDS[KWS_YES_NO_UP_DOWN.name]

    found = spotter.spot(audio)

    assert len(found) >= 3  # of four words, by a voice the model never heard
    for detection in found:
        word = next(w for w, start, end in spans if start - 0.35 <= detection.time <= end + 0.35)
        assert detection.keyword == word


def test_no_detections_on_noise_silence_or_speech_without_keywords(spotter):
    rng = np.random.default_rng(1)
    white = (0.05 * rng.standard_normal(3 * SR)).astype(np.float32)
    silence = np.zeros(2 * SR, dtype=np.float32)
    speech = load_audio(SPEECH_EN, target_sr=SR).samples  # "Sound is a pressure wave…"

    for audio in (white, silence, speech):
        assert spotter.spot(audio) == ()
        assert spotter.spot(audio, quantised=False) == ()


def test_windows_hop_over_the_clip_and_end_with_it(spotter):
    audio = np.zeros(int(2.6 * SR), dtype=np.float32)

    windows = spotter.scores(audio, hop_seconds=0.5)

    assert windows.starts.tolist() == [0.0, 0.5, 1.0, 1.5, 1.6]  # the last window ends at 2.6 s
    assert windows.probabilities.shape == (5, 8)
    assert np.allclose(windows.probabilities.sum(axis=1), 1.0, atol=1e-4)
    assert spotter.scores(np.zeros(SR // 2, dtype=np.float32)).starts.tolist() == [0.0]  # padded to 1 s


def test_job_result_has_detections_and_every_window(spotter, stop_clip):
    clip, _ = stop_clip

    output = spotter.infer(JobInputs(audio={"audio": clip}, params={"quantised": "false", "threshold": 0.65}))

    data = output.data
    assert data["quantised"] is False and data["threshold"] == 0.65
    assert data["keywords"] == list(spotter.keywords())
    assert [d["keyword"] for d in data["detections"]] == ["stop"]
    assert len(data["probabilities"]) == len(data["window_starts"])
    assert len(data["probabilities"][0]) == len(data["labels"]) == 8
    assert data["version"] == spotter.model().version


def test_the_newest_version_is_used_without_reloading_the_engine(spotter):
    current = spotter.model().version
    newer = checkpoint_root() / "29990101-000000"
    shutil.copytree(checkpoint_root() / current, newer)
    try:
        assert spotter.model().version == "29990101-000000"
        assert spotter.model(current).version == current
    finally:
        shutil.rmtree(newer)


def test_bad_options_are_refused(spotter, stop_clip):
    clip, _ = stop_clip
    with pytest.raises(EngineError, match="threshold between 0 and 1"):
        spotter.spot(clip, threshold=1.5)
    with pytest.raises(EngineError, match="No trained keyword model 'nope'"):
        spotter.spot(clip, version="nope")
    with pytest.raises(EngineError, match="too short"):
        spotter.spot(np.zeros(10, dtype=np.float32))


def test_detections_group_runs_of_the_same_keyword():
    labels = ("yes", "no", "_unknown_", "_silence_")
    rows = [
        [0.1, 0.0, 0.0, 0.9],  # silence
        [0.7, 0.1, 0.1, 0.1],  # yes
        [0.9, 0.0, 0.1, 0.0],  # yes (best)
        [0.1, 0.8, 0.1, 0.0],  # no: a new group right after
        [0.5, 0.1, 0.4, 0.0],  # yes, but under the threshold
        [0.0, 0.0, 0.9, 0.1],  # unknown
        [0.0, 0.6, 0.4, 0.0],  # no, at the end
    ]
    windows = WindowScores(np.arange(7) * 0.5, labels, np.array(rows))  # centres 0.72 s+ apart

    found = detections(windows, 0.6)

    assert found == (
        Detection("yes", round((1.0 * 0.7 + 1.5 * 0.9) / 1.6, 3), 0.9),
        Detection("no", 2.0, 0.8),
        Detection("no", 3.5, 0.6),
    )


def test_a_word_fragment_beside_a_stronger_word_is_not_a_second_word():
    """The window starting inside "stop" hears "op" as "up" (measured with the tiny model on an AVX-512
    CPU); within SUPPRESSION_SECONDS of the stronger "stop" it is dropped, while a word further on stays."""
    labels = ("stop", "up", "_unknown_", "_silence_")
    rows = [
        [0.74, 0.09, 0.11, 0.06],  # 0.00: "stop" inside the window
        [0.86, 0.0, 0.07, 0.07],  # 0.25
        [0.87, 0.07, 0.0, 0.06],  # 0.50
        [0.12, 0.76, 0.07, 0.05],  # 0.75: the window starts inside "stop": "op" → "up"
        [0.0, 0.0, 0.04, 0.96],  # 1.00: silence
        [0.0, 0.65, 0.05, 0.3],  # 1.25: a real "up", a second after "stop"
    ]
    windows = WindowScores(np.arange(6) * 0.25, labels, np.array(rows))

    found = detections(windows, 0.6)

    assert SUPPRESSION_SECONDS == 0.6
    assert found == (
        Detection("stop", round((0.5 * 0.74 + 0.75 * 0.86 + 1.0 * 0.87) / (0.74 + 0.86 + 0.87), 3), 0.87),
        Detection("up", 1.75, 0.65),
    )
