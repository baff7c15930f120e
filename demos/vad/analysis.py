"""Voice activity from the scores the VAD jobs returned: re-segmenting at any threshold without
rerunning a model, speech statistics, and how far two engines agree."""

from collections.abc import Sequence
from dataclasses import dataclass

from workers.engines._speech_common import frames_to_segments
from workers.engines.capabilities import Segment
from workers.engines.vad_webrtc import MIN_SILENCE_SECONDS

ENGINES = ("silero", "webrtc")
ENGINE_NAMES = {"silero": "Silero", "webrtc": "WebRTC"}
HYSTERESIS = 0.15  # frames_to_segments ends speech only when scores fall below threshold - 0.15
HARD_DECISION_THRESHOLD = 0.5  # WebRTC's scores are 0 or 1: any cut between them gives the same segments


@dataclass(frozen=True)
class EngineScores:
    """One engine's frame scores, as its job returned them (job.result of a "vad" job)."""

    backend: str
    frame_seconds: float
    probabilities: tuple[float, ...]

    @classmethod
    def from_result(cls, backend: str, result: dict) -> "EngineScores":
        return cls(backend, float(result["frame_seconds"]), tuple(float(p) for p in result["probabilities"]))


@dataclass(frozen=True)
class VadRun:
    """Both engines' scores for one clip: enough to redraw and re-segment at any threshold."""

    path: str
    duration: float
    webrtc_mode: int  # 0 (lenient) … 3 (strict): WebRTC's only knob, fixed when its job ran
    silero: EngineScores
    webrtc: EngineScores

    def scores(self, backend: str) -> EngineScores:
        return self.silero if backend == "silero" else self.webrtc


def webrtc_threshold(mode: int) -> float:
    """The job's 0-1 `threshold` parameter that selects WebRTC aggressiveness `mode` (0-3)."""
    if mode not in (0, 1, 2, 3):
        raise ValueError("WebRTC's aggressiveness mode is 0, 1, 2 or 3.")
    return mode / 4  # aggressiveness() takes int(threshold * 4): 0, 0.25, 0.5, 0.75 → 0, 1, 2, 3


def resegment(scores: EngineScores, threshold: float, duration: float) -> tuple[Segment, ...]:
    """Speech segments at `threshold` from returned scores, with the engine's own post-processing.

    The same hysteresis, minimum lengths and padding the engine applies, so at the threshold the
    job ran with this gives exactly the job's segments. WebRTC decided 0/1 per frame already
    (its mode was the threshold), so its segments do not move with `threshold`.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError("The threshold must lie strictly between 0 and 1.")
    if scores.backend == "webrtc":
        return frames_to_segments(
            scores.probabilities,
            scores.frame_seconds,
            HARD_DECISION_THRESHOLD,
            duration=duration,
            min_silence=MIN_SILENCE_SECONDS,
        )
    return frames_to_segments(scores.probabilities, scores.frame_seconds, threshold, duration=duration)


def speech_seconds(segments: Sequence[Segment]) -> float:
    return sum(s.end - s.start for s in segments)


def overlap_seconds(a: Sequence[Segment], b: Sequence[Segment]) -> float:
    """Time both lists call speech (each list sorted and non-overlapping, as resegment returns)."""
    return sum(max(0.0, min(x.end, y.end) - max(x.start, y.start)) for x in a for y in b)


def agreement_percent(a: Sequence[Segment], b: Sequence[Segment], duration: float) -> float:
    """Share of the clip where both say speech or both say non-speech.

    Disagreement is the symmetric difference: |A| + |B| - 2|A ∩ B| seconds.
    """
    if duration <= 0:
        raise ValueError("The clip has no duration.")
    disagreement = speech_seconds(a) + speech_seconds(b) - 2 * overlap_seconds(a, b)
    return 100.0 * (1.0 - disagreement / duration)


@dataclass(frozen=True)
class Segmentation:
    """Both engines' segments at one threshold, with the figures the summary quotes."""

    threshold: float
    duration: float
    segments: dict[str, tuple[Segment, ...]]

    def speech_percent(self, backend: str) -> float:
        return 100.0 * speech_seconds(self.segments[backend]) / self.duration

    @property
    def agreement(self) -> float:
        return agreement_percent(self.segments["silero"], self.segments["webrtc"], self.duration)

    def summary(self, webrtc_mode: int) -> str:
        lines = []
        for backend, how in (
            ("silero", f"threshold {self.threshold:.2f}"),
            ("webrtc", f"mode {webrtc_mode}, hard decisions"),
        ):
            segs = self.segments[backend]
            lines.append(
                f"{ENGINE_NAMES[backend]} ({how}): {len(segs)} segment{'s' if len(segs) != 1 else ''}, "
                f"{speech_seconds(segs):.2f} s of speech = {self.speech_percent(backend):.1f}% of "
                f"{self.duration:.2f} s."
            )
        lines.append(f"They agree on {self.agreement:.1f}% of the clip (both speech or both non-speech).")
        return "\n".join(lines)

    def table_rows(self) -> list[list]:
        return [
            [ENGINE_NAMES[b], i + 1, round(s.start, 3), round(s.end, 3), round(s.end - s.start, 3)]
            for b in ENGINES
            for i, s in enumerate(self.segments[b])
        ]

    def choices(self) -> list[tuple[str, str]]:
        """Dropdown entries (label, "backend:index") for every segment."""
        return [
            (f"{ENGINE_NAMES[b]} #{i + 1}: {s.start:.2f}–{s.end:.2f} s ({s.end - s.start:.2f} s)", f"{b}:{i}")
            for b in ENGINES
            for i, s in enumerate(self.segments[b])
        ]

    def segment(self, choice: str) -> tuple[str, int, Segment]:
        backend, index = choice.split(":")
        return backend, int(index), self.segments[backend][int(index)]


def segmentation(run: VadRun, threshold: float) -> Segmentation:
    return Segmentation(
        threshold, run.duration, {b: resegment(run.scores(b), threshold, run.duration) for b in ENGINES}
    )
