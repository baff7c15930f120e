"""Keyword-spotting numbers in words and tables: training results, float vs int8, detections, live state."""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

COMPARISON_HEADERS = ["model", "held-out accuracy (%)", "latency per 1 s window (ms, median)", "size (kB)"]
DETECTION_HEADERS = ["keyword", "time (s)", "score"]


def comparison_rows(metrics: dict) -> list[list]:
    """One row per precision: accuracy on the held-out set, median CPU latency, state size."""
    return [
        [name, round(100 * metrics[f"{key}_accuracy"], 1), metrics[f"{key}_latency_ms"],
         round(metrics[f"{key}_bytes"] / 1000, 1)]
        for name, key in (("float32", "float"), ("int8", "int8"))
    ]  # fmt: skip


def most_confused(confusion: list[list[int]], labels: list[str]) -> tuple[str, str, int] | None:
    """The largest off-diagonal cell: (true label, predicted label, count), or None when all are right."""
    matrix = np.array(confusion)
    np.fill_diagonal(matrix, 0)
    if matrix.max() == 0:
        return None
    true, predicted = np.unravel_index(int(matrix.argmax()), matrix.shape)
    return labels[true], labels[predicted], int(matrix[true, predicted])


def training_summary(version: str, losses: list[float], m: dict) -> str:
    """The text alternative of the learning curve, confusion matrix and table (`m`: the run's metrics)."""
    chance, flt, int8 = m["chance_accuracy"], m["float_accuracy"], m["int8_accuracy"]
    accuracy = m["held_out_accuracy_per_epoch"]
    lines = [
        f"Version {version}: {m['epochs']} epochs on {m['train_clips_per_epoch']} freshly augmented clips "
        f"each, {m['parameters']:,} parameters, {m['seconds']:.0f} s of training.",
        f"Training loss fell from {losses[0]:.3f} to {losses[-1]:.3f}; held-out "
        f"accuracy went from {accuracy[0]:.1%} after epoch 1 to {accuracy[-1]:.1%} "
        f"(chance is {chance:.1%}, {len(m['labels'])} classes, {m['test_clips']} held-out clips).",
        f"int8: {int8:.1%} vs float32 {flt:.1%} ({m['int8_accuracy_drop_points']:+.1f} points lost), "
        f"{m['int8_latency_ms']:.3f} ms vs {m['float_latency_ms']:.3f} ms per window "
        f"({m['float_latency_ms'] / m['int8_latency_ms']:.1f}× faster), {m['int8_bytes']:,} vs "
        f"{m['float_bytes']:,} bytes.",
    ]
    confused = most_confused(m["confusion_int8"], m["labels"])
    if confused:
        lines.append(f"Most common int8 mistake: '{confused[0]}' heard as '{confused[1]}' ({confused[2]}×).")
    return "\n".join(lines)


def detection_rows(result: dict) -> list[list]:
    return [[d["keyword"], d["time"], d["score"]] for d in result["detections"]]


def detection_summary(result: dict, duration: float) -> str:
    """What the timeline shows, in words."""
    precision = "int8" if result["quantised"] else "float32"
    head = (
        f"{len(result['window_starts'])} one-second windows, {result['hop_seconds']:.2f} s apart, over "
        f"{duration:.1f} s; {precision} model version {result['version']}, threshold {result['threshold']:.2f}."
    )
    if not result["detections"]:
        return f"{head}\nNo keyword reached the threshold (keywords: {', '.join(result['keywords'])})."
    found = ", ".join(
        f"'{d['keyword']}' at {d['time']:.2f} s ({d['score']:.2f})" for d in result["detections"]
    )
    return f"{head}\nDetected {len(result['detections'])}: {found}."


# ---------------------------------------------------------------------------------------------
# Live microphone: a rolling 1 s buffer scored after every chunk

Scorer = Callable[[np.ndarray], tuple[str, float]]  # 1 s of 16 kHz audio → (best label, probability)


@dataclass
class LiveState:
    buffer: np.ndarray = field(default_factory=lambda: np.zeros(16000, dtype=np.float32))
    seconds: float = 0.0  # audio heard so far
    log: list[tuple[float, str, float]] = field(default_factory=list)  # (time, keyword, score)


def to_mono_float(sr: int, chunk: np.ndarray, target_sr: int = 16000) -> np.ndarray:
    """A microphone chunk (int16 or float, mono or stereo, any rate) as float32 mono at `target_sr`."""
    from workers.engines._signal_common import resample

    audio = np.asarray(chunk)
    if audio.dtype.kind == "i":
        audio = audio.astype(np.float32) / np.iinfo(audio.dtype).max
    if audio.ndim == 2:
        audio = audio.mean(axis=1)
    return resample(audio.astype(np.float32), int(sr), target_sr)


def live_update(state: LiveState, audio: np.ndarray, scorer: Scorer, threshold: float) -> tuple[str, float]:
    """Append 16 kHz audio, score the newest second, log a keyword unless the same one was logged
    less than 1 s ago (one utterance wins several overlapping windows)."""
    state.buffer = np.concatenate([state.buffer, audio])[-16000:]
    state.seconds += len(audio) / 16000
    label, score = scorer(state.buffer)
    if label.startswith("_") or score < threshold:
        return label, score
    if state.log and state.log[-1][1] == label and state.seconds - state.log[-1][0] < 1.0:
        return label, score
    state.log.append((round(state.seconds, 2), label, round(score, 3)))
    return label, score


def live_markdown(state: LiveState, label: str, score: float) -> str:
    now = "silence or other words" if label.startswith("_") else f"**{label}**"
    heard = "\n".join(f"- {t:.1f} s: **{k}** ({s:.2f})" for t, k, s in state.log[-8:]) or "- nothing yet"
    return (
        f"Now hearing: {now} (top score {score:.2f}, after {state.seconds:.1f} s)\n\nKeywords heard:\n{heard}"
    )
