"""The real speech the packs can use: pyannote.audio's 30 s two-speaker recording (MIT licence, shipped
in its package) with its reference turns. Everything else the project ships is synthetic."""

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf

SOURCE = (
    "Real speech: the 30 s two-speaker sample recording shipped in pyannote.audio (MIT licence), cut "
    "at its reference turns."
)


def _folder() -> Path:
    return Path(importlib.util.find_spec("pyannote.audio").submodule_search_locations[0]) / "sample"


@lru_cache(maxsize=1)
def real_sample() -> tuple[np.ndarray, int, list[tuple[float, float, str]]]:
    """(audio, rate, turns as (start, end, speaker)) of pyannote's sample, turns sorted by start."""
    audio, sr = sf.read(_folder() / "sample.wav", dtype="float32")
    turns = []
    for line in (_folder() / "sample.rttm").read_text().splitlines():
        fields = line.split()
        start, duration = float(fields[3]), float(fields[4])
        turns.append((start, start + duration, fields[7]))
    return audio, sr, sorted(turns)


def single_speaker_pieces(min_seconds: float = 0.6) -> list[tuple[float, float, str]]:
    """Stretches where exactly one speaker talks (turns with any overlap cut away)."""
    _, _, turns = real_sample()
    pieces = []
    for start, end, speaker in turns:
        for other_start, other_end, other in turns:
            if other != speaker and other_start < end and other_end > start:
                if other_start <= start:
                    start = max(start, other_end)
                else:
                    end = min(end, other_start)
        if end - start >= min_seconds:
            pieces.append((round(start, 3), round(end, 3), speaker))
    return pieces


@lru_cache(maxsize=1)
def real_utterances() -> list[tuple[float, float, str, str]]:
    """(start, end, speaker, words) of each utterance in pyannote's sample.stm transcript."""
    rows = []
    for line in (_folder() / "sample.stm").read_text().splitlines():
        fields = line.split(maxsplit=5)
        rows.append((float(fields[3]), float(fields[4]), fields[2], fields[5] if len(fields) > 5 else ""))
    return rows
