"""Voice activity detection: Silero's speech probability beside WebRTC's decisions, segments to play.

Both engines run as jobs (login needed); moving the threshold afterwards re-segments the returned
scores in this process, so it is instant.
"""

from demos.common import load_clip
from demos.samples import SPEECH_EN, SPEECH_PAUSES
from workers.audio_io import AudioLimits

SR = 16000
LIMITS = AudioLimits(max_bytes=20_000_000, max_seconds=120.0)
SAMPLES = [[str(SPEECH_PAUSES)], [str(SPEECH_EN)]]
TABLE_HEADERS = ["engine", "segment", "start (s)", "end (s)", "duration (s)"]

HOW_IT_WORKS = """A VAD scores short frames (Silero: 32 ms, WebRTC: 30 ms) as speech or not. **Silero** is a
small neural network (convolutions and an LSTM carried across frames) that outputs a probability;
**WebRTC** is a classic Gaussian mixture model over six sub-band energies that outputs a hard yes/no,
with an aggressiveness mode (0-3) instead of a threshold. Raw frame decisions flicker, so both are
smoothed the same way here: speech starts when the score reaches the **threshold**, ends only after
it stays below *threshold − 0.15* for a while (**hysteresis**), segments under 0.25 s are dropped,
and the rest are padded by 30 ms so word edges survive. Move the threshold slider to watch Silero's
segments split and merge without rerunning the model."""

TOPICS = [
    ("voice-activity-detection", "Voice activity detection"),
    ("rnn-sequence-models", "RNNs and sequence models"),
    ("real-time-processing", "Real-time processing"),
]


def _load(path: str | None):
    return load_clip(path, sr=SR, limits=LIMITS)


def _stage(progress, index: int, count: int, label: str):
    """A progress callback for job `index` of `count`, so two jobs fill one bar."""
    if progress is None:
        return None

    def report(fraction, desc=None):
        progress((index + fraction) / count, desc=f"{label}: {desc or 'working…'}")

    return report


def detect(path, threshold, webrtc_mode, *, request, progress=None):
    """Run Silero and WebRTC as jobs; return (run, figure, summary, table rows, segment choices)."""
    from demos.common import job_submit_and_wait
    from demos.vad.analysis import EngineScores, VadRun, webrtc_threshold

    samples = _load(path)
    mode = int(webrtc_mode)
    params = {"silero": {"threshold": float(threshold)}, "webrtc": {"threshold": webrtc_threshold(mode)}}
    results = {}
    for index, backend in enumerate(("silero", "webrtc")):
        job = job_submit_and_wait(
            request, "vad", backend=backend, audio={"audio": path}, params=params[backend], origin="vad",
            progress=_stage(progress, index, 2, backend),
        )  # fmt: skip
        results[backend] = EngineScores.from_result(backend, job.result)
    run = VadRun(str(path), len(samples) / SR, mode, results["silero"], results["webrtc"])
    return (run, *render(run, threshold, samples))


def render(run, threshold, samples=None):
    """(figure, summary, table rows, segment choices) of a finished run at `threshold`; no model runs."""
    from demos.vad.analysis import segmentation
    from demos.vad.plots import vad_figure

    seg = segmentation(run, float(threshold))
    if samples is None:
        samples = _load(run.path)
    figure = vad_figure(samples, SR, run, seg)
    return figure, seg.summary(run.webrtc_mode), seg.table_rows(), seg.choices()


def play_segment(run, threshold, choice):
    """(sample rate, samples) of one segment, and its text description."""
    from demos.vad.analysis import ENGINE_NAMES, segmentation

    backend, index, segment = segmentation(run, float(threshold)).segment(choice)
    samples = _load(run.path)
    clip = samples[int(segment.start * SR) : int(segment.end * SR)]
    description = (
        f"{ENGINE_NAMES[backend]} segment {index + 1}: {segment.start:.2f}–{segment.end:.2f} s of the clip "
        f"({segment.end - segment.start:.2f} s) — the part {ENGINE_NAMES[backend]} calls speech."
    )
    return (SR, clip), description


def build():
    import gradio as gr

    from demos.common import exercise_block, how_it_works_markdown, model_card_markdown, with_django_db
    from demos.vad.exercises import EXERCISES

    def detect_clicked(
        path,
        threshold,
        webrtc_mode,
        request: gr.Request,
        progress=gr.Progress(),  # noqa: B008 - Gradio injects its tracker where the default is one
    ):
        run, figure, summary, rows, choices = detect(
            path, threshold, webrtc_mode, request=request, progress=progress
        )
        return run, figure, summary, rows, gr.update(choices=choices, value=None)

    def threshold_moved(run, threshold):
        if run is None:  # nothing detected yet: the slider only sets the next run's threshold
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        figure, summary, rows, choices = render(run, threshold)
        return figure, summary, rows, gr.update(choices=choices, value=None)

    def segment_picked(run, threshold, choice):
        if run is None or not choice:
            return None, ""
        return play_segment(run, threshold, choice)

    with gr.Blocks(title="Voice activity detection") as demo:
        gr.Markdown(
            "## Voice activity detection\nWhere is the speech? A neural VAD (Silero) and a classic one "
            "(WebRTC) score the same clip frame by frame."
        )
        run = gr.State(None)
        with gr.Row():
            with gr.Column(scale=1):
                audio = gr.Audio(
                    sources=["upload", "microphone"], type="filepath", label="Clip (upload or record)"
                )
                gr.Examples(SAMPLES, inputs=[audio], label="Samples")
                threshold = gr.Slider(
                    0.05, 0.95, value=0.5, step=0.05,
                    label="Silero threshold (re-segments instantly after a run)",
                )  # fmt: skip
                mode = gr.Slider(
                    0,
                    3,
                    value=2,
                    step=1,
                    label="WebRTC aggressiveness mode (0 lenient … 3 strict; needs a rerun)",
                )
                go = gr.Button("Detect speech with both engines", variant="primary")
            with gr.Column(scale=2):
                summary = gr.Textbox(label="Summary (what the plot shows)", lines=3, interactive=False)
                plot = gr.Plot(label="Waveform with segments; frame scores with the threshold")
        with gr.Row():
            with gr.Column(scale=1):
                table = gr.Dataframe(headers=TABLE_HEADERS, label="Segments", interactive=False)
            with gr.Column(scale=1):
                pick = gr.Dropdown(choices=[], label="Play a segment", interactive=True)
                clip = gr.Audio(label="Segment audio", type="numpy", interactive=False)
                clip_text = gr.Markdown()
        go.click(
            with_django_db(detect_clicked),
            [audio, threshold, mode],
            [run, plot, summary, table, pick],
            api_name="detect",
        )
        threshold.change(
            threshold_moved, [run, threshold], [plot, summary, table, pick],
            show_progress="hidden", trigger_mode="always_last",
        )  # fmt: skip
        pick.change(segment_picked, [run, threshold, pick], [clip, clip_text])
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        with gr.Row():
            gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
            gr.Markdown(model_card_markdown("vad", "silero"))
            gr.Markdown(model_card_markdown("vad", "webrtc"))
    return demo
