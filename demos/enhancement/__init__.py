"""Speech enhancement: a clean clip plus noise of a chosen kind at a chosen SNR → noisy → enhanced
(a job on NSNet2, RNNoise or spectral gating), scored against the clean clip with SI-SDR, PESQ and
STOI, with the three spectrograms side by side.

The mixing, the scores and the plots run in this process; the enhancer runs as a job (login needed).
"""

import tempfile
from pathlib import Path

import numpy as np

from demos.common import job_submit_and_wait, load_clip, result_path
from demos.enhancement.mixing import NOISE_KINDS, SR
from workers.audio_io import AudioLimits, load_audio

SLUG = "enhancement"
CAPABILITY = "enhancement"
DEFAULT_BACKEND = "nsnet2"
BACKENDS = ("nsnet2", "rnnoise", "spectral-gating")
LIMITS = AudioLimits(max_bytes=20_000_000, max_seconds=30.0)  # PESQ and STOI run in the web process
PAUSE_DB = -40.0  # frames this far below the clean clip's loudest frame count as pauses

HOW_IT_WORKS = """An enhancer estimates the clean speech inside a noisy recording. Most work on the
**STFT**: they predict a **gain (mask)** between 0 and 1 for every time-frequency bin and multiply.
**Spectral gating** (classic) measures a noise profile in the quietest frames and opens a bin only
when it stands clearly above it: good for steady noise, blind to noise that looks like speech.
**RNNoise** (a small GRU) predicts 22 band gains from hand-made features, light enough for calls.
**NSNet2** (the DNS Challenge baseline) predicts a gain per bin from a log-power spectrogram with
recurrent layers trained on hundreds of hours of noisy speech.

Three scores compare each version with the clean clip: **SI-SDR** (dB; how much of the signal is
the clean speech, ignoring loudness), **PESQ** (ITU-T P.862.2 wideband, a perceptual quality
model, about 1–4.64) and **STOI** (0–1, how well short-time envelopes correlate, which predicts
intelligibility). They disagree on purpose: a strong mask can raise SI-SDR while making speech
sound thin, which PESQ punishes."""

TOPICS = [
    ("speech-enhancement", "Speech enhancement and denoising"),
    ("noise-reduction-basics", "Classical noise reduction"),
]


def _examples() -> list[list]:
    from demos.samples import SPEECH_EN, SPEECH_EN_F, SPEECH_PAUSES

    return [[str(SPEECH_EN), "babble", 5], [str(SPEECH_PAUSES), "white", 0], [str(SPEECH_EN_F), "music", 10]]


def _load(path: str) -> np.ndarray:
    return load_clip(
        path, sr=SR, limits=LIMITS, missing="Record or upload a clean speech clip, or pick a sample first."
    )


def pause_levels(
    clean: np.ndarray, clips: dict[str, np.ndarray], frame: int = 512
) -> dict[str, float] | None:
    """Mean level (dB re the clean clip's loudest frame) of each clip in the frames where the clean
    clip is quiet: the noise a listener hears between words. None when the clip has no pauses."""
    frames = len(clean) // frame

    def energy(x: np.ndarray) -> np.ndarray:
        return np.mean(np.reshape(np.asarray(x[: frames * frame], np.float64), (frames, frame)) ** 2, axis=1)

    reference = energy(clean)
    quiet = 10 * np.log10(reference / reference.max() + 1e-12) < PAUSE_DB
    if quiet.sum() < 3:
        return None
    return {
        name: float(10 * np.log10(energy(x)[quiet].mean() / reference.max() + 1e-12))
        for name, x in clips.items()
    }


def summary_text(
    kind: str, snr: float, backend: str, table: list[list], pauses: dict[str, float] | None
) -> str:
    si, pesq, stoi = table
    lines = [
        f"{NOISE_KINDS[kind].split(' (')[0]} at {snr:g} dB SNR, enhanced by {backend}.",
        f"SI-SDR {si[1]} → {si[2]} dB ({si[3]}); PESQ {pesq[1]} → {pesq[2]} ({pesq[3]}); STOI {stoi[1]} → {stoi[2]} ({stoi[3]}).",
    ]
    if pauses:
        lines.append(
            f"In the pauses the noisy clip sits at {pauses['noisy']:.0f} dB and the enhanced one at "
            f"{pauses['enhanced']:.0f} dB (clean: {pauses['clean']:.0f} dB, relative to its loudest frame): "
            "the dark gaps between words in the right-hand spectrogram."
        )
    else:
        lines.append(
            "The clip has no pauses to measure the leftover noise in; compare the spectrograms' background."
        )
    return "\n".join(lines)


def enhance(clean_path, kind, snr, backend, *, request, progress=None):
    """Returns (noisy audio, enhanced path, score rows, figure, summary, noisy text, enhanced text, scores)."""
    import gradio as gr
    import soundfile as sf

    from demos.enhancement.metrics import score, scores_table
    from demos.enhancement.mixing import mix_at_snr, noise_clip
    from demos.enhancement.plots import spectrograms_figure

    clean = _load(clean_path)
    backend = backend or DEFAULT_BACKEND
    if kind not in NOISE_KINDS:
        raise gr.Error(f"Choose a noise type: {', '.join(NOISE_KINDS)}.")
    try:
        noisy, _ = mix_at_snr(clean, noise_clip(kind, len(clean)), float(snr))
    except ValueError as exc:
        raise gr.Error(str(exc)) from exc
    with tempfile.TemporaryDirectory() as tmp:
        noisy_path = Path(tmp) / "noisy.wav"
        sf.write(noisy_path, noisy, SR, subtype="FLOAT")  # float: the job hears exactly this mixture
        job = job_submit_and_wait(
            request, CAPABILITY, backend=backend, audio={"audio": noisy_path}, origin=SLUG, progress=progress
        )
    enhanced_path = result_path(job, "enhanced.wav")
    enhanced = load_audio(Path(enhanced_path), target_sr=SR).samples[: len(clean)]
    try:
        scores = {"noisy": score(clean, noisy), "enhanced": score(clean, enhanced)}
    except Exception as exc:  # PESQ refuses clips without detectable speech
        raise gr.Error(f"The clip could not be scored ({exc}); use a clip with clear speech.") from exc
    table = scores_table(scores["noisy"], scores["enhanced"])
    clips = {"clean": clean, "noisy": noisy, "enhanced": enhanced}
    figure = spectrograms_figure(
        {"Clean": clean, f"Noisy ({kind}, {float(snr):g} dB)": noisy, f"Enhanced ({backend})": enhanced}, SR
    )
    summary = summary_text(kind, float(snr), backend, table, pause_levels(clean, clips))
    noisy_alt = f"The clean clip with {NOISE_KINDS[kind]} added at {float(snr):g} dB SNR."
    enhanced_alt = f"The noisy clip after {backend}: SI-SDR {table[0][2]} dB (noisy {table[0][1]} dB); the same words, with less {kind} noise."
    return (SR, noisy), enhanced_path, table, figure, summary, noisy_alt, enhanced_alt, scores


def build():
    import gradio as gr

    from demos.common import exercise_block, how_it_works_markdown, model_card_markdown, with_django_db
    from demos.enhancement.exercises import EXERCISES

    def enhance_clicked(clean, kind, snr, backend, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return enhance(clean, kind, snr, backend, request=request, progress=progress)[:7]

    def backend_changed(backend):
        return model_card_markdown(CAPABILITY, backend)

    with gr.Blocks(title="Speech enhancement") as demo:
        gr.Markdown(
            "## Speech enhancement\nAdd noise to a clean clip, let an enhancer remove it, and score both "
            "versions against the original with SI-SDR, PESQ and STOI."
        )
        with gr.Row():
            with gr.Column(scale=1):
                clean = gr.Audio(
                    sources=["upload", "microphone"], type="filepath", label="Clean speech (up to 30 s)"
                )
                kind = gr.Radio(
                    [(label, key) for key, label in NOISE_KINDS.items()], value="babble", label="Noise type"
                )
                snr = gr.Slider(-5, 30, value=5, step=1, label="Signal-to-noise ratio (dB; lower = noisier)")
                gr.Examples(_examples(), inputs=[clean, kind, snr], label="Samples")
                backend = gr.Radio(list(BACKENDS), value=DEFAULT_BACKEND, label="Enhancer (backend)")
                go = gr.Button("Add noise and enhance", variant="primary")
            with gr.Column(scale=2):
                noisy = gr.Audio(label="Noisy", type="numpy", interactive=False)
                noisy_alt = gr.Textbox(label="Text alternative: the noisy clip", lines=1)
                enhanced = gr.Audio(label="Enhanced", type="filepath", interactive=False)
                enhanced_alt = gr.Textbox(label="Text alternative: the enhanced clip", lines=2)
                table = gr.Dataframe(
                    headers=["metric", "noisy", "enhanced", "change"], label="Scores against the clean clip",
                    interactive=False,
                )  # fmt: skip
                summary = gr.Textbox(label="What the numbers and spectrograms show", lines=4)
        plot = gr.Plot(label="Spectrograms: clean, noisy, enhanced (one colour scale)")
        go.click(
            with_django_db(enhance_clicked), [clean, kind, snr, backend],
            [noisy, enhanced, table, plot, summary, noisy_alt, enhanced_alt], api_name="enhance",
        )  # fmt: skip
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        with gr.Row():
            gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
            card = gr.Markdown(model_card_markdown(CAPABILITY, DEFAULT_BACKEND))
        backend.change(backend_changed, [backend], [card])
    return demo
