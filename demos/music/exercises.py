"""Predict-then-run exercises of the music demo; each experiment measures its answer."""

from demos.exercise import Exercise

OCTAVE_CHOICES = ("About 240 BPM", "About 120 BPM (half)", "About 480 BPM (double)")
CLICK_BPM = 240
SECONDS = 8.0
SR = 22050


def _octave_experiment() -> tuple[str, dict]:
    from demos.music.beats import click_track, track

    found = track(click_track(CLICK_BPM, SECONDS, SR), SR)
    answer = min(OCTAVE_CHOICES, key=lambda c: abs(float(c.split()[1]) - found.tempo_bpm))
    return answer, {
        "clicks played": f"{CLICK_BPM} per minute (one every {60 / CLICK_BPM:.2f} s) for {SECONDS:.0f} s",
        "tempo reported": f"{found.tempo_bpm:.1f} BPM",
        "beats marked": str(len(found.beat_times)),
    }


def _resynthesis_experiment() -> tuple[str, dict]:
    """Transcribe the scale, play the MIDI back with sines, transcribe that: are the pitches the same?"""
    import tempfile
    from pathlib import Path

    import soundfile as sf

    from demos.music.notes import RENDER_SR, notes_from_midi, render
    from demos.samples import SCALE_C_MAJOR
    from workers.engines.runner import engine_infer

    first = engine_infer("audio-to-midi", audio_paths={"audio": SCALE_C_MAJOR}).output.files[
        "transcription.mid"
    ]
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "resynthesis.wav"
        sf.write(str(wav), render(first), RENDER_SR, subtype="PCM_16")
        second = engine_infer("audio-to-midi", audio_paths={"audio": wav}).output.files["transcription.mid"]
    before = [n.pitch for n in notes_from_midi(first)]
    after = [n.pitch for n in notes_from_midi(second)]
    answer = RESYNTH_CHOICES[0] if before == after else RESYNTH_CHOICES[1]
    return answer, {
        "pitches from the plucked scale": str(before),
        "pitches from its sine resynthesis": str(after),
    }


RESYNTH_CHOICES = ("The same notes", "Different notes (some lost or added)")

EXERCISES = (
    Exercise(
        id="beat-octave-error",
        demo="music",
        topic="beat-tracking-melody",
        question=f"A metronome clicks {CLICK_BPM} times a minute. What tempo will the beat tracker report?",
        choices=OCTAVE_CHOICES,
        experiment=_octave_experiment,
        explanation=(
            "The tracker's tempo estimate weights the onset autocorrelation with a prior centred on 120 BPM, "
            "because most music is felt there. Clicks at 240 also repeat every 0.5 s, so it reports the "
            "“half-time” pulse. These octave errors (×2, ×½) are the most common beat-tracking mistakes; "
            "evaluation measures such as AMLt forgive them on purpose."
        ),
    ),
    Exercise(
        id="transcribe-the-resynthesis",
        demo="music",
        topic="music-transcription",
        question=(
            "Transcribe the plucked C major scale, play the MIDI back with pure sine tones, and transcribe "
            "that. Will the second transcription have the same notes?"
        ),
        choices=RESYNTH_CHOICES,
        experiment=_resynthesis_experiment,
        explanation=(
            "Basic Pitch was trained on real instruments and voices, not pure sines, yet pitch is pitch: a "
            "sine has only its fundamental, so there are no strong harmonics to mistake for extra notes. "
            "Timbre changes what a transcriber sees; well-separated notes survive the round trip."
        ),
    ),
)
