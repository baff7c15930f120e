"""Trains the DS-CNN keyword spotter on espeak-ng-synthesised words, then quantises it to int8."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace

import numpy as np

from workers.engines._kws_common import (
    SILENCE,
    UNKNOWN,
    FeatureConfig,
    ModelConfig,
    build_model,
    checkpoint_root,
    convert_int8,
    log_mel,
    median_latency_ms,
    new_version_dir,
    prepare_int8,
    probabilities,
    save_checkpoint,
    saved_config,
    state_bytes,
)
from workers.engines._kws_data import (
    DEFAULT_KEYWORDS,
    HELD_OUT_VOICES,
    TRAIN_VOICES,
    check_espeak,
    make_clips,
    synthesise,
)
from workers.engines.base import Availability, EngineError, ModelCard, ProgressFn, check_imports, no_progress
from workers.engines.capabilities import ModelTrainer, TrainingResult

QUANTISATION = (
    "PyTorch eager-mode static int8 (torch.ao.quantization: conv+BN+ReLU fused, per-channel weights, "
)
CALIBRATION_CLIPS = 256  # training clips whose activations set the int8 ranges
WORD = re.compile(r"^[a-z][a-z' -]{0,19}$")


@dataclass(frozen=True)
class TrainingParams:
    """Defaults train in about two minutes on a 2-core CPU; tests pass smaller numbers."""

    keywords: tuple[str, ...] = DEFAULT_KEYWORDS
    epochs: int = 10
    per_word: int = 60  # training recordings per keyword (and of unknown words)
    copies: int = 3  # fresh augmentations of each recording per epoch
    test_per_word: int = 20  # held-out recordings per class (other voices, speeds, pitches, noise)
    channels: int = 64
    batch_size: int = 32
    learning_rate: float = 3e-3
    seed: int = 0
    latency_runs: int = 200

    @classmethod
    def from_params(cls, params: dict) -> TrainingParams:
        unknown = set(params) - set(cls.__dataclass_fields__)
        if unknown:
            raise EngineError(f"Unknown training parameter(s): {', '.join(sorted(unknown))}.")
        values = {k: v for k, v in params.items() if k != "keywords"}
        keywords = params.get("keywords", DEFAULT_KEYWORDS)
        if isinstance(keywords, str):
            keywords = keywords.split(",")
        words = tuple(dict.fromkeys(str(w).strip().lower() for w in keywords if str(w).strip()))
        if not 1 <= len(words) <= 10 or not all(WORD.match(w) for w in words):
            raise EngineError("Give 1 to 10 keywords, each a word of letters (at most 20 characters).")
        made = cls(keywords=words, **{k: type(getattr(cls(), k))(v) for k, v in values.items()})
        if not (1 <= made.epochs <= 100 and 4 <= made.per_word <= 1000 and 1 <= made.copies <= 20):
            raise EngineError("Choose 1-100 epochs, 4-1000 recordings per word and 1-20 copies.")
        if not (2 <= made.test_per_word <= 500 and 8 <= made.channels <= 256 and made.latency_runs >= 10):
            raise EngineError("Choose 2-500 held-out recordings per word, 8-256 channels, 10+ latency runs.")
        return made


class DsCnnKeywordTrainer(ModelTrainer):
    backend = "kws-dscnn"
    uses_torch = True
    card = ModelCard(
        engine="DS-CNN keyword spotter trainer (espeak-ng-synthesised words, int8 quantisation)",
        package="torch 2.13.0 (training, torch.ao.quantization int8) + espeak-ng 1.51 (Debian) + librosa 0.11.0 "
        "(mel filterbank)",
        weights="$SOUNDPATH_MODEL_DIR/keyword-spotting/<version>/model_float.pt and model_int8.pt (made here)",
        weights_bytes=None,  # made by training: 113,459 B float + 53,557 B int8 with the defaults
        licence="model trained here on audio synthesised by espeak-ng (GPL-3.0-or-later program; its output "
        "is not restricted); code AGPL-3.0-or-later",
        training_data="keywords and other words spoken by 65 espeak-ng voices (5 English accents × 13 "
        "variants) at 120-200 words/min and pitches 30-70, in 1 s clips with white/pink/brown noise "
        "(5-30 dB SNR), random gain and time shift; held out: 2 other accents × 4 variants, other speeds",
        limits="Synthetic formant voices only: expect lower accuracy on real speakers and rooms. A tiny "
        "closed-vocabulary classifier: words outside its list are '_unknown_' at best.",
        paper="https://arxiv.org/abs/1711.07128",
    )

    @classmethod
    def availability(cls) -> Availability:
        import shutil

        imports = check_imports("torch", "librosa", "soundfile")
        if not imports.available:
            return imports
        if shutil.which("espeak-ng") is None:
            return Availability(False, "espeak-ng is not installed (it speaks the training words)")
        return Availability(True, f"checkpoints go to {checkpoint_root()}")

    def train(self, *, params: dict, progress: ProgressFn = no_progress) -> TrainingResult:
        """Synthesise, train for `epochs` with held-out accuracy after each, quantise, time, save."""
        import torch

        p = TrainingParams.from_params(params)
        check_espeak()
        threads = torch.get_num_threads()
        # One thread: these small convolutions gain little from two, and on a shared worker OpenMP
        # threads competing for the same cores made each batch ~8× slower (measured here).
        torch.set_num_threads(1)
        try:
            return self._train(p, progress)
        finally:
            torch.set_num_threads(threads)

    def _train(self, p: TrainingParams, progress: ProgressFn) -> TrainingResult:
        import torch

        started = time.perf_counter()
        rng = np.random.default_rng(p.seed)
        torch.manual_seed(p.seed)
        labels = [*p.keywords, UNKNOWN, SILENCE]
        progress(0.0, f"synthesising {p.per_word} recordings of each of {len(labels) - 1} words")
        train_words = synthesise(p.keywords, TRAIN_VOICES, p.per_word, rng)
        progress(0.1, "synthesising the held-out set (other voices, speeds and pitches)")
        held_rng = np.random.default_rng(p.seed + 10_000)  # other noise and shifts too
        held = synthesise(p.keywords, HELD_OUT_VOICES, p.test_per_word, held_rng)
        test_clips, test_y = make_clips(held, 1, len(labels) - 1, held_rng, (5.0, 25.0))
        features = _normalisation(make_clips(train_words, 1, len(labels) - 1, rng, (5.0, 30.0))[0])
        test_x = log_mel(test_clips, features)
        config = ModelConfig(labels=len(labels), channels=p.channels)
        model, curves = self._fit(p, config, features, train_words, (test_x, test_y), rng, progress)
        progress(0.92, "quantising to int8 and timing both models")
        report = _compare_float_int8(model, config, features, train_words, (test_x, test_y), p, rng)
        metrics = _metrics(p, labels, curves, report, len(test_y), time.perf_counter() - started)
        version, folder = new_version_dir()
        saved = saved_config(labels=labels, features=features, model=config, metrics=metrics)
        curves = {**curves, "labels": labels, "metrics": metrics}
        save_checkpoint(
            folder, float_model=model, int8_model=report["int8_model"], saved=saved, curves=curves
        )
        progress(1.0, f"saved version {version}")
        return TrainingResult(version, str(folder), tuple(curves["train_loss"]), metrics)

    def _fit(self, p: TrainingParams, config, features, words, test, rng, progress):
        """AdamW with a one-cycle schedule; each epoch re-augments every recording (new noise and shifts)."""
        import torch

        model = build_model(config).to(self.device)
        optimiser = torch.optim.AdamW(model.parameters(), lr=p.learning_rate, weight_decay=1e-3)
        batches = -(-(len(words.audio) * p.copies + p.copies * p.per_word * 3 // 2) // p.batch_size)
        schedule = torch.optim.lr_scheduler.OneCycleLR(
            optimiser, p.learning_rate, total_steps=p.epochs * batches
        )
        curves: dict[str, list] = {"train_loss": [], "held_out_accuracy": [], "epoch_seconds": []}
        for epoch in range(1, p.epochs + 1):
            began = time.perf_counter()
            clips, y = make_clips(words, p.copies, config.labels - 1, rng, (5.0, 30.0))
            x, order = log_mel(clips, features), rng.permutation(len(y))
            model.train()
            total = 0.0
            for b, start in enumerate(range(0, len(y), p.batch_size)):
                idx = order[start : start + p.batch_size]
                xb, yb = torch.from_numpy(x[idx]).to(self.device), torch.from_numpy(y[idx]).to(self.device)
                loss = torch.nn.functional.cross_entropy(model(xb), yb, label_smoothing=0.05)
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
                total += loss.item() * len(idx)
                fraction = 0.15 + 0.75 * ((epoch - 1) + (b + 1) / batches) / p.epochs
                progress(fraction, f"epoch {epoch}/{p.epochs}: training on {len(y)} clips")
            model.eval()
            accuracy = _accuracy(model.cpu(), *test)
            model.to(self.device)
            curves["train_loss"].append(round(total / len(y), 4))
            curves["held_out_accuracy"].append(round(accuracy, 4))
            curves["epoch_seconds"].append(round(time.perf_counter() - began, 2))
            progress(0.15 + 0.75 * epoch / p.epochs,
                     f"epoch {epoch}/{p.epochs}: loss {total / len(y):.3f}, held-out accuracy {accuracy:.1%}")  # fmt: skip
        return model.cpu().eval(), curves


def _normalisation(clips: np.ndarray) -> FeatureConfig:
    """Global mean and standard deviation of the training log-mels, kept in the checkpoint."""
    raw = log_mel(clips, FeatureConfig())
    return replace(FeatureConfig(), mean=round(float(raw.mean()), 4), std=round(float(raw.std()), 4))


def _predict(model, x: np.ndarray) -> np.ndarray:
    return probabilities(model, x).argmax(axis=1)


def _accuracy(model, x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(_predict(model, x) == y))


def _confusion(predicted: np.ndarray, y: np.ndarray, n: int) -> list[list[int]]:
    """Rows: true label; columns: predicted label."""
    matrix = np.zeros((n, n), dtype=int)
    np.add.at(matrix, (y, predicted), 1)
    return matrix.tolist()


def _compare_float_int8(model, config, features, words, test, p: TrainingParams, rng) -> dict:
    """Calibrate and convert an int8 copy, then held-out accuracy and CPU latency of both."""
    import copy

    calibration = log_mel(make_clips(words, 1, config.labels - 1, rng, (5.0, 30.0))[0], features)
    prepared = prepare_int8(copy.deepcopy(model), config)
    probabilities(prepared, calibration[rng.permutation(len(calibration))[:CALIBRATION_CLIPS]])
    int8 = convert_int8(prepared)
    x, y = test
    float_pred, int8_pred = _predict(model, x), _predict(int8, x)
    return {
        "int8_model": int8,
        "float_accuracy": float(np.mean(float_pred == y)),
        "int8_accuracy": float(np.mean(int8_pred == y)),
        "confusion_float": _confusion(float_pred, y, config.labels),
        "confusion_int8": _confusion(int8_pred, y, config.labels),
        "float_latency_ms": median_latency_ms(model, x, p.latency_runs),
        "int8_latency_ms": median_latency_ms(int8, x, p.latency_runs),
        "float_bytes": state_bytes(model),
        "int8_bytes": state_bytes(int8),
        "parameters": int(sum(t.numel() for t in model.parameters())),
        "agreement": float(np.mean(float_pred == int8_pred)),
    }


def _metrics(p: TrainingParams, labels, curves, report, test_clips: int, seconds: float) -> dict:
    from workers.engines._kws_common import quantised_engine

    drop = (report["float_accuracy"] - report["int8_accuracy"]) * 100
    return {
        "keywords": list(p.keywords),
        "labels": labels,
        "chance_accuracy": round(1 / len(labels), 4),
        "float_accuracy": round(report["float_accuracy"], 4),
        "int8_accuracy": round(report["int8_accuracy"], 4),
        "int8_accuracy_drop_points": round(drop, 2),
        "float_int8_agreement": round(report["agreement"], 4),
        "float_latency_ms": report["float_latency_ms"],
        "int8_latency_ms": report["int8_latency_ms"],
        "latency_runs": p.latency_runs,
        "latency_setting": "median of single-clip forward passes (49×40 log-mel in, features excluded), "
        "1 CPU thread",
        "quantisation": f"{QUANTISATION}{quantised_engine()} kernels), calibrated on {CALIBRATION_CLIPS} "
        "training clips",
        "parameters": report["parameters"],
        "float_bytes": report["float_bytes"],
        "int8_bytes": report["int8_bytes"],
        "epochs": p.epochs,
        "train_clips_per_epoch": (len(labels) - 1) * p.per_word * p.copies + p.per_word * p.copies * 3 // 2,
        "test_clips": test_clips,
        "final_train_loss": curves["train_loss"][-1],
        "held_out_accuracy_per_epoch": curves["held_out_accuracy"],
        "confusion_float": report["confusion_float"],  # rows: true label, columns: predicted
        "confusion_int8": report["confusion_int8"],
        "seconds": round(seconds, 1),
        "seed": p.seed,
    }
