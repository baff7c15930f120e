"""What every engine shares: its model card, availability, lazy loading, and the job entry point."""

from __future__ import annotations

import os
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from webapp.env import env  # the one reader of settings (no Django setup)

ProgressFn = Callable[[float, str], None]  # (fraction 0..1, message)


def no_progress(fraction: float, message: str) -> None:
    """The progress callback used when nobody is watching."""


@dataclass(frozen=True)
class ModelCard:
    """What a learner sees beside a demo, and what `manage.py engines` prints."""

    engine: str  # human name, e.g. "Whisper tiny.en (CTranslate2)"
    package: str  # pip package(s) and version(s) that carry code and weights
    weights: str  # weights file name, or "none (classic method)"
    weights_bytes: int | None  # size on disk, None when there are no weights
    licence: str  # licence of the code and of the weights
    training_data: str
    limits: str  # known limits, in one or two sentences
    classic: bool = False  # True: the field's classic (non-neural or non-learned) method
    paper: str = ""  # URL of the method's paper, where there is one


@dataclass(frozen=True)
class Availability:
    available: bool
    reason: str = ""  # why not, or a note such as where the weights are
    weights_path: str = ""


@dataclass
class EngineOutput:
    """A job's result: JSON-safe data, audio to write as WAV, and other files (RTTM, MIDI, PNG)."""

    data: dict[str, Any]
    audio: dict[str, tuple[np.ndarray, int]] = field(default_factory=dict)  # name → (float32 mono, sr)
    files: dict[str, bytes] = field(default_factory=dict)  # file name → bytes


@dataclass(frozen=True)
class JobInputs:
    """What a job hands an engine: named audio inputs already decoded at the engine's rate, text, params."""

    audio: dict[str, np.ndarray] = field(
        default_factory=dict
    )  # e.g. {"audio": ...} or {"source":, "target":}
    sample_rate: int = 16000
    text: str = ""
    params: dict[str, Any] = field(default_factory=dict)


class EngineError(RuntimeError):
    """The engine could not produce a result; the message is shown to the learner."""


def pick_device(preferred: str | None = None) -> str:
    """'cuda' when a GPU is present and not refused by SOUNDPATH_DEVICE, else 'cpu'."""
    wanted = preferred or env.str("SOUNDPATH_DEVICE", default="auto")
    if wanted == "cpu":
        return "cpu"
    try:
        import torch
    except ImportError:
        return "cpu"
    if torch.cuda.is_available():
        return "cuda"
    if wanted == "cuda":
        raise EngineError("SOUNDPATH_DEVICE=cuda, but no CUDA device is visible.")
    return "cpu"


class Engine(ABC):
    """Base of every backend. Subclasses set the class attributes and implement `_load` and their
    capability's method (see `workers.engines.capabilities`)."""

    capability: ClassVar[str]
    backend: ClassVar[str]
    card: ClassVar[ModelCard]
    sample_rate: ClassVar[int] = 16000  # rate the job decodes input audio to
    uses_torch: ClassVar[bool] = False  # True: can run on CUDA, routed to the gpu queue when present

    def __init__(self, device: str = "cpu"):
        self.device = device
        self.load_seconds: float | None = None
        self._loaded = False

    @classmethod
    def availability(cls) -> Availability:
        """Cheap check (imports, weights on disk) without loading the model."""
        return Availability(True)

    @classmethod
    def version(cls) -> str:
        return cls.card.package

    def ensure_loaded(self) -> None:
        if not self._loaded:
            started = time.perf_counter()
            self._load()
            self.load_seconds = time.perf_counter() - started
            self._loaded = True

    def _load(self) -> None:  # noqa: B027 - classic methods have nothing to load
        """Load weights; called once per process, on first use."""

    @abstractmethod
    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        """The entry point a worker calls; each capability base class implements it once."""


def check_imports(*modules: str) -> Availability:
    """Availability from importability alone (for classic methods and packaged weights)."""
    import importlib.util

    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        return Availability(False, f"package(s) not installed: {', '.join(missing)}")
    return Availability(True)


def local_model_dir(env_var: str) -> Availability:
    """Hub backends: available when `env_var` names a local directory holding the model."""
    path = env.str(env_var, default="")
    if not path:
        from workers.engines.hub_catalogue import pulled_dir  # a folder `manage.py models pull` completed

        pulled = pulled_dir(env_var)
        if pulled is not None:
            return Availability(
                True, f"weights in {pulled} (manage.py models pull)", weights_path=str(pulled)
            )
        return Availability(
            False,
            f"set {env_var} to a local model directory, or run `manage.py models pull`, to enable it",
        )
    if not os.path.isdir(path):
        return Availability(False, f"{env_var}={path} is not a directory")
    return Availability(True, f"weights in {path}", weights_path=path)


def local_model_files(env_var: str, required: tuple[str, ...], *modules: str) -> Availability:
    """Hub backends: the packages import, and `env_var` names a local folder holding `required` files."""
    found = check_imports(*modules)
    if not found.available:
        return found
    folder = local_model_dir(env_var)
    if not folder.available:
        return folder
    missing = [name for name in required if not os.path.isfile(os.path.join(folder.weights_path, name))]
    if missing:
        return Availability(False, f"{env_var}: missing {', '.join(missing)} in {folder.weights_path}")
    return folder
