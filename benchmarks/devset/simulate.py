"""Simulated conversations from real utterances, with their reference turns, in the way end-to-end
diarization work builds training mixtures (Fujita et al. 2019; Landini et al. 2022): speakers take
turns with pauses drawn from an exponential distribution, some turns start before the previous one
ends (overlap), each speaker has their own level, and a faint noise floor fills the silences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmarks.devset.sources import SR, Utterance, by_speaker

PAUSE_MEAN_S = 0.5  # mean silence between turns
OVERLAP_PROBABILITY = 0.2  # share of turns that start over the end of the previous one
OVERLAP_S = (0.2, 1.0)  # how far they reach back, seconds
PIECE_S = (1.0, 4.0)  # a turn is a random crop of this length from one utterance
LEVEL_DB = 4.0  # speakers' levels spread uniformly over ±LEVEL_DB
NOISE_FLOOR_DB = -45.0  # pink-ish noise relative to full scale
MIN_PIECE_S = 0.8


@dataclass(frozen=True)
class Conversation:
    name: str
    audio: np.ndarray
    turns: tuple[tuple[float, float, str], ...]  # reference (start, end, speaker)

    @property
    def speakers(self) -> int:
        return len({t[2] for t in self.turns})

    def annotation(self):
        from pyannote.core import Annotation, Segment

        reference = Annotation(uri=self.name)
        for i, (start, end, speaker) in enumerate(self.turns):
            reference[Segment(start, end), i] = speaker
        return reference


def halves(items: list[Utterance]) -> tuple[list[Utterance], list[Utterance]]:
    """Each utterance split in two in time: the first halves tune, the second halves are held apart,
    so no stretch of audio appears on both sides."""
    first, second = [], []
    for item in items:
        middle = len(item.audio) // 2
        for pool, audio in ((first, item.audio[:middle]), (second, item.audio[middle:])):
            if len(audio) >= MIN_PIECE_S * SR:
                pool.append(Utterance(item.speaker, audio, "", f"{item.origin} ({'ab'[pool is second]})"))
    return first, second


def _noise(rng: np.random.Generator, n: int) -> np.ndarray:
    white = rng.standard_normal(n)
    pink = np.cumsum(white) * 0.02 + white  # a gently sloped spectrum, not a pure hiss
    pink -= np.convolve(pink, np.ones(SR // 10) / (SR // 10), mode="same")  # no DC drift
    return (pink / (np.sqrt(np.mean(pink**2)) + 1e-9) * 10 ** (NOISE_FLOOR_DB / 20)).astype(np.float32)


def conversation(
    pool: list[Utterance], speakers: list[str], *, seconds: float, seed: int, name: str
) -> Conversation:
    """Turns from `speakers` until `seconds` of audio; who speaks next is drawn in proportion to how
    much material each has (talkative and quiet speakers, as in meetings)."""
    rng = np.random.default_rng(seed)
    grouped = {s: u for s, u in by_speaker(pool).items() if s in speakers}
    weights = np.array([sum(u.seconds for u in grouped[s]) for s in speakers])
    levels = {s: 10 ** (rng.uniform(-LEVEL_DB, LEVEL_DB) / 20) for s in speakers}
    placed: list[tuple[int, np.ndarray, str]] = []
    cursor, previous = 0.5, ""
    while cursor < seconds:
        choices = [i for i, s in enumerate(speakers) if s != previous] or [0]
        p = weights[choices] / weights[choices].sum()
        speaker = speakers[choices[rng.choice(len(choices), p=p)]]
        item = grouped[speaker][rng.integers(len(grouped[speaker]))]
        length = min(len(item.audio), int(rng.uniform(*PIECE_S) * SR))
        offset = rng.integers(0, len(item.audio) - length + 1)
        piece = item.audio[offset : offset + length]
        if placed and rng.random() < OVERLAP_PROBABILITY:
            start = cursor - min(rng.uniform(*OVERLAP_S), 0.5 * length / SR, 0.5 * len(placed[-1][1]) / SR)
        else:
            start = cursor + rng.exponential(PAUSE_MEAN_S)
        placed.append(
            (int(start * SR), piece * levels[speaker] / (np.sqrt(np.mean(piece**2)) * 10 + 1e-9), speaker)
        )
        cursor, previous = max(cursor, start + length / SR), speaker
    audio = _noise(rng, int((cursor + 0.5) * SR))
    for begin, piece, _speaker in placed:
        audio[begin : begin + len(piece)] += piece
    peak = np.max(np.abs(audio))
    turns = tuple((round(b / SR, 3), round((b + len(p)) / SR, 3), s) for b, p, s in placed)
    return Conversation(name, (audio * (0.9 / peak) if peak > 0.9 else audio).astype(np.float32), turns)


# speaker sets: two, three and four voices (heath and lj have little speech: unbalanced on purpose)
SPEAKER_SETS = (
    ["sample-speaker90", "sample-speaker91"],
    ["sample-speaker90", "cate", "heath"],
    ["sample-speaker91", "cate", "sample-speaker90"],
    ["sample-speaker90", "sample-speaker91", "cate", "heath"],
    ["cate", "sample-speaker91", "heath", "lj"],
)


def conversations(pool: list[Utterance], *, seconds: float, seed: int, tag: str) -> list[Conversation]:
    present = set(by_speaker(pool))
    made = []
    for i, speakers in enumerate(SPEAKER_SETS):
        chosen = [s for s in speakers if s in present]
        if len(chosen) >= 2:
            made.append(conversation(pool, chosen, seconds=seconds, seed=seed + i,
                                     name=f"sim-{tag}-{len(chosen)}spk-{i}"))  # fmt: skip
    return made
