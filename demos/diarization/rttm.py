"""RTTM, the NIST format for "who spoke when": one SPEAKER line per turn.

SPEAKER <uri> <channel> <start s> <duration s> <NA> <NA> <speaker> <NA> <NA>
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SpeakerTurn:
    start: float
    end: float
    speaker: str


class RttmError(ValueError):
    """The file is not usable RTTM; the message names the line."""


def parse_rttm(text: str) -> list[SpeakerTurn]:
    """SPEAKER lines → turns sorted by start; other line types (and blank or ';;' lines) are skipped."""
    turns = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith(";;") or fields[0] != "SPEAKER":
            continue
        if len(fields) < 8:
            raise RttmError(f"RTTM line {number} has {len(fields)} fields; a SPEAKER line needs at least 8.")
        try:
            start, duration = float(fields[3]), float(fields[4])
        except ValueError as exc:
            raise RttmError(f"RTTM line {number}: start and duration must be numbers.") from exc
        if start < 0 or duration < 0:
            raise RttmError(f"RTTM line {number}: start and duration cannot be negative.")
        turns.append(SpeakerTurn(start, start + duration, fields[7]))
    if not turns:
        raise RttmError("The RTTM file has no SPEAKER lines.")
    return sorted(turns, key=lambda t: (t.start, t.end))


def speaker_totals(turns: list[SpeakerTurn]) -> dict[str, float]:
    """Seconds of speech per speaker (overlaps counted for each speaker), in first-appearance order."""
    totals: dict[str, float] = {}
    for turn in turns:
        totals[turn.speaker] = totals.get(turn.speaker, 0.0) + turn.end - turn.start
    return totals
