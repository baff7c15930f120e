"""What a challenge is: a task on a data pack the deployment builds from its own secret seed, a
submission format, a hidden reference, and a score from the metric library the field publishes
with. No Django here: packs and scores are plain bytes, numbers and JSON-safe dicts."""

import io
import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import soundfile as sf

ProgressFn = Callable[[float, str], None]


def no_progress(fraction: float, message: str) -> None:
    return None


class SubmissionError(Exception):
    """A submission that cannot be scored; the message tells the learner what to fix."""


@dataclass(frozen=True)
class Pack:
    files: dict[str, bytes]  # what the learner downloads (besides the README)
    reference: dict  # what scoring compares with; stays on the server
    sources: str  # where the audio came from and under which licence


@dataclass(frozen=True)
class Score:
    value: float  # the headline metric
    passed: bool
    breakdown: dict = field(default_factory=dict)  # per-file scores, DER parts, alignment…

    def __post_init__(self) -> None:
        # Metric libraries hand back numpy scalars: stored as JSON, they must be plain Python.
        object.__setattr__(self, "value", float(self.value))
        object.__setattr__(self, "passed", bool(self.passed))
        object.__setattr__(self, "breakdown", json.loads(json.dumps(self.breakdown, default=_plain)))


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON-safe")


class Challenge(ABC):
    slug: str
    topic: str  # curriculum topic slug: passing marks it mastered
    title: str
    task: str  # Markdown: what to do
    submission_format: str  # Markdown: exactly what to upload
    metric: str  # the metric's name, as the field writes it
    unit: str = ""
    threshold: float
    higher_is_better: bool = True
    baseline_method: str  # what the baseline is, in words

    @abstractmethod
    def build(self, seed: int) -> Pack: ...

    @abstractmethod
    def score(
        self, submission: dict[str, bytes], reference: dict, progress: ProgressFn = no_progress
    ) -> Score: ...

    @abstractmethod
    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        """What the baseline method submits for this pack (scored like any learner's)."""

    def passes(self, value: float) -> bool:
        return value >= self.threshold if self.higher_is_better else value <= self.threshold

    def describe(self) -> dict:
        return {
            "id": self.slug, "topic": self.topic, "title": self.title, "metric": self.metric,
            "unit": self.unit, "threshold": self.threshold, "higher_is_better": self.higher_is_better,
            "baseline": self.baseline_method,
        }  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Helpers shared by challenges


def wav_bytes(audio: np.ndarray, sr: int) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, np.clip(audio, -1, 1).astype(np.float32), sr, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def read_wav(data: bytes, *, name: str, expect_sr: int | None = None) -> tuple[np.ndarray, int]:
    try:
        audio, sr = sf.read(io.BytesIO(data), dtype="float32", always_2d=False)
    except Exception as exc:
        raise SubmissionError(f"{name}: not a readable WAV/FLAC file ({exc.__class__.__name__}).") from exc
    if audio.ndim > 1:
        raise SubmissionError(f"{name}: must be mono (it has {audio.shape[1]} channels).")
    if expect_sr is not None and sr != expect_sr:
        raise SubmissionError(f"{name}: the sample rate must be {expect_sr} Hz (it is {sr} Hz).")
    if audio.size == 0:
        raise SubmissionError(f"{name}: the file holds no samples.")
    if not np.all(np.isfinite(audio)):
        raise SubmissionError(f"{name}: contains NaN or infinite samples.")
    return audio, sr


def read_text(data: bytes, *, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubmissionError(f"{name}: is not UTF-8 text (byte {exc.start} cannot be decoded).") from exc


def require_files(submission: dict[str, bytes], expected: list[str]) -> None:
    missing = sorted(set(expected) - set(submission))
    extra = sorted(set(submission) - set(expected))
    if missing:
        raise SubmissionError(f"Missing file(s): {', '.join(missing)}.")
    if extra:
        raise SubmissionError(
            f"Unexpected file(s): {', '.join(extra[:5])} — submit exactly {', '.join(expected)}."
        )
