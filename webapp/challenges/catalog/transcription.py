"""Music transcription of synthesised melodies (seeded notes, harmonic tones), scored by mir_eval's
note F1 on onsets and pitches (offsets ignored), the MIREX note-tracking measure."""

import io

import numpy as np

from webapp.challenges.catalog.base import Challenge, Pack, Score, SubmissionError, require_files, wav_bytes

SR, NOTES, MAX_NOTES = 22_050, 32, 2_000


def _tone(rng: np.random.Generator, pitch: int, seconds: float) -> np.ndarray:
    """Six harmonics at 1/k with a random brightness, a 10 ms attack and an exponential decay."""
    t = np.arange(int(seconds * SR)) / SR
    f0 = 440.0 * 2 ** ((pitch - 69) / 12)
    tilt = float(rng.uniform(0.8, 1.5))
    tone = sum(np.sin(2 * np.pi * k * f0 * t) / k**tilt for k in range(1, 7) if k * f0 < SR / 2)
    envelope = np.minimum(1.0, t / 0.01) * np.exp(-t * float(rng.uniform(1.5, 4.0)))
    release = np.minimum(1.0, (t[-1] - t) / 0.02)
    return tone * envelope * release


def _melody(rng: np.random.Generator) -> tuple[np.ndarray, list[tuple[float, float, int]]]:
    notes, cursor = [], 0.5
    pitch = int(rng.integers(57, 72))
    for _ in range(NOTES):
        pitch = int(np.clip(pitch + rng.choice([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 7]), 48, 84))
        length = float(rng.choice([0.25, 0.375, 0.5, 0.75]))
        notes.append((round(cursor, 4), round(cursor + length * 0.9, 4), pitch))
        if rng.random() < 0.35:  # a third, fourth or fifth below: some polyphony
            notes.append(
                (round(cursor, 4), round(cursor + length * 0.9, 4), pitch - int(rng.choice([3, 4, 5, 7])))
            )
        cursor += length + float(rng.uniform(0.0, 0.1))
    audio = np.zeros(int((cursor + 0.5) * SR))
    for onset, offset, pitch in notes:
        tone = _tone(rng, pitch, offset - onset) * float(rng.uniform(0.3, 0.6))
        audio[int(onset * SR) : int(onset * SR) + tone.size] += tone
    audio += rng.normal(0, 0.002, audio.size)
    return audio / max(1.0, np.max(np.abs(audio)) / 0.9), notes


def midi_notes(data: bytes, *, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(intervals in seconds, pitches in Hz) of every non-drum note in a MIDI file."""
    import pretty_midi

    try:
        midi = pretty_midi.PrettyMIDI(io.BytesIO(data))
    except Exception as exc:
        raise SubmissionError(f"{name}: not a readable MIDI file ({exc.__class__.__name__}).") from exc
    notes = [n for instrument in midi.instruments if not instrument.is_drum for n in instrument.notes]
    if len(notes) > MAX_NOTES:
        raise SubmissionError(f"{name}: {len(notes)} notes is far too many (at most {MAX_NOTES}).")
    notes = [n for n in notes if n.end > n.start]
    intervals = np.array([[n.start, n.end] for n in notes]).reshape(-1, 2)
    pitches = np.array([pretty_midi.note_number_to_hz(n.pitch) for n in notes])
    return intervals, pitches


def notes_midi(notes: list[tuple[float, float, int]]) -> bytes:
    """A one-track MIDI file (acoustic grand piano) holding (onset, offset, MIDI pitch) notes."""
    import pretty_midi

    midi = pretty_midi.PrettyMIDI()
    piano = pretty_midi.Instrument(program=0)
    piano.notes = [pretty_midi.Note(velocity=90, pitch=int(p), start=a, end=b) for a, b, p in notes]
    midi.instruments.append(piano)
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()


class MusicTranscription(Challenge):
    slug = "music-transcription"
    topic = "music-transcription"
    title = "Write down the melody"
    task = (
        f"`data/melody.wav` ({SR} Hz) is a synthesised melody of {NOTES} steps, some of them two-note chords, each note a harmonic tone "
        "with its own brightness and decay. Transcribe it: when each note starts and which pitch it has."
    )
    submission_format = (
        "`transcription.mid`: a standard MIDI file (e.g. written with pretty_midi); every non-drum note "
        "counts, and the tempo map is honoured."
    )
    metric = "note F1 (mir_eval.transcription, onset ±50 ms and pitch ±50 cents, offsets ignored)"
    threshold = 0.8
    baseline_method = "the platform's audio-to-MIDI engine (Spotify's basic-pitch, default thresholds)"

    def build(self, seed: int) -> Pack:
        rng = np.random.default_rng(seed)
        audio, notes = _melody(rng)
        return Pack(
            {"melody.wav": wav_bytes(audio, SR)},
            {"notes": notes},
            "A melody synthesised for this pack (additive harmonic tones, seeded notes), free to use.",
        )

    def score(self, submission, reference, progress=None) -> Score:
        import mir_eval

        require_files(submission, ["transcription.mid"])
        intervals, pitches = midi_notes(submission["transcription.mid"], name="transcription.mid")
        truth = np.array([[a, b] for a, b, _ in reference["notes"]])
        truth_hz = 440.0 * 2 ** ((np.array([p for _, _, p in reference["notes"]]) - 69) / 12)
        if not len(pitches):
            precision = recall = f1 = 0.0
        else:
            precision, recall, f1, _ = mir_eval.transcription.precision_recall_f1_overlap(
                truth, truth_hz, intervals, pitches, offset_ratio=None
            )
        f1 = round(float(f1), 4)
        breakdown = {
            "precision": round(float(precision), 4),
            "recall": round(float(recall), 4),
            "reference_notes": len(truth_hz),
            "submitted_notes": len(pitches),
        }
        return Score(f1, self.passes(f1), breakdown)

    def baseline_submission(self, pack: Pack) -> dict[str, bytes]:
        from webapp.challenges.catalog._engines import engine_output

        return {
            "transcription.mid": engine_output("audio-to-midi", pack.files["melody.wav"]).files[
                "transcription.mid"
            ]
        }
