"""The DS-CNN keyword trainer: a small real run on espeak-ng words, held-out accuracy, int8, latency, checkpoint."""

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.workers.engines.kws_training import TINY_PARAMS, train_tiny
from workers.engines._kws_common import (
    CONFIG_FILE,
    CURVES_FILE,
    FLOAT_WEIGHTS,
    INT8_WEIGHTS,
    FeatureConfig,
    log_mel,
    versions,
)
from workers.engines._kws_data import HELD_OUT_VOICES, SAMPLE_VOICES, TRAIN_VOICES, coloured_noise, fragment
from workers.engines.base import EngineError
from workers.engines.train_kws import DsCnnKeywordTrainer, TrainingParams


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Iterator[tuple]:
    root = tmp_path_factory.mktemp("models")
    messages: list[tuple[float, str]] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOUNDPATH_MODEL_DIR", str(root))
        result = train_tiny(root, progress=lambda f, m: messages.append((f, m)))
        yield result, messages, root


def test_trainer_is_available_with_espeak_and_torch():
    assert DsCnnKeywordTrainer.availability().available


def test_training_beats_chance_by_a_wide_margin_on_held_out_voices(trained):
    result, _, _ = trained
    m = result.metrics

    assert m["labels"] == ["yes", "no", "up", "down", "stop", "go", "_unknown_", "_silence_"]
    assert m["chance_accuracy"] == 0.125
    assert m["float_accuracy"] >= 3 * m["chance_accuracy"]
    assert m["int8_accuracy"] >= 3 * m["chance_accuracy"]
    per_class = TINY_PARAMS["test_per_word"]
    assert m["test_clips"] == 8 * per_class + per_class // 2  # plus keyword fragments labelled unknown
    confusion = np.array(m["confusion_float"])
    assert confusion.sum() == m["test_clips"]  # every held-out clip counted once
    assert np.trace(confusion) / confusion.sum() == pytest.approx(m["float_accuracy"], abs=1e-4)


def test_int8_model_is_smaller_and_close_to_float(trained):
    m = trained[0].metrics

    assert abs(m["int8_accuracy_drop_points"]) <= 10.0
    assert m["float_int8_agreement"] >= 0.85
    assert m["int8_bytes"] < 0.6 * m["float_bytes"]
    assert 5_000 < m["parameters"] < 30_000
    assert "torch.ao.quantization" in m["quantisation"]


def test_latency_figures_are_medians_in_milliseconds(trained):
    m = trained[0].metrics

    assert m["latency_runs"] == TINY_PARAMS["latency_runs"]
    assert 0 < m["float_latency_ms"] < 50 and 0 < m["int8_latency_ms"] < 50


def test_learning_curve_has_one_point_per_epoch_and_the_loss_falls(trained):
    result, messages, _ = trained
    accuracy = result.metrics["held_out_accuracy_per_epoch"]

    assert len(result.losses) == len(accuracy) == TINY_PARAMS["epochs"]
    assert result.losses[-1] < result.losses[0] - 0.5
    assert accuracy[-1] > accuracy[0]
    fractions = [f for f, _ in messages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert f"epoch {TINY_PARAMS['epochs']}/{TINY_PARAMS['epochs']}: loss" in " ".join(m for _, m in messages)


def test_checkpoint_is_a_complete_version_folder(trained):
    result, _, root = trained
    folder = Path(result.checkpoint_dir)

    assert folder.parent == root / "keyword-spotting" and folder.name == result.version
    assert {p.name for p in folder.iterdir()} == {FLOAT_WEIGHTS, INT8_WEIGHTS, CONFIG_FILE, CURVES_FILE}
    saved = json.loads((folder / CONFIG_FILE).read_text())
    assert saved["labels"][-2:] == ["_unknown_", "_silence_"]
    assert saved["features"]["frames"] == 49 and saved["features"]["n_mels"] == 40
    assert saved["features"]["std"] > 0
    curves = json.loads((folder / CURVES_FILE).read_text())
    assert curves["train_loss"] == list(result.losses)
    assert versions(root / "keyword-spotting") == [result.version]


def test_features_are_49_frames_of_40_log_mels():
    tone = np.sin(2 * np.pi * 1000 * np.arange(16000) / 16000).astype(np.float32)

    features = log_mel(np.stack([tone, tone * 0.1]), FeatureConfig())

    assert features.shape == (2, 49, 40)
    peak_band = features[0].mean(axis=0).argmax()
    assert features[0, :, peak_band].mean() - features[1, :, peak_band].mean() == pytest.approx(
        np.log(100), abs=0.01
    )  # 20 dB quieter is log(100) lower in log power


def test_held_out_and_sample_voices_never_appear_in_training():
    assert not set(HELD_OUT_VOICES.accents) & set(TRAIN_VOICES.accents)
    assert not {v.split("+")[0] for v in SAMPLE_VOICES} & set(TRAIN_VOICES.accents + HELD_OUT_VOICES.accents)
    assert not set(HELD_OUT_VOICES.speeds) & set(TRAIN_VOICES.speeds)
    assert not set(HELD_OUT_VOICES.unknown_words) - {"yellow"} & set(TRAIN_VOICES.unknown_words)


def test_noise_colours_have_unit_power_and_the_right_slope():
    rng = np.random.default_rng(0)
    for colour in ("white", "pink", "brown"):
        assert np.mean(coloured_noise(16000, rng, colour) ** 2) == pytest.approx(1.0, rel=1e-3)
    spectrum = np.abs(np.fft.rfft(coloured_noise(1 << 16, rng, "pink"))) ** 2
    low, high = spectrum[100:200].mean(), spectrum[1000:2000].mean()
    assert 10 * np.log10(low / high) == pytest.approx(10.0, abs=1.5)  # 1/f: 10 dB per decade


def test_fragments_are_a_head_or_tail_under_half_the_word():
    word = np.arange(1000, dtype=np.float32)
    for seed in range(10):
        part = fragment(word, np.random.default_rng(seed))
        assert 200 <= len(part) <= 450
        assert part[0] == 0 or part[-1] == 999


def test_bad_training_params_are_refused_before_any_work():
    with pytest.raises(EngineError, match="Unknown training parameter"):
        TrainingParams.from_params({"epoch": 3})
    with pytest.raises(EngineError, match="1 to 10 keywords"):
        TrainingParams.from_params({"keywords": ["yes", "no!"]})
    with pytest.raises(EngineError, match="1-100 epochs"):
        TrainingParams.from_params({"epochs": 0})
    assert TrainingParams.from_params({"keywords": "On, off ,on", "epochs": "3"}).keywords == ("on", "off")
