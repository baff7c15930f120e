"""Keyword spotting: train a tiny DS-CNN on espeak-ng-synthesised words (a job), compare float32 with
int8, then spot keywords in a clip (a job) or live on the microphone.

Training and clip detection run as jobs (login needed). The live microphone tab runs the trained
model in this web process: it has ~23k parameters and scores one 1 s window in under a millisecond,
so a job round trip per 250 ms chunk would cost far more than the inference itself.
"""

from demos.common import load_clip
from demos.samples import KWS_STOP_GO_NOISY, KWS_YES_NO_UP_DOWN, SPEECH_EN
from workers.audio_io import AudioLimits

SLUG = "keyword-spotting"
SR = 16000
LIMITS = AudioLimits(max_bytes=20_000_000, max_seconds=120.0)
SAMPLES = [[str(KWS_YES_NO_UP_DOWN)], [str(KWS_STOP_GO_NOISY)], [str(SPEECH_EN)]]
DEFAULT_KEYWORDS = "yes, no, up, down, stop, go"
PRECISIONS = ("int8", "float32")
LIVE_CHUNK_SECONDS = 0.25

HOW_IT_WORKS = """A keyword spotter is a tiny classifier that runs all the time. Every clip is cut to
**1 s** and turned into **40 log-mel bands × 49 frames** (40 ms windows every 20 ms). The **DS-CNN**
(Hello Edge, 2017) applies one ordinary convolution, then four **depthwise-separable** blocks: a 3×3
filter per channel followed by a 1×1 mix of channels, about 8× cheaper than full 3×3 convolutions.
It answers one of the keywords, `_unknown_` (other words) or `_silence_` (noise).

There is no recorded dataset here: the training job **synthesises** one with espeak-ng (13 voice
variants × 5 accents, speeds 120–200 words/min, pitches 30–70) and **augments** it afresh every
epoch with white, pink or brown noise at 5–30 dB SNR, random gain and a random position in the
second; cut-off keyword fragments are taught as `_unknown_`. The **held-out** set uses two accents,
four variants, speeds and pitches the training set never has. After training, **static int8
quantisation** folds batch norm into the convolutions, measures activation ranges on calibration
clips and stores every weight and activation as 8-bit integers. To spot words in a longer clip, the
1 s window slides in 250 ms hops and runs of windows won by the same keyword become one detection."""

TOPICS = [
    ("keyword-spotting", "Keyword spotting and wake words"),
    ("cnn-spectrograms", "CNNs on spectrograms"),
    ("data-augmentation", "Data augmentation for audio"),
    ("model-optimisation", "Model optimisation: quantisation"),
    ("mel-mfcc-chroma", "Mel, MFCC and chroma"),
]


def _load(path: str | None):
    return load_clip(path, sr=SR, limits=LIMITS)


def training_params(keywords: str, epochs, per_word) -> dict:
    """The training job's params from the form (the engine validates the words)."""
    words = [w.strip().lower() for w in str(keywords or "").split(",") if w.strip()]
    return {
        "keywords": words or DEFAULT_KEYWORDS.split(", "),
        "epochs": int(epochs),
        "per_word": int(per_word),
    }


def render_training(version: str, losses: list[float], metrics: dict):
    """(learning curve, confusion matrix, float-vs-int8 rows, summary) of one training run."""
    from demos.keyword_spotting.analysis import comparison_rows, training_summary
    from demos.keyword_spotting.plots import confusion_figure, learning_curve_figure

    curve = learning_curve_figure(losses, metrics["held_out_accuracy_per_epoch"], metrics["chance_accuracy"])
    confusion = confusion_figure(metrics["confusion_int8"], metrics["labels"], "Held-out confusion (int8)")
    return curve, confusion, comparison_rows(metrics), training_summary(version, losses, metrics)


def train(keywords, epochs, per_word, *, request, progress=None, extra_params: dict | None = None):
    """Run the training job; return render_training's four outputs, from the job's result alone."""
    from demos.common import job_submit_and_wait

    params = {**training_params(keywords, epochs, per_word), **(extra_params or {})}
    job = job_submit_and_wait(
        request, "training", backend="kws-dscnn", params=params, origin=SLUG, progress=progress
    )
    return render_training(job.result["version"], job.result["losses"], job.result["metrics"])


def latest_training():
    """The newest version's results (its training.json, read here: no job), or empty outputs and a hint."""
    from workers.engines._kws_common import latest_curves, versions

    curves = latest_curves()
    if curves is None:
        return None, None, [], "No keyword model is trained yet: press Train (about two minutes)."
    return render_training(versions()[-1], curves["train_loss"], curves["metrics"])


def detect(path, threshold, precision, *, request, progress=None):
    """Run the spotter as a job; return (timeline figure, detection rows, summary)."""
    from demos.common import job_submit_and_wait
    from demos.keyword_spotting.analysis import detection_rows, detection_summary
    from demos.keyword_spotting.plots import timeline_figure

    samples = _load(path)
    params = {"threshold": float(threshold), "quantised": precision != "float32"}
    job = job_submit_and_wait(request, "keyword-spotting", backend="dscnn", audio={"audio": path}, params=params,
                  origin=SLUG, progress=progress)  # fmt: skip
    result = job.result
    return (
        timeline_figure(samples, SR, result),
        detection_rows(result),
        detection_summary(result, len(samples) / SR),
    )


def _best_label(audio):
    """1 s of 16 kHz audio → (label, probability) from the newest int8 model, in this process: the
    one torch use the web process allows, with the engine webapp/inprocess.py hands out for it."""
    from webapp.inprocess import live_keyword_spotter

    windows = live_keyword_spotter().scores(audio)
    row = windows.probabilities[-1]
    return windows.labels[int(row.argmax())], float(row.max())


def live_step(state, chunk, threshold, *, request):
    """One streamed microphone chunk → (state, markdown). The model runs here, not in a job: the
    declared, bounded exception of webapp/inprocess.py (signed-in users, 120 s a stream)."""
    import gradio as gr

    from demos.common import require_user
    from demos.keyword_spotting.analysis import LiveState, live_markdown, live_update, to_mono_float
    from workers.engines.base import EngineError

    if state is None:  # the first chunk of a stream: check the session once, not every 0.25 s
        require_user(request)
    state = state or LiveState()
    if chunk is None:
        return state, gr.skip()
    sr, data = chunk
    try:
        label, score = live_update(state, to_mono_float(sr, data), _best_label, float(threshold))
    except EngineError as exc:
        raise gr.Error(str(exc)) from exc
    return state, live_markdown(state, label, score)


def build():
    import gradio as gr

    from demos.common import exercise_block, how_it_works_markdown, model_card_markdown, with_django_db
    from demos.keyword_spotting.analysis import COMPARISON_HEADERS, DETECTION_HEADERS
    from demos.keyword_spotting.exercises import EXERCISES

    def train_clicked(keywords, epochs, per_word, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return train(keywords, epochs, per_word, request=request, progress=progress)

    def live_clicked(state, chunk, threshold, request: gr.Request):
        return live_step(state, chunk, threshold, request=request)

    def detect_clicked(path, threshold, precision, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return detect(path, threshold, precision, request=request, progress=progress)

    with gr.Blocks(title="Keyword spotting") as demo:
        gr.Markdown(
            "## Keyword spotting\nTrain a 23k-parameter depthwise-separable CNN on words the platform "
            "synthesises, squeeze it to int8, and see what that costs in accuracy and buys in speed."
        )
        with gr.Tab("1. Train"):
            with gr.Row():
                with gr.Column(scale=1):
                    keywords = gr.Textbox(DEFAULT_KEYWORDS, label="Keywords (comma-separated, up to 10)")
                    epochs = gr.Slider(2, 30, value=10, step=1, label="Epochs")
                    per_word = gr.Slider(20, 200, value=60, step=10, label="Synthetic recordings per word")
                    train_button = gr.Button(
                        "Train (a job: about 2 minutes with the defaults)", variant="primary"
                    )
                with gr.Column(scale=2):
                    summary = gr.Textbox(
                        label="Summary (what the plots and table show)", lines=5, interactive=False
                    )
                    table = gr.Dataframe(
                        headers=COMPARISON_HEADERS, label="float32 vs int8 on the CPU", interactive=False
                    )
            with gr.Row():
                curve = gr.Plot(label="Learning curve: training loss and held-out accuracy per epoch")
                confusion = gr.Plot(label="Confusion matrix on the held-out set")
        with gr.Tab("2. Spot keywords in a clip"), gr.Row():
            with gr.Column(scale=1):
                audio = gr.Audio(
                    sources=["upload", "microphone"], type="filepath", label="Clip (upload or record)"
                )
                gr.Examples(SAMPLES, inputs=[audio], label="Samples (a voice the model never heard)")
                threshold = gr.Slider(0.3, 0.95, value=0.6, step=0.05, label="Detection threshold")
                precision = gr.Radio(list(PRECISIONS), value="int8", label="Model")
                detect_button = gr.Button("Spot keywords", variant="primary")
            with gr.Column(scale=2):
                detect_summary = gr.Textbox(
                    label="Detections (what the timeline shows)", lines=3, interactive=False
                )
                timeline = gr.Plot(label="Timeline: waveform, detections and per-window keyword scores")
                detections = gr.Dataframe(headers=DETECTION_HEADERS, label="Detections", interactive=False)
        with gr.Tab("3. Live microphone"):
            gr.Markdown(
                "Allow the microphone, press record and say the keywords. Every 0.25 s the newest second "
                "of audio goes through the int8 model, here in the web process (no job: it is tiny)."
            )
            live_state = gr.State(None)
            mic = gr.Audio(
                sources=["microphone"], streaming=True, type="numpy", label="Microphone (streaming)"
            )
            live_threshold = gr.Slider(0.3, 0.95, value=0.7, step=0.05, label="Detection threshold")
            live_text = gr.Markdown("Now hearing: nothing yet.")
        train_button.click(with_django_db(train_clicked), [keywords, epochs, per_word],
                           [curve, confusion, table, summary], api_name="train")  # fmt: skip
        detect_button.click(with_django_db(detect_clicked), [audio, threshold, precision],
                            [timeline, detections, detect_summary], api_name="spot")  # fmt: skip
        mic.stream(with_django_db(live_clicked), [live_state, mic, live_threshold], [live_state, live_text],
                   stream_every=LIVE_CHUNK_SECONDS, time_limit=120, show_progress="hidden")  # fmt: skip
        demo.load(latest_training, None, [curve, confusion, table, summary])
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        with gr.Row():
            gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
            gr.Markdown(model_card_markdown("keyword-spotting", "dscnn"))
            gr.Markdown(model_card_markdown("training", "kws-dscnn"))
    return demo
