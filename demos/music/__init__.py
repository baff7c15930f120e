"""Music AI: audio → MIDI transcription (Basic Pitch) with a piano roll and a resynthesis; beat and tempo
tracking with clicks; a small symbolic Transformer that generates MIDI, trained here by a job, versioned.

Transcription, generation and training run as jobs (login needed); beat tracking, plots and the sine
resynthesis run in this process.
"""

from pathlib import Path

from demos.samples import MUSIC_DRUMS, MUSIC_MIX, SCALE_C_MAJOR
from workers.audio_io import AudioInputError, AudioLimits, load_audio

SLUG = "music"
BEAT_SR = 22050
LIMITS = AudioLimits(max_bytes=20 * 1024 * 1024, max_seconds=120.0)  # beat tracking runs in the web process
NOTE_HEADERS = ["note", "MIDI", "start (s)", "end (s)", "velocity"]
TRAINER = "music-transformer"
GENERATOR = "symbolic-transformer"

HOW_IT_WORKS = """**Transcription** (Basic Pitch) is a small convolutional network over a constant-Q spectrogram
that predicts, for every frame and semitone, three maps: note onsets, active notes and a fine pitch
contour; thresholds and a minimum length turn them into notes. **Beat tracking** (librosa, Ellis 2007)
computes an onset-strength envelope (spectral flux), estimates the tempo from its autocorrelation with a
prior centred on 120 BPM, then picks beats by dynamic programming: onsets that are strong and evenly spaced.

**Generation** here is a Music-Transformer-style model over **events**: note-on and note-off for each of
the 88 keys and time shifts of 1–16 sixteenths. A 3-layer causal Transformer learns to predict the next
event of Bach chorales (music21's corpus, randomly transposed); sampling one event at a time, with the
logits divided by a **temperature** (low: safe and repetitive, high: adventurous and ungrammatical), writes
new music. Training is a job: the loss (cross-entropy of the next event) falls as it learns, and every run
is kept as a new version you can pick."""

TOPICS = [
    ("music-transcription", "Music transcription"),
    ("beat-tracking-melody", "Beat tracking and melody"),
    ("music-generation", "Music generation"),
    ("capstone-music-generator", "Capstone: a music generator"),
]


def _load(path, sr: int, limits: AudioLimits | None = None):
    import gradio as gr

    if not path:
        raise gr.Error("Upload or record a clip, or pick a sample first.")
    try:
        return load_audio(Path(path), target_sr=sr, limits=limits).samples
    except AudioInputError as exc:
        raise gr.Error(str(exc)) from exc


def transcribe(path, *, request, progress=None):
    """Returns (piano roll, MIDI path, resynthesis (sr, samples), note rows, text summary)."""
    from demos.common import result_path, run_job
    from demos.music.notes import RENDER_SR, note_rows, notes_from_result, render, summarise
    from demos.music.plots import piano_roll_figure

    _load(path, 16000)  # refuse unreadable audio before queueing a job
    job = run_job(request, "audio-to-midi", audio={"audio": path}, origin=SLUG, progress=progress)
    notes = notes_from_result(job.result["notes"])
    midi_path = result_path(job, "transcription.mid")
    audio = render(Path(midi_path).read_bytes())
    figure = piano_roll_figure(notes, "Transcribed notes (piano roll)")
    summary = summarise(notes, "transcription") + " The resynthesis plays these notes with sine tones."
    return figure, midi_path, (RENDER_SR, audio), note_rows(notes), summary


def track_beats(path):
    """In-process: returns (audio with clicks (sr, samples), figure, summary)."""
    from demos.music.beats import track, with_clicks
    from demos.music.plots import beats_figure

    samples = _load(path, BEAT_SR, LIMITS)
    result = track(samples, BEAT_SR)
    summary = result.summary(len(samples) / BEAT_SR) + " The audio below has a click on every tracked beat."
    return (
        (BEAT_SR, with_clicks(samples, BEAT_SR, result.beat_times)),
        beats_figure(samples, BEAT_SR, result),
        summary,
    )


def generate(version, length, temperature, seed, *, request, progress=None):
    """Returns (piano roll, MIDI path, rendered audio (sr, samples), text summary)."""
    import gradio as gr

    from demos.common import result_path, run_job
    from demos.music.notes import RENDER_SR, notes_from_result, render, summarise
    from demos.music.plots import piano_roll_figure
    from demos.music.versions import versions_newest_first

    if not versions_newest_first():
        raise gr.Error("No trained version yet: train one first (the “Train a new version” button).")
    params = {"length_steps": int(length), "temperature": float(temperature)}
    if version:
        params["version"] = version
    if seed not in (None, ""):
        params["seed"] = int(seed)
    job = run_job(
        request, "music-generation", backend=GENERATOR, params=params, origin=SLUG, progress=progress
    )
    notes = notes_from_result(job.result["notes"])
    midi_path = result_path(job, "generated.mid")
    audio = render(Path(midi_path).read_bytes()) if notes else None
    used = job.result.get("version", version)
    title = f"Generated by version {used}, temperature {float(temperature):g}"
    summary = summarise(notes, f"generated piece (version {used}, {int(length)} events)")
    return (
        piano_roll_figure(notes, title),
        midi_path,
        (RENDER_SR, audio) if audio is not None else None,
        summary,
    )


def show_version(version):
    """In-process: (loss figure, text summary) of a trained version."""
    from demos.music.plots import loss_figure
    from demos.music.versions import describe_training, training_summary

    summary = training_summary(version) if version else None
    if summary is None:
        return None, "No trained version selected: train one first."
    return loss_figure(summary["loss"], version), describe_training(version, summary)


def train_version(steps, max_files, seed, *, request, progress=None):
    """Returns (new version, versions newest first, loss figure, text summary)."""
    from demos.common import run_job
    from demos.music.versions import versions_newest_first

    params = {"steps": int(steps), "seed": int(seed or 0)}
    if max_files:
        params["max_files"] = int(max_files)
    job = run_job(request, "training", backend=TRAINER, params=params, origin=SLUG, progress=progress)
    version = job.result["version"]
    figure, summary = show_version(version)
    return version, versions_newest_first(), figure, summary


def build():
    import gradio as gr

    from demos.common import exercise_block, how_it_works_markdown, model_card_markdown, with_django_db
    from demos.music.exercises import EXERCISES
    from demos.music.versions import versions_newest_first

    def transcribe_clicked(path, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return transcribe(path, request=request, progress=progress)

    def generate_clicked(version, length, temperature, seed, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return generate(version, length, temperature, seed, request=request, progress=progress)

    def train_clicked(steps, max_files, seed, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        version, versions, figure, summary = train_version(
            steps, max_files, seed, request=request, progress=progress
        )
        return gr.update(choices=versions, value=version), figure, summary

    def refresh_versions():
        versions = versions_newest_first()
        return gr.update(choices=versions, value=versions[0] if versions else None)

    with gr.Blocks(title="Music AI") as demo:
        gr.Markdown(
            "## Music AI\nTurn audio into notes, find the beat, and generate new music with a model trained here."
        )
        with gr.Tab("Audio → MIDI"):
            with gr.Row():
                with gr.Column(scale=1):
                    t_audio = gr.Audio(
                        sources=["upload", "microphone"], type="filepath", label="Music (upload or record)"
                    )
                    gr.Examples([[str(SCALE_C_MAJOR)], [str(MUSIC_MIX)]], inputs=[t_audio], label="Samples")
                    t_go = gr.Button("Transcribe", variant="primary")
                with gr.Column(scale=2):
                    t_summary = gr.Textbox(label="The notes found (text summary of the piano roll)", lines=3)
                    t_roll = gr.Plot(label="Piano roll")
                    t_resynth = gr.Audio(label="Resynthesis of the transcription (sine tones)", type="numpy")
                    t_midi = gr.File(label="Download the MIDI file")
                    t_notes = gr.Dataframe(headers=NOTE_HEADERS, label="Notes", interactive=False)
            t_go.click(
                with_django_db(transcribe_clicked), [t_audio], [t_roll, t_midi, t_resynth, t_notes, t_summary]
            )
            gr.Markdown(model_card_markdown("audio-to-midi"))
        with gr.Tab("Beats and tempo"):
            with gr.Row():
                with gr.Column(scale=1):
                    b_audio = gr.Audio(
                        sources=["upload", "microphone"], type="filepath", label="Music (upload or record)"
                    )
                    gr.Examples(
                        [[str(MUSIC_DRUMS)], [str(MUSIC_MIX)]], inputs=[b_audio], label="Samples (120 BPM)"
                    )
                    b_go = gr.Button("Track the beat", variant="primary")
                with gr.Column(scale=2):
                    b_summary = gr.Textbox(label="Tempo and beats (text summary of the plot)", lines=3)
                    b_clicks = gr.Audio(label="The audio with a click on every tracked beat", type="numpy")
                    b_plot = gr.Plot(label="Waveform and onset strength with the beats")
            b_go.click(track_beats, [b_audio], [b_clicks, b_plot, b_summary])
        with gr.Tab("Generate"):
            with gr.Row():
                with gr.Column(scale=1):
                    version = gr.Dropdown(
                        choices=versions_newest_first(), label="Model version (newest first)"
                    )
                    length = gr.Slider(
                        32, 1024, value=256, step=32, label="Length (events: notes on/off and time shifts)"
                    )
                    temperature = gr.Slider(0.1, 2.0, value=1.0, step=0.1, label="Temperature")
                    seed = gr.Number(value=None, precision=0, label="Seed (empty: a new piece each time)")
                    g_go = gr.Button("Generate", variant="primary")
                    with gr.Accordion("Train a new version (a job: a few minutes)", open=False):
                        steps = gr.Slider(50, 2000, value=300, step=50, label="Training steps")
                        max_files = gr.Slider(
                            0, 433, value=0, step=1, label="Scores to learn from (0 = all 433)"
                        )
                        t_seed = gr.Number(value=0, precision=0, label="Training seed")
                        train_go = gr.Button("Train a new version")
                        gr.Markdown(model_card_markdown("training", TRAINER))
                with gr.Column(scale=2):
                    g_summary = gr.Textbox(
                        label="The generated notes (text summary of the piano roll)", lines=3
                    )
                    g_roll = gr.Plot(label="Piano roll of the generated piece")
                    g_audio = gr.Audio(label="Rendered audio (sine tones)", type="numpy")
                    g_midi = gr.File(label="Download the MIDI file")
                    loss_summary = gr.Textbox(
                        label="Training of the selected version (text summary of the loss curve)", lines=3
                    )
                    loss_plot = gr.Plot(label="Loss curve of the selected version")
            g_go.click(
                with_django_db(generate_clicked),
                [version, length, temperature, seed],
                [g_roll, g_midi, g_audio, g_summary],
            )
            train_go.click(
                with_django_db(train_clicked), [steps, max_files, t_seed], [version, loss_plot, loss_summary]
            )
            version.change(show_version, [version], [loss_plot, loss_summary])
            demo.load(refresh_versions, None, [version])
            gr.Markdown(model_card_markdown("music-generation", GENERATOR))
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
    return demo
