"""Delivery feedback for a spoken answer from ASR word timings: pace, filler words, long pauses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

# Single-word fillers, and phrases checked as consecutive words. "like" and "so" are counted only
# where they cannot be content: "like" not preceded by a word that takes it ("looks like"), "so" only
# at the start of an answer, after a pause or after another filler ("um, so").
FILLER_WORDS = frozenset({"um", "umm", "uh", "uhm", "er", "erm", "ah", "hmm", "mm", "basically", "literally"})
FILLER_PHRASES = (("you", "know"), ("i", "mean"), ("sort", "of"), ("kind", "of"))
CONTENT_LIKE = frozenset({"look", "looks", "looked", "sound", "sounds", "sounded", "seem", "seems", "feel",
                          "feels", "would", "just", "something", "things", "more", "less", "much"})  # fmt: skip
LONG_PAUSE_SECONDS = 1.0
# Conversational English runs at about 120-160 words per minute; interview answers sit in that band.
SLOW_WPM, FAST_WPM = 110, 170


@dataclass(frozen=True)
class Pause:
    after_word: str
    start: float
    seconds: float


@dataclass(frozen=True)
class Delivery:
    words: int
    speaking_seconds: float  # first word's start to last word's end
    words_per_minute: float
    fillers: dict[str, int]  # filler → count
    filler_count: int
    pauses: tuple[Pause, ...]  # gaps between words longer than LONG_PAUSE_SECONDS
    feedback: tuple[str, ...]

    def as_json(self) -> dict:
        return asdict(self)


def _clean(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def _fillers(tokens: list[str], gaps_before: list[float]) -> dict[str, int]:
    counts: dict[str, int] = {}
    i = 0
    while i < len(tokens):
        pair = tuple(tokens[i : i + 2])
        if pair in FILLER_PHRASES:
            key, step = " ".join(pair), 2
        elif tokens[i] in FILLER_WORDS:
            key, step = tokens[i], 1
        elif tokens[i] == "like" and (i == 0 or tokens[i - 1] not in CONTENT_LIKE):
            key, step = "like", 1
        elif tokens[i] == "so" and (i == 0 or gaps_before[i] > 0.5 or tokens[i - 1] in FILLER_WORDS):
            key, step = "so", 1
        else:
            i += 1
            continue
        counts[key] = counts.get(key, 0) + 1
        i += step
    return counts


def _feedback(wpm: float, words: int, fillers: int, pauses: int, minutes: float) -> tuple[str, ...]:
    notes = []
    if words < 5:
        return ("Too few words were recognised to judge delivery.",)
    if wpm < SLOW_WPM:
        notes.append(f"{wpm:.0f} words per minute is slow; aim for about 130-160 in an interview.")
    elif wpm > FAST_WPM:
        notes.append(f"{wpm:.0f} words per minute is fast; slow down so each point lands.")
    else:
        notes.append(f"{wpm:.0f} words per minute is a comfortable pace.")
    per_minute = fillers / minutes if minutes else 0
    if per_minute > 4:
        notes.append(f"{fillers} filler words ({per_minute:.0f} a minute): pause silently instead.")
    elif fillers:
        notes.append(f"{fillers} filler word{'s' if fillers != 1 else ''}: few enough not to distract.")
    else:
        notes.append("No filler words.")
    if pauses:
        notes.append(f"{pauses} pause{'s' if pauses != 1 else ''} over {LONG_PAUSE_SECONDS:.0f} s.")
    return tuple(notes)


def analyse_delivery(words: Sequence[dict]) -> Delivery:
    """`words` as the ASR job returns them: [{"word": str, "start": s, "end": s}, ...] in order."""
    timed = [w for w in words if _clean(str(w.get("word", "")))]
    tokens = [_clean(str(w["word"])) for w in timed]
    if not timed:
        return Delivery(0, 0.0, 0.0, {}, 0, (), _feedback(0, 0, 0, 0, 0))
    starts = [float(w["start"]) for w in timed]
    ends = [float(w["end"]) for w in timed]
    gaps = [0.0] + [max(0.0, starts[i] - ends[i - 1]) for i in range(1, len(timed))]
    pauses = tuple(
        Pause(tokens[i - 1], round(ends[i - 1], 2), round(gaps[i], 2))
        for i in range(1, len(timed))
        if gaps[i] > LONG_PAUSE_SECONDS
    )
    seconds = max(0.0, ends[-1] - starts[0])
    wpm = 60 * len(timed) / seconds if seconds else 0.0
    fillers = _fillers(tokens, gaps)
    count = sum(fillers.values())
    return Delivery(
        words=len(timed),
        speaking_seconds=round(seconds, 2),
        words_per_minute=round(wpm, 1),
        fillers=fillers,
        filler_count=count,
        pauses=pauses,
        feedback=_feedback(wpm, len(timed), count, len(pauses), seconds / 60),
    )
