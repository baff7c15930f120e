"""The note-event vocabulary of the symbolic music engine: encoding scores to tokens and back, the corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workers.engines.capabilities import Note

# Event vocabulary (after Oore et al. 2018, without velocities): note-on and note-off for the 88 piano
# keys, and time shifts of 1..16 sixteenth notes (longer rests are several shifts).
PAD, BOS, EOS = 0, 1, 2
LOW_PITCH, N_PITCHES = 21, 88  # A0 .. C8
NOTE_ON = 3
NOTE_OFF = NOTE_ON + N_PITCHES
SHIFT = NOTE_OFF + N_PITCHES  # token SHIFT + k - 1 advances time by k steps
MAX_SHIFT = 16
VOCAB_SIZE = SHIFT + MAX_SHIFT  # 195
STEPS_PER_QUARTER = 4  # a step is a sixteenth note
SECONDS_PER_STEP = 60 / 90 / STEPS_PER_QUARTER  # played back at 90 crotchets a minute
MAX_TRANSPOSE = 5  # training augmentation: random transposition within ±5 semitones


def vocabulary() -> list[str]:
    """Token names, saved with each checkpoint so a changed encoding is caught at load time."""
    names = ["<pad>", "<bos>", "<eos>"]
    names += [f"on_{LOW_PITCH + i}" for i in range(N_PITCHES)]
    names += [f"off_{LOW_PITCH + i}" for i in range(N_PITCHES)]
    return names + [f"shift_{k}" for k in range(1, MAX_SHIFT + 1)]


def encode_notes(notes: list[tuple[int, int, int]]) -> np.ndarray:
    """(start_step, end_step, midi_pitch) → int16 tokens: at each time, note-offs before note-ons."""
    events = []
    for start, end, pitch in notes:
        if LOW_PITCH <= pitch < LOW_PITCH + N_PITCHES and end > start:
            events += [(start, 1, NOTE_ON + pitch - LOW_PITCH), (end, 0, NOTE_OFF + pitch - LOW_PITCH)]
    tokens, now = [BOS], 0
    for time_step, _, token in sorted(set(events)):
        while time_step > now:
            shift = min(MAX_SHIFT, time_step - now)
            tokens.append(SHIFT + shift - 1)
            now += shift
        tokens.append(token)
    return np.array([*tokens, EOS], dtype=np.int16)


def decode_tokens(tokens: list[int]) -> list[Note]:
    """Tokens → notes in seconds; a note still sounding at the end is closed there."""
    sounding: dict[int, int] = {}
    notes: list[Note] = []
    now = 0

    def close(pitch: int) -> None:
        start = sounding.pop(pitch)
        if now > start:
            notes.append(Note(pitch, start * SECONDS_PER_STEP, now * SECONDS_PER_STEP, 80))

    for token in tokens:
        if token >= SHIFT:
            now += token - SHIFT + 1
        elif token >= NOTE_OFF and token - NOTE_OFF + LOW_PITCH in sounding:
            close(token - NOTE_OFF + LOW_PITCH)
        elif NOTE_ON <= token < NOTE_OFF:
            pitch = token - NOTE_ON + LOW_PITCH
            if pitch in sounding:
                close(pitch)
            sounding[pitch] = now
    for pitch in list(sounding):
        close(pitch)
    return sorted(notes, key=lambda n: (n.start, n.pitch))


def corpus_tokens(cache_dir: Path, max_files: int | None) -> list[np.ndarray]:
    """Token arrays for the Bach chorales in music21's corpus, parsed once and cached as .npy files."""
    from music21 import corpus

    cache_dir.mkdir(parents=True, exist_ok=True)
    paths = sorted(corpus.getComposer("bach"))[:max_files]
    sequences = []
    for path in paths:
        cached = cache_dir / f"{Path(path).name}.npy"
        if not cached.exists():
            np.save(cached, encode_notes(_score_notes(path)))
        sequences.append(np.load(cached))
    return [s for s in sequences if len(s) > 8]


def _score_notes(path: Path) -> list[tuple[int, int, int]]:
    from music21 import converter

    score = converter.parse(str(path)).stripTies()
    notes = []
    for element in score.flatten().notes:
        start = round(float(element.offset) * STEPS_PER_QUARTER)
        end = start + max(1, round(float(element.quarterLength) * STEPS_PER_QUARTER))
        notes += [(start, end, p.midi) for p in element.pitches]
    return notes


def notes_to_midi(notes: list[Note]):
    import pretty_midi

    midi = pretty_midi.PrettyMIDI(initial_tempo=60 / SECONDS_PER_STEP / STEPS_PER_QUARTER)
    piano = pretty_midi.Instrument(program=0, name="generated")
    piano.notes = [pretty_midi.Note(n.velocity, n.pitch, n.start, n.end) for n in notes]
    midi.instruments.append(piano)
    return midi


def transpose_tokens(window: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Shift every note token by the same random interval that keeps all notes on the keyboard."""
    is_note = (window >= NOTE_ON) & (window < SHIFT)
    if not is_note.any():
        return window
    pitch = (window[is_note] - NOTE_ON) % N_PITCHES
    low, high = max(-MAX_TRANSPOSE, -pitch.min()), min(MAX_TRANSPOSE, N_PITCHES - 1 - pitch.max())
    shifted = window.copy()
    shifted[is_note] += rng.integers(low, high + 1)
    return shifted
