"""Helpers shared by the speech engines (VAD, ASR): input checks, PCM, segments from frame scores, words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from workers.engines.base import EngineError
from workers.engines.capabilities import Segment, Word

INT16_FULL_SCALE = 32767  # float [-1, 1] → 16-bit PCM, the format classic C engines read


def speech_audio(audio: np.ndarray) -> np.ndarray:
    """The clip as contiguous float32 mono, or an EngineError a learner can act on."""
    samples = np.asarray(audio)
    if samples.ndim != 1:
        raise EngineError("Speech engines need mono audio (one channel).")
    if samples.size == 0:
        raise EngineError("The audio is empty.")
    samples = np.ascontiguousarray(samples, dtype=np.float32)
    if not np.all(np.isfinite(samples)):
        raise EngineError("The audio contains invalid samples (NaN or infinity).")
    return samples


def check_english(language: str | None, model: str) -> None:
    """English-only models: refuse another language rather than mistranscribe it."""
    if language and not language.lower().startswith("en"):
        raise EngineError(f"{model} only recognises English, not '{language}'.")


def pcm16(audio: np.ndarray) -> bytes:
    """Little-endian 16-bit PCM bytes, clipped to full scale (webrtcvad and pocketsphinx read these)."""
    return (np.clip(audio, -1.0, 1.0) * INT16_FULL_SCALE).astype("<i2").tobytes()


def frames_to_segments(
    probabilities: Sequence[float],
    frame_seconds: float,
    threshold: float,
    *,
    duration: float,
    min_speech: float = 0.25,
    min_silence: float = 0.1,
    pad: float = 0.03,
) -> tuple[Segment, ...]:
    """Speech regions from per-frame scores, with hysteresis as in Silero's post-processing.

    Speech starts at the first frame >= threshold and ends once scores stay below
    `threshold - 0.15` for `min_silence` seconds; regions shorter than `min_speech` are dropped,
    the rest padded by `pad` seconds (so word edges are not clipped) and merged where they touch.
    """
    low = max(threshold - 0.15, 0.01)
    regions: list[tuple[float, float]] = []
    start: float | None = None
    silence_from: float | None = None
    for index, probability in enumerate(probabilities):
        time = index * frame_seconds
        if probability >= threshold:
            start = time if start is None else start
            silence_from = None
        elif start is not None and probability < low:
            silence_from = time if silence_from is None else silence_from
            if time + frame_seconds - silence_from >= min_silence:
                regions.append((start, silence_from))
                start = silence_from = None
    if start is not None:
        regions.append((start, silence_from if silence_from is not None else duration))
    return _padded(regions, min_speech=min_speech, pad=pad, duration=duration)


def _padded(
    regions: list[tuple[float, float]], *, min_speech: float, pad: float, duration: float
) -> tuple[Segment, ...]:
    merged: list[list[float]] = []
    for start, end in regions:
        if end - start < min_speech:
            continue
        start, end = max(0.0, start - pad), min(duration, end + pad)
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(Segment(round(s, 3), round(e, 3)) for s, e in merged)


def tidy_words(
    words: Iterable[tuple[str, float, float | None, float | None]], duration: float
) -> tuple[Word, ...]:
    """Words with text, times clamped to the clip and never running backwards.

    Decoders can put a word's end past the clip or before its start (Whisper's cross-attention
    timings on random or tiny models do); learners should never see that.
    """
    tidy: list[Word] = []
    previous = 0.0
    for text, start, end, probability in words:
        text = text.strip()
        if not text:
            continue
        start = min(max(float(start), previous), duration)
        end = min(max(float(end if end is not None else duration), start), duration)
        score = None if probability is None else round(float(probability), 4)
        tidy.append(Word(text, round(start, 3), round(end, 3), score))
        previous = start
    return tuple(tidy)


QUIET_FLOOR_DBFS = -45.0  # speech quieter than this (RMS over 0.5 s) is another talker's bleed or hiss
QUIET_WINDOW_S = 0.5


def gate_quiet(samples: np.ndarray, sample_rate: int, floor_dbfs: float = QUIET_FLOOR_DBFS) -> np.ndarray:
    """The clip with every 0.5 s stretch whose RMS is below `floor_dbfs` set to zero.

    A close-talk microphone's near-silent track still carries the other talkers' voices 35-50 dB
    down; a VAD hears them as speech and Whisper writes them out (or invents text from them). Speech
    meant for the microphone sits far above this floor, and zeroing a pause changes nothing.
    """
    hop = int(QUIET_WINDOW_S * sample_rate)
    gated = samples.copy()
    floor = 10 ** (floor_dbfs / 20)
    for start in range(0, len(samples), hop):
        piece = samples[start : start + hop]
        if np.sqrt(np.mean(piece.astype(np.float64) ** 2)) < floor:
            gated[start : start + hop] = 0.0
    return gated
