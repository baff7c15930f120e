"""Notes as the music demo handles them: from job results and MIDI files, named, summarised and
resynthesised with sines (no SoundFont ships here, so no FluidSynth)."""

from dataclasses import dataclass

import numpy as np

PITCH_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
RENDER_SR = 16000
PEAK = 0.9


@dataclass(frozen=True)
class PlayedNote:
    pitch: int  # MIDI note number
    start: float  # seconds
    end: float
    velocity: int = 80


def note_name(pitch: int) -> str:
    """MIDI 60 → 'C4' (scientific pitch notation)."""
    return f"{PITCH_NAMES[pitch % 12]}{pitch // 12 - 1}"


def notes_from_result(notes: list[dict]) -> list[PlayedNote]:
    """Notes of an audio-to-midi or music-generation job result, in time order."""
    played = [
        PlayedNote(int(n["pitch"]), float(n["start"]), float(n["end"]), int(n.get("velocity", 80)))
        for n in notes
    ]
    return sorted(played, key=lambda n: (n.start, n.pitch))


def notes_from_midi(data: bytes) -> list[PlayedNote]:
    import io

    import pretty_midi

    midi = pretty_midi.PrettyMIDI(io.BytesIO(data))
    notes = [PlayedNote(n.pitch, n.start, n.end, n.velocity) for i in midi.instruments for n in i.notes]
    return sorted(notes, key=lambda n: (n.start, n.pitch))


def note_rows(notes: list[PlayedNote]) -> list[list]:
    return [[note_name(n.pitch), n.pitch, round(n.start, 2), round(n.end, 2), n.velocity] for n in notes]


def summarise(notes: list[PlayedNote], what: str) -> str:
    """Text alternative of a piano roll: count, span, range and the first notes by name."""
    if not notes:
        return f"The {what} has no notes."
    low, high = min(n.pitch for n in notes), max(n.pitch for n in notes)
    span = max(n.end for n in notes) - min(n.start for n in notes)
    first = ", ".join(note_name(n.pitch) for n in notes[:12])
    more = f" (first 12 of {len(notes)})" if len(notes) > 12 else ""
    return (
        f"The {what} has {len(notes)} note(s) over {span:.1f} s, from {note_name(low)} to {note_name(high)}. "
        f"In order: {first}{more}."
    )


def render(data: bytes, sample_rate: int = RENDER_SR) -> np.ndarray:
    """A MIDI file played by pretty_midi's sine synthesiser, peak-normalised (float32 mono)."""
    import io

    import pretty_midi

    audio = pretty_midi.PrettyMIDI(io.BytesIO(data)).synthesize(fs=sample_rate, wave=np.sin)
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    return (audio * (PEAK / peak) if peak > 0 else audio).astype(np.float32)
