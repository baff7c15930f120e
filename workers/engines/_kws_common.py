"""Keyword spotting shared by the DS-CNN trainer and spotter: log-mel features, the model, int8, checkpoints."""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from workers.engines._signal_common import model_root
from workers.engines.base import EngineError

CAPABILITY_DIR = "keyword-spotting"  # $SOUNDPATH_MODEL_DIR/keyword-spotting/<version>/
FLOAT_WEIGHTS = "model_float.pt"
INT8_WEIGHTS = "model_int8.pt"
CONFIG_FILE = "config.json"  # labels, feature and model configuration, metrics
CURVES_FILE = "training.json"  # loss and held-out accuracy per epoch, confusion matrices
UNKNOWN, SILENCE = "_unknown_", "_silence_"  # the two non-keyword classes, as in Speech Commands

SAMPLE_RATE = 16000
CLIP_SAMPLES = SAMPLE_RATE  # every example is exactly 1 s
WINDOW = 640  # 40 ms analysis window (Hello Edge's setting)
HOP = 320  # 20 ms stride
N_FFT = 1024  # next power of two above the window
N_MELS = 40
FRAMES = 1 + (CLIP_SAMPLES - WINDOW) // HOP  # 49 frames in a 1 s clip


@dataclass(frozen=True)
class FeatureConfig:
    """How a 1 s clip becomes a (frames, mels) log-mel image; mean/std come from the training set."""

    sample_rate: int = SAMPLE_RATE
    window: int = WINDOW
    hop: int = HOP
    n_fft: int = N_FFT
    n_mels: int = N_MELS
    fmin: float = 20.0
    fmax: float = 7600.0
    frames: int = FRAMES
    mean: float = 0.0
    std: float = 1.0


@dataclass(frozen=True)
class ModelConfig:
    labels: int
    channels: int = 64  # DS-CNN-S width in Hello Edge
    blocks: int = 4  # depthwise-separable blocks after the first full convolution


@lru_cache(maxsize=4)
def _mel_filters(sample_rate: int, n_fft: int, n_mels: int, fmin: float, fmax: float) -> np.ndarray:
    import librosa

    return librosa.filters.mel(sr=sample_rate, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax).T


def log_mel(clips: np.ndarray, config: FeatureConfig) -> np.ndarray:
    """(n, 16000) float32 clips → (n, 49, 40) normalised log-mel energies (numpy FFT, no numba)."""
    clips = np.atleast_2d(np.asarray(clips, dtype=np.float32))
    frames = np.lib.stride_tricks.sliding_window_view(clips, config.window, axis=1)[:, :: config.hop]
    spectrum = np.fft.rfft(frames * np.hanning(config.window).astype(np.float32), n=config.n_fft)
    power = (spectrum.real**2 + spectrum.imag**2).astype(np.float32)
    mel = power @ _mel_filters(config.sample_rate, config.n_fft, config.n_mels, config.fmin, config.fmax)
    return ((np.log(mel + 1e-6) - config.mean) / config.std).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# The model: Hello Edge's DS-CNN (arXiv:1711.07128), with quant/dequant stubs for eager int8


def build_model(config: ModelConfig):
    """Conv(10×4, stride 2) → `blocks` × [depthwise 3×3 → pointwise 1×1] → average pool → linear."""
    import torch
    from torch import nn
    from torch.ao.quantization import DeQuantStub, QuantStub

    def conv_bn_relu(cin: int, cout: int, kernel, stride=1, groups=1, padding=0) -> nn.Sequential:
        conv = nn.Conv2d(cin, cout, kernel, stride, padding, groups=groups, bias=False)
        return nn.Sequential(conv, nn.BatchNorm2d(cout), nn.ReLU())

    class DsCnn(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            c = config.channels
            self.quant, self.dequant = QuantStub(), DeQuantStub()
            self.stem = conv_bn_relu(1, c, (10, 4), stride=2, padding=(5, 1))
            self.blocks = nn.Sequential(
                *(
                    nn.Sequential(conv_bn_relu(c, c, 3, groups=c, padding=1), conv_bn_relu(c, c, 1))
                    for _ in range(config.blocks)
                )
            )
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.head = nn.Linear(c, config.labels)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            """(batch, frames, mels) float → (batch, labels) logits."""
            x = self.blocks(self.stem(self.quant(x.unsqueeze(1))))
            return self.dequant(self.head(self.pool(x).flatten(1)))

    return DsCnn()


def _fusion_groups(config: ModelConfig) -> list[list[str]]:
    groups = [["stem.0", "stem.1", "stem.2"]]
    for b in range(config.blocks):
        groups += [[f"blocks.{b}.{i}.0", f"blocks.{b}.{i}.1", f"blocks.{b}.{i}.2"] for i in (0, 1)]
    return groups


def quantised_engine() -> str:
    """The int8 kernel library on this CPU: x86 (FBGEMM + oneDNN) on Intel/AMD, QNNPACK on Arm."""
    import torch

    supported = torch.backends.quantized.supported_engines
    return "x86" if "x86" in supported else "qnnpack"


@contextmanager
def _quantisation_quiet() -> Iterator[None]:
    """torch 2.13 warns that torch.ao.quantization and quantized tensors will move to torchao; eager
    static quantisation still works here, so the warnings only clutter the job log."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*reduce_range.*")
        warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*")
        warnings.filterwarnings("ignore", message=".*must run observer before.*")
        warnings.filterwarnings("ignore", message=".*TypedStorage is deprecated.*")  # loading int8 tensors
        yield


def prepare_int8(model, config: ModelConfig):
    """Fuse conv+BN+ReLU and insert observers (eager-mode static quantisation); the model is changed."""
    import torch
    from torch.ao import quantization as tq

    engine = quantised_engine()
    torch.backends.quantized.engine = engine
    model.eval()
    with _quantisation_quiet():
        model = tq.fuse_modules(model, _fusion_groups(config))
        model.qconfig = tq.get_default_qconfig(engine)
        return tq.prepare(model)


def convert_int8(prepared):
    from torch.ao import quantization as tq

    with _quantisation_quiet():
        return tq.convert(prepared)


# ---------------------------------------------------------------------------------------------
# Checkpoints: $SOUNDPATH_MODEL_DIR/keyword-spotting/<UTC version>/


def checkpoint_root() -> Path:
    return model_root() / CAPABILITY_DIR


def versions(root: Path | None = None) -> list[str]:
    """Complete versions, oldest first (names are UTC timestamps; half-written folders start with '.')."""
    root = root or checkpoint_root()
    if not root.is_dir():
        return []
    return sorted(p.parent.name for p in root.glob(f"[!.]*/{CONFIG_FILE}"))


def new_version_dir(root: Path | None = None) -> tuple[str, Path]:
    root = root or checkpoint_root()
    version = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    candidate, n = version, 1
    while (root / candidate).exists():
        n += 1
        candidate = f"{version}-{n}"
    return candidate, root / candidate


@dataclass
class LoadedModel:
    version: str
    quantised: bool
    labels: tuple[str, ...]
    features: FeatureConfig
    model: object  # torch.nn.Module in eval mode, on the CPU
    metrics: dict


def load_checkpoint(version: str | None = None, *, quantised: bool = True) -> LoadedModel:
    """The newest trained version (or `version`), float or int8, ready for CPU inference."""
    import torch

    available = versions()
    if not available:
        raise EngineError("not trained yet: run the training job")
    version = version or available[-1]
    if version not in available:
        raise EngineError(f"No trained keyword model '{version}'. Trained versions: {', '.join(available)}.")
    folder = checkpoint_root() / version
    saved = json.loads((folder / CONFIG_FILE).read_text())
    config = ModelConfig(**saved["model"])
    model = build_model(config)
    if quantised:
        model = convert_int8(prepare_int8(model, config))  # the int8 structure; weights loaded below
    with _quantisation_quiet():
        state = torch.load(folder / (INT8_WEIGHTS if quantised else FLOAT_WEIGHTS), weights_only=True)
        model.load_state_dict(state)
    model.eval()
    labels = tuple(saved["labels"])
    return LoadedModel(
        version, quantised, labels, FeatureConfig(**saved["features"]), model, saved.get("metrics", {})
    )


def save_checkpoint(folder: Path, *, float_model, int8_model, saved: dict, curves: dict) -> None:
    """Write into a hidden folder, then rename: a spotter never sees half a version."""
    import torch

    hidden = folder.parent / f".{folder.name}.partial"
    hidden.mkdir(parents=True)
    torch.save({k: v.cpu() for k, v in float_model.state_dict().items()}, hidden / FLOAT_WEIGHTS)
    torch.save(int8_model.state_dict(), hidden / INT8_WEIGHTS)
    (hidden / CURVES_FILE).write_text(json.dumps(curves, indent=1))
    (hidden / CONFIG_FILE).write_text(json.dumps(saved, indent=1))
    hidden.rename(folder)


def saved_config(*, labels: list[str], features: FeatureConfig, model: ModelConfig, metrics: dict) -> dict:
    return {"labels": labels, "features": asdict(features), "model": asdict(model), "metrics": metrics}


def latest_curves() -> dict | None:
    """The newest version's training.json (what the demo plots), or None before any training."""
    found = versions()
    if not found:
        return None
    return json.loads((checkpoint_root() / found[-1] / CURVES_FILE).read_text())


# ---------------------------------------------------------------------------------------------
# Inference helpers


def probabilities(model, features: np.ndarray, batch: int = 256) -> np.ndarray:
    """(n, frames, mels) → (n, labels) softmax probabilities, on the CPU."""
    import torch

    out = []
    with torch.inference_mode():
        for start in range(0, len(features), batch):
            logits = model(torch.from_numpy(features[start : start + batch]))
            out.append(torch.softmax(logits, dim=1).numpy())
    return np.concatenate(out) if out else np.zeros((0, 0), dtype=np.float32)


def median_latency_ms(model, features: np.ndarray, runs: int = 200, warmup: int = 20) -> float:
    """Median wall time of one single-clip forward pass, on one CPU thread (an embedded-like setting)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    x = torch.from_numpy(np.ascontiguousarray(features[:1]))
    timings = []
    try:
        with torch.inference_mode():
            for i in range(warmup + runs):
                started = time.perf_counter()
                model(x)
                if i >= warmup:
                    timings.append(time.perf_counter() - started)
    finally:
        torch.set_num_threads(threads)
    return round(float(np.median(timings)) * 1000, 4)


def state_bytes(model) -> int:
    """Size of the model's state_dict as torch.save writes it."""
    import io

    import torch

    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes
