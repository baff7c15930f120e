"""Speech recognition: a transcript with word timings on the waveform, WER with its alignment against
a reference, white noise at a chosen SNR, a choice of recognisers, and CTC's frame-level output.

Recognition runs as a job (login needed); noise, WER alignment and plots run in this process.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demos.common import load_clip
from demos.samples import (
    SPEECH_EN,
    SPEECH_EN_F,
    SPEECH_EN_F_TEXT,
    SPEECH_EN_TEXT,
    SPEECH_PAUSES,
    SPEECH_PAUSES_TEXT,
)
from workers.audio_io import AudioLimits

SR = 16000
LIMITS = AudioLimits(max_bytes=20_000_000, max_seconds=120.0)
SAMPLES = [
    [str(SPEECH_EN), SPEECH_EN_TEXT],
    [str(SPEECH_EN_F), SPEECH_EN_F_TEXT],
    [str(SPEECH_PAUSES), SPEECH_PAUSES_TEXT],
]
WORD_HEADERS = ["word", "start (s)", "end (s)", "duration (s)", "confidence"]
DEFAULT_BACKEND = "faster-whisper"

HOW_IT_WORKS = """A recogniser turns 16 kHz audio into log-mel features (10-20 ms frames) and then into
words. **Whisper** (the default, tiny.en) is an encoder-decoder transformer: the decoder writes text
tokens one by one, and word times come from where its attention looked. **PocketSphinx** is the
classic pipeline: hidden Markov models of phones with Gaussian mixtures, a pronouncing dictionary
and an n-gram language model searched together. A **CTC** model (wav2vec2-style, when one is
installed) labels every 20 ms frame with a letter or a *blank*, and the text is what remains after
merging repeats and dropping blanks. **WER** counts the fewest word substitutions (S), deletions (D)
and insertions (I) that turn the transcript into the reference, divided by the reference length N."""

TOPICS = [
    ("asr-pipeline", "The ASR pipeline and WER"),
    ("ctc", "Connectionist Temporal Classification"),
    ("whisper", "Whisper"),
    ("hmm-gmm", "HMM/GMM models"),
]


def available_backends() -> list[tuple[str, str]]:
    """(label, backend) of every ASR backend that can run here; hub ones appear only when installed."""
    from workers.engines.registry import engine_availability, engine_classes

    return [
        (f"{cls.card.engine} [{cls.backend}]", cls.backend)
        for cls in engine_classes("asr")
        if engine_availability(cls).available
    ]


def default_backend(choices: list[tuple[str, str]]) -> str | None:
    backends = [b for _, b in choices]
    return DEFAULT_BACKEND if DEFAULT_BACKEND in backends else (backends[0] if backends else None)


def _load(path: str | None):
    return load_clip(path, sr=SR, limits=LIMITS)


@dataclass(frozen=True)
class Recognition:
    """Everything the page shows after one run."""

    backend: str
    transcript: str
    heard: tuple[int, Any]  # (sample rate, float32 samples): what the recogniser was given
    heard_text: str  # the text alternative of that audio
    figure: Any
    plot_summary: str
    word_rows: list[list]
    wer_markdown: str
    frame_markdown: str


def wer_markdown(reference: str, transcript: str) -> str:
    from demos.asr.wer import align, alignment_text

    if not reference.strip():
        return "*Type the words actually spoken into **Reference text** to score the transcript (WER).*"
    try:
        alignment = align(reference, transcript)
    except ValueError as exc:
        return f"*{exc}*"
    return (
        f"**{alignment.summary()}**\n\nWord-by-word alignment (case and punctuation ignored; errors in "
        f"capitals, `*` where a word is missing; S substitution, D deletion, I insertion):\n\n"
        f"```\n{alignment_text(alignment)}\n```"
    )


def recognise(path, backend, reference, add_noise, snr_db, *, request, progress=None) -> Recognition:
    """Add noise if asked, transcribe as a job, and build the transcript views."""
    from demos.asr.ctc import frame_labels_markdown
    from demos.asr.plots import words_figure, words_summary
    from demos.common import job_submit_and_wait
    from demos.noise import add_white_noise, write_wav

    clean = _load(path)
    samples = add_white_noise(clean, float(snr_db)) if add_noise else clean
    with tempfile.TemporaryDirectory() as folder:
        job_input = write_wav(samples, SR, Path(folder), "noisy.wav") if add_noise else Path(path)
        job = job_submit_and_wait(
            request, "asr", backend=backend or None, audio={"audio": job_input}, origin="asr",
            progress=progress,
        )  # fmt: skip
    result = job.result
    words, text, duration = result["words"], result["text"], len(samples) / SR
    condition = f"white noise added at {float(snr_db):g} dB SNR" if add_noise else "no noise added"
    heard_text = (
        f"The clip as the recogniser heard it ({condition}, {duration:.2f} s). Transcript: {text or '(none)'}"
    )
    rows = [
        [w["word"], w["start"], w["end"], round(w["end"] - w["start"], 3), w.get("probability")]
        for w in words
    ]
    return Recognition(
        backend=job.backend,
        transcript=text,
        heard=(SR, samples),
        heard_text=heard_text,
        figure=words_figure(samples, SR, words, f"Word timings from {job.backend} ({condition})"),
        plot_summary=words_summary(words, duration),
        word_rows=rows,
        wer_markdown=wer_markdown(reference or "", text),
        frame_markdown=frame_labels_markdown(result.get("frame_labels") or [], duration, job.backend),
    )


def build():
    import gradio as gr

    from demos.asr.exercises import EXERCISES
    from demos.common import exercise_block, how_it_works_markdown, model_card_markdown, with_django_db

    choices = available_backends()
    first = default_backend(choices)

    def recognise_clicked(
        path,
        backend,
        reference,
        add_noise,
        snr_db,
        request: gr.Request,
        progress=gr.Progress(),  # noqa: B008 - Gradio injects its tracker where the default is one
    ):
        r = recognise(path, backend, reference, add_noise, snr_db, request=request, progress=progress)
        return (
            r.transcript, r.heard, r.heard_text, r.figure, r.plot_summary, r.word_rows, r.wer_markdown,
            r.frame_markdown,
        )  # fmt: skip

    with gr.Blocks(title="Speech recognition") as demo:
        gr.Markdown(
            "## Speech recognition\nAudio in, words out, with the time of every word. Score it against "
            "what was really said, then make it harder with noise."
        )
        with gr.Row():
            with gr.Column(scale=1):
                audio = gr.Audio(
                    sources=["upload", "microphone"], type="filepath", label="Clip (upload or record)"
                )
                reference = gr.Textbox(
                    label="Reference text (what was really said; optional, for WER)", lines=2
                )
                gr.Examples(SAMPLES, inputs=[audio, reference], label="Samples (reference text filled in)")
                backend = gr.Dropdown(choices=choices, value=first, label="Recogniser")
                add_noise = gr.Checkbox(label="Add white noise before recognising")
                snr = gr.Slider(
                    -5, 40, value=10, step=1, label="Signal-to-noise ratio (dB) of the added noise"
                )
                go = gr.Button("Transcribe", variant="primary")
            with gr.Column(scale=2):
                transcript = gr.Textbox(label="Transcript", lines=2, interactive=False)
                wer = gr.Markdown()
                plot = gr.Plot(label="Waveform with word spans")
                plot_summary = gr.Textbox(label="What the plot shows", lines=2, interactive=False)
        with gr.Row():
            with gr.Column(scale=1):
                word_table = gr.Dataframe(
                    headers=WORD_HEADERS, label="Words and their times", interactive=False
                )
            with gr.Column(scale=1):
                heard = gr.Audio(label="What the recogniser heard", type="numpy", interactive=False)
                heard_text = gr.Markdown()
        with gr.Accordion("Frame-level output before collapsing (CTC models)", open=False):
            frames = gr.Markdown("*Run a transcription first.*")
        go.click(
            with_django_db(recognise_clicked),
            [audio, backend, reference, add_noise, snr],
            [transcript, heard, heard_text, plot, plot_summary, word_table, wer, frames],
            api_name="transcribe",
        )
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        with gr.Row():
            gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
            card = gr.Markdown(model_card_markdown("asr", first))
        backend.change(lambda b: model_card_markdown("asr", b), [backend], [card])
    return demo
