"""Text to speech: text → a job on a TTS engine → audio, with its phonemes, waveform and mel
spectrogram, voice/speed/pitch controls and pause markup.

Synthesis runs as a job (login needed); the text checks, the pause measurement and the plots run
in this process on the returned WAV.
"""

from demos.tts.text import PAUSE_SYNTAX, TextRefused, prepare_text, spoken_words
from workers.audio_io import load_audio

SLUG = "tts"
CAPABILITY = "tts"
DEFAULT_BACKEND = "piper"
EXAMPLE_TEXTS = [
    [
        "Sound is a pressure wave. [pause 700ms] A spectrogram shows how its energy moves across frequency and time."
    ],
    ["Wait for it... now! Did you hear the pause?"],
    ["The quick brown fox jumps over the lazy dog, and the dog does not seem to mind."],
]

HOW_IT_WORKS = """Every TTS system has a **front-end** that turns text into phonemes (here espeak-ng's
rules for both engines: numbers and abbreviations are expanded, then each word is looked up or
converted by letter-to-sound rules) and a **back-end** that turns phonemes into sound.

**espeak-ng** is the classic back-end: hand-written duration and intonation rules drive a formant
synthesiser, so it is intelligible, fast and robotic. **Piper** is a neural back-end: VITS predicts
a duration for each phoneme (speed divides it), generates a mel-like latent and a HiFi-GAN-style
decoder turns it into a waveform, end to end. Pitch here is a control of espeak-ng's base pitch, but
for Piper a phase-vocoder shift after synthesis (VITS has no pitch input), so big shifts sound
metallic. The **mel spectrogram** below is what acoustic models predict: look for the harmonics
of voiced sounds, the noise of fricatives (s, sh) and the silent gaps of pauses."""

TOPICS = [
    ("tts-pipeline", "The TTS pipeline"),
    ("end-to-end-tts", "End-to-end TTS: VITS"),
    ("prosody-control", "Prosody and style control"),
]


def available_backends() -> list[str]:
    from workers.engines.registry import engine_availability, engine_classes

    return [cls.backend for cls in engine_classes(CAPABILITY) if engine_availability(cls).available]


def voice_choices(backend: str) -> list[tuple[str, str]]:
    """(label, voice id) from the engine's own voices(); torch models are not loaded in the web
    process for this, so they offer their default voice only."""
    from workers.engines.registry import engine_class

    cls = engine_class(CAPABILITY, backend)
    if cls.uses_torch:
        return [("the model's default voice", "")]
    voices = cls(device="cpu").voices()
    choices = [(f"{v.name} ({v.id})", v.id) for v in voices]
    if backend == "espeak-ng":  # variants change the formant tables: a second voice per accent
        choices += [("English (America), female variant (en-us+f3)", "en-us+f3")]
    return choices


def speak(text, backend, voice, speed, pitch, *, request, progress=None):
    """Returns (audio path, text alternative, phonemes, figure, summary, notes, download path)."""
    import gradio as gr

    from demos.common import job_submit_and_wait, result_path
    from demos.tts.analysis import summarise
    from demos.tts.plots import speech_figure

    backend = backend or DEFAULT_BACKEND
    try:
        prepared = prepare_text(text, backend)
    except TextRefused as exc:
        raise gr.Error(str(exc)) from exc
    params = {"voice": voice or None, "speed": float(speed), "pitch_semitones": float(pitch)}
    job = job_submit_and_wait(
        request,
        CAPABILITY,
        backend=backend,
        text=prepared.text,
        params=params,
        origin=SLUG,
        progress=progress,
    )
    path = result_path(job, "speech.wav")
    audio = load_audio(path, target_sr=None)
    words = spoken_words(prepared.text)
    summary = summarise(audio.samples, audio.sample_rate, words)
    figure = speech_figure(audio.samples, audio.sample_rate, summary.pauses)
    alternative = f"Spoken by {backend} ({voice or 'default voice'}), speed {float(speed):g}, pitch {float(pitch):+g} st: “{words}”"
    notes = "\n".join(f"- {n}" for n in prepared.notes) or "The whole text could be read as written."
    return path, alternative, job.result["phonemes"], figure, summary.text(), notes, path


def backend_changed(backend):
    """New voice list and model card for the chosen engine."""
    import gradio as gr

    from demos.common import model_card_markdown

    choices = voice_choices(backend)
    return gr.update(choices=choices, value=choices[0][1]), model_card_markdown(CAPABILITY, backend)


def build():
    import gradio as gr

    from demos.common import (
        exercise_block,
        how_it_works_markdown,
        model_card_markdown,
        synthetic_audio_notice,
        with_django_db,
    )
    from demos.tts.exercises import EXERCISES

    def speak_clicked(text, backend, voice, speed, pitch, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return speak(text, backend, voice, speed, pitch, request=request, progress=progress)

    backends = available_backends()
    default = DEFAULT_BACKEND if DEFAULT_BACKEND in backends else (backends or [DEFAULT_BACKEND])[0]
    voices = voice_choices(default) if backends else []
    with gr.Blocks(title="Text to speech") as demo:
        gr.Markdown(
            "## Text to speech\nType a sentence, choose an engine and a voice, and see the phonemes, "
            "the waveform and the mel spectrogram of what it says."
        )
        with gr.Row():
            with gr.Column(scale=1):
                text = gr.Textbox(
                    label="Text to speak", lines=4, max_lines=12,
                    placeholder="Type up to 1,000 characters. [pause 500ms] adds a pause.",
                )  # fmt: skip
                gr.Examples(EXAMPLE_TEXTS, inputs=[text], label="Sample texts")
                gr.Markdown(PAUSE_SYNTAX)
                backend = gr.Radio(backends, value=default, label="Engine (backend)")
                voice = gr.Dropdown(voices, value=voices[0][1] if voices else None, label="Voice")
                speed = gr.Slider(
                    0.5, 2.0, value=1.0, step=0.1, label="Speed (1 = normal; 2 = twice as fast)"
                )
                pitch = gr.Slider(
                    -4, 9, value=0, step=1,
                    label="Pitch shift (semitones; espeak-ng measured range −4.9 to +9)",
                )  # fmt: skip
                go = gr.Button("Speak", variant="primary")
            with gr.Column(scale=2):
                audio = gr.Audio(
                    label="Synthesised speech (AI-generated)", type="filepath", interactive=False
                )
                gr.Markdown(synthetic_audio_notice("tts"))
                alternative = gr.Textbox(label="Text alternative: what the audio says", lines=2)
                notes = gr.Markdown()
                phonemes = gr.Textbox(
                    label="Phonemes the engine spoke (Piper: IPA; espeak-ng: its ASCII mnemonics; ˈ = stress)",
                    lines=3,
                )
                summary = gr.Textbox(label="What the plot shows (pauses, loudness, rate)", lines=3)
                plot = gr.Plot(label="Waveform and mel spectrogram of the output")
                download = gr.File(label="Download the WAV")
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        with gr.Row():
            gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
            card = gr.Markdown(model_card_markdown(CAPABILITY, default))
        backend.change(backend_changed, [backend], [voice, card])
        go.click(
            with_django_db(speak_clicked), [text, backend, voice, speed, pitch],
            [audio, alternative, phonemes, plot, summary, notes, download], api_name="speak",
        )  # fmt: skip
    return demo
