"""Voice conversion: source speech + a target voice → the source's words in the target's voice,
with the F0 contours and average spectral envelopes of all three clips, and the speaker
similarity of the result to the target and to the source.

Consent holds here as in cloning: the target is a shipped synthetic voice, or the reference of
the learner's own consent recording verified in the voice-cloning demo — never an arbitrary
upload (converting someone's words into a person's voice is cloning by another route).

Conversion and the similarity scores run as jobs (login needed); the WORLD analysis behind the
plots is light DSP and runs in this process on the returned WAV.
"""

from pathlib import Path

from demos.common import job_submit_and_wait, result_path
from workers.audio_io import AudioInputError, AudioLimits, load_audio

SLUG = "voice-conversion"
CAPABILITY = "voice-conversion"
DEFAULT_BACKEND = "world"
LIMITS = AudioLimits(max_bytes=20_000_000, max_seconds=60.0)

HOW_IT_WORKS = """Voice conversion keeps **what** is said (the words, their timing) and changes **who**
says it. The classic **WORLD** route, used here, splits speech into three streams: the **F0
contour** (pitch over time), the **spectral envelope** (the vocal tract's resonances, the
formants) and the **aperiodicity** (breathiness). It maps the source's log-F0 to the target's mean
and spread, stretches the envelope's frequency axis by the ratio of the two voices' formant
centroids (a shorter vocal tract puts every formant higher), gives it the target's long-term
tilt, and resynthesises. Look at the plots: the converted F0 should sit on the target's, and its
envelope should move toward the target's.

Neural converters (FreeVC, kNN-VC) instead take **content** features from a self-supervised
model (WavLM), which carry little speaker identity, and resynthesise them with the target's
speaker embedding or frames. They copy voice quality too, which pitch and formant scaling cannot.
The **speaker encoder** (GE2E) is the judge: similarity to the target should rise; similarity to
the source shows how much of the old identity survived."""

TOPICS = [
    ("voice-conversion", "Voice conversion"),
    ("speaker-verification", "Speaker verification"),
    ("neural-vocoders", "Neural vocoders"),
]


CONSENTED_VOICE = "My consented voice (the reference verified in the voice-cloning demo)"


def shipped_target_voices() -> dict[str, Path]:
    """Target voices anyone may convert toward: the shipped synthetic (espeak-ng) voices."""
    from demos.samples import SPEECH_EN, SPEECH_EN_F
    from demos.speaker_verification.speaker_set import shipped_speaker_set

    return {
        "espeak-ng en-us+f3 (female, speech_en_f.wav)": SPEECH_EN_F,
        "espeak-ng en-us (male, speech_en.wav)": SPEECH_EN,
        "espeak-ng en-gb+f3 (British female, shipped speaker set)": shipped_speaker_set().clip(
            "gb-female", 0
        ),
    }


def target_choices() -> list[str]:
    return [*shipped_target_voices(), CONSENTED_VOICE]


def target_path(choice: str, *, user) -> str:
    """The file behind a target choice; anything but a shipped voice or the user's consented voice
    is refused before any job runs."""
    import gradio as gr

    from demos.voice_cloning.services import ConsentRefused, consent_recording_latest_verified

    shipped = shipped_target_voices()
    if choice in shipped:
        return str(shipped[choice])
    if choice == CONSENTED_VOICE:
        try:
            return consent_recording_latest_verified(user=user).reference.path
        except ConsentRefused as exc:
            raise gr.Error(str(exc)) from exc
    raise gr.Error(
        "Pick a target voice from the list: a shipped synthetic voice, or your own voice after consent in the "
        "voice-cloning demo. Converting toward anyone else's voice needs that person's checked consent."
    )


def _examples() -> list[list[str]]:
    from demos.samples import SPEECH_EN, SPEECH_EN_F

    female, male, british = shipped_target_voices()
    return [[str(SPEECH_EN), female], [str(SPEECH_EN_F), male], [str(SPEECH_EN), british]]


def _samples(path: str):
    import gradio as gr

    from demos.voice_conversion.analysis import SR

    try:
        return load_audio(Path(path), target_sr=SR, limits=LIMITS).samples
    except AudioInputError as exc:
        raise gr.Error(str(exc)) from exc


def _score(request, a: str, b: str, progress) -> float:
    job = job_submit_and_wait(
        request, "speaker-embedding", audio={"enrolment": a, "test": b}, origin=SLUG, progress=progress
    )
    return float(job.result["score"])


def similarity_markdown(to_target: float, to_source: float, before: float) -> str:
    rise = to_target - before
    return (
        f"**Similarity to the target: {to_target:.3f}** (the source scored {before:.3f} against it: "
        f"{rise:+.3f}). **Similarity to the source: {to_source:.3f}.** "
        + (
            "The result now sounds more like the target than like the source to the encoder."
            if to_target > to_source
            else "To the encoder the result is still closer to the source than to the target: the identity mostly survived."
        )
    )


def convert(source, target_choice, *, request, progress=None):
    """Returns (converted path, text alternative, figure, plot summary, similarity markdown, scores)."""
    import gradio as gr

    from demos.common import require_user
    from demos.voice_conversion.analysis import profiles_summary, voice_profile
    from demos.voice_conversion.plots import profiles_figure

    user = require_user(request)
    if not source or not target_choice:
        raise gr.Error("Give the source speech and pick a target voice.")
    target = target_path(target_choice, user=user)
    job = job_submit_and_wait(
        request, CAPABILITY, backend=DEFAULT_BACKEND, audio={"source": source, "target": target},
        origin=SLUG, progress=progress,
    )  # fmt: skip
    converted = result_path(job, "converted.wav")
    scores = {
        "to target": _score(request, target, converted, progress),
        "to source": _score(request, source, converted, progress),
        "before": _score(request, target, source, progress),
    }
    try:
        profiles = {
            name: voice_profile(_samples(p))
            for name, p in (("source", source), ("target", target), ("converted", converted))
        }
    except ValueError as exc:
        raise gr.Error(str(exc)) from exc
    alternative = (
        f"The source clip's words, resynthesised by WORLD with the target's pitch range "
        f"(median {profiles['converted'].median_f0:.0f} Hz) and formant scale; {job.result['duration']:.1f} s."
    )
    markdown = similarity_markdown(scores["to target"], scores["to source"], scores["before"])
    return converted, alternative, profiles_figure(profiles), profiles_summary(profiles), markdown, scores


def build():
    import gradio as gr

    from demos.common import (
        exercise_block,
        how_it_works_markdown,
        model_card_markdown,
        synthetic_audio_notice,
        with_django_db,
    )
    from demos.voice_conversion.exercises import EXERCISES

    def convert_clicked(source, target, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return convert(source, target, request=request, progress=progress)[:5]

    with gr.Blocks(title="Voice conversion") as demo:
        gr.Markdown(
            "## Voice conversion\nSay the source's words in the target's voice, and see what moved: pitch, "
            "formants, and the speaker encoder's verdict."
        )
        with gr.Row():
            with gr.Column(scale=1):
                source = gr.Audio(
                    sources=["upload", "microphone"], type="filepath", label="Source speech (the words)"
                )
                target = gr.Dropdown(
                    target_choices(),
                    value=target_choices()[0],
                    label="Target voice (shipped, or yours with consent)",
                )
                gr.Examples(
                    _examples(), inputs=[source, target],
                    label="Samples: male → female · female → male · male → British female (all espeak-ng)",
                )  # fmt: skip
                go = gr.Button("Convert", variant="primary")
            with gr.Column(scale=2):
                converted = gr.Audio(
                    label="Converted speech (AI-generated)", type="filepath", interactive=False
                )
                gr.Markdown(synthetic_audio_notice(CAPABILITY))
                alternative = gr.Textbox(label="Text alternative: what the audio is", lines=2)
                similarity = gr.Markdown()
                summary = gr.Textbox(label="What the plots show", lines=5)
                plot = gr.Plot(label="F0 contours and average spectral envelopes")
        go.click(
            with_django_db(convert_clicked), [source, target], [converted, alternative, plot, summary, similarity],
            api_name="convert",
        )  # fmt: skip
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        with gr.Row():
            gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
            gr.Markdown(model_card_markdown(CAPABILITY, DEFAULT_BACKEND))
    return demo
