"""Voice cloning, consent-gated: the reference speaker reads a one-time random phrase; a recogniser
checks the words and a speaker encoder checks the voice; only then is text spoken in that voice,
and the clone is scored against the reference with the same encoder.

Every model runs as a job (login needed). The reference is cloned from the copy kept with the
consent record (not from whatever is in the upload box later), and that copy is deleted after
VOICE_CLONING_RETENTION_HOURS (manage.py purge_voice_references).
"""

from pathlib import Path

from demos.common import job_submit_and_wait, result_path, stored_file_local_path
from demos.samples import SPEECH_EN, SPEECH_EN_F

SLUG = "voice-cloning"
CAPABILITY = "voice-cloning"
DEFAULT_BACKEND = "piper-world"
MAX_TEXT_CHARS = 300
ESPEAK_CONSENT_WPM_FACTOR = 0.8  # 140 words a minute: a list of words read slowly, one by one
# Reading voices for the one-click path: the espeak-ng voices the shipped reference samples were made with.
SAMPLE_READERS = {
    "espeak-ng en-us (the voice of the first sample)": "en-us",
    "espeak-ng en-us+f3 (the voice of the second sample)": "en-us+f3",
}
EXAMPLE_TEXTS = [
    ["Thank you for calling. Your appointment is confirmed for Tuesday morning."],
    ["A cloned voice copies how someone sounds, never whether they agreed to say it."],
]

HOW_IT_WORKS = """**Zero-shot cloning** speaks new text in a voice heard only in a short reference
clip. This server's default is the classic route: **Piper** (a VITS voice, "joe") speaks the text,
then **WORLD** analyses it into pitch, spectral envelope and aperiodicity and moves the pitch
statistics, the formant scale (vocal-tract length) and the spectral tilt toward the reference's
before resynthesising. Modern systems (XTTS, VALL-E, YourTTS) condition one model on a speaker
embedding or on the reference's codec tokens and get far closer.

Because a voice is personal data and cloning can impersonate, this demo asks for **consent you
can check**: the reference speaker reads a random phrase made just now (a recording made before
cannot contain it). A recogniser (Whisper tiny.en) must hear at least 80 % of its words in order,
and a speaker encoder (GE2E) must score the reading and the reference clip as the same voice. The
**similarity** of the clone to the reference is measured with the same encoder: a high score means
the encoder is fooled, which is exactly why verification systems need anti-spoofing."""

TOPICS = [
    ("voice-cloning", "Voice cloning"),
    ("multi-speaker-tts", "Multi-speaker TTS"),
    ("speaker-verification", "Speaker verification"),
]


def _user_or_error(request):
    from demos.common import require_user

    return require_user(request)


def _refusal(exc):
    import gradio as gr

    return gr.Error(str(exc))


def phrase_markdown(phrase: str) -> str:
    return (
        f"### Read this aloud, in the reference voice:\n\n> **{phrase}**\n\n"
        "Record it below (one take, clear and unhurried). The phrase works once and for 15 minutes."
    )


def new_phrase(*, request) -> tuple[str, str]:
    """A fresh one-time phrase for the logged-in user: (markdown to show, nonce to keep)."""
    from demos.voice_cloning.services import consent_challenge_issue

    challenge = consent_challenge_issue(user=_user_or_error(request))
    return phrase_markdown(challenge.phrase), challenge.nonce


def sample_reading(nonce: str, reader: str, *, request, progress=None) -> str:
    """The phrase read by a shipped espeak-ng voice (a TTS job), for trying the demo in one click."""
    import gradio as gr

    from demos.voice_cloning.services import ConsentRefused, consent_challenge_open

    try:
        challenge = consent_challenge_open(user=_user_or_error(request), nonce=nonce)
    except ConsentRefused as exc:
        raise _refusal(exc) from exc
    voice = SAMPLE_READERS.get(reader) or reader
    if voice not in SAMPLE_READERS.values():
        raise gr.Error("Pick one of the sample voices.")
    job = job_submit_and_wait(
        request, "tts", backend="espeak-ng", text=challenge.phrase,
        params={"voice": voice, "speed": ESPEAK_CONSENT_WPM_FACTOR}, origin=SLUG, progress=progress,
    )  # fmt: skip
    return result_path(job, "speech.wav")


def consent_message(recording) -> str:
    """Which checks passed, with the numbers behind each."""
    from demos.voice_cloning.phrases import MATCH_THRESHOLD

    words = (
        f"{'✅' if recording.phrase_verified else '❌'} **Words:** the recogniser heard “{recording.transcript.strip()}”: "
        f"{recording.phrase_match:.0%} of the phrase's words in order (at least {MATCH_THRESHOLD:.0%} needed)."
    )
    voice = (
        f"{'✅' if recording.voice_verified else '❌'} **Voice:** the speaker encoder scores the reading against the "
        f"reference clip at {recording.voice_score:.3f} (at least {recording.voice_threshold:.2f} needed for the same voice)."
    )
    if recording.verified:
        verdict = "**Consent verified.** You can now clone this reference voice."
    else:
        failed = [
            name
            for name, ok in (("words", recording.phrase_verified), ("voice", recording.voice_verified))
            if not ok
        ]
        hint = {
            "words": "read the new phrase exactly as shown",
            "voice": "the reading must be by the same person as the reference clip",
        }
        verdict = (
            f"**Consent refused: the {' and '.join(failed)} check{'s' if len(failed) > 1 else ''} failed.** "
            f"A new phrase is shown above; {'; '.join(hint[f] for f in failed)}."
        )
    return f"{verdict}\n\n{words}\n\n{voice}"


def check_consent(reference, consent, nonce, *, request, progress=None):
    """Run both checks (an ASR job and a speaker-embedding job) and keep the record.
    Returns (message, recording id or None, phrase markdown, nonce): a failure spends the phrase
    and shows a new one."""
    import gradio as gr

    from demos.voice_cloning.services import (
        ConsentRefused,
        consent_challenge_issue,
        consent_challenge_open,
        consent_recording_create,
    )

    user = _user_or_error(request)
    if not reference or not consent:
        raise gr.Error("Give both clips: the reference voice to clone and the recording of the phrase.")
    try:
        challenge = consent_challenge_open(user=user, nonce=nonce)
    except ConsentRefused as exc:
        raise _refusal(exc) from exc
    heard = job_submit_and_wait(request, "asr", audio={"audio": consent}, origin=SLUG, progress=progress)
    voice = job_submit_and_wait(
        request, "speaker-embedding", audio={"enrolment": reference, "test": consent},
        origin=SLUG, progress=progress,
    )  # fmt: skip
    try:
        recording = consent_recording_create(
            user=user, challenge=challenge, reference_path=Path(reference), consent_path=Path(consent),
            transcript=heard.result["text"], voice_score=float(voice.result["score"]),
            voice_threshold=float(voice.result["threshold"]),
        )  # fmt: skip
    except ConsentRefused as exc:
        raise _refusal(exc) from exc
    if recording.verified:
        return consent_message(recording), recording.pk, phrase_markdown(challenge.phrase), challenge.nonce
    fresh = consent_challenge_issue(user=user)
    return consent_message(recording), None, phrase_markdown(fresh.phrase), fresh.nonce


def clone(text, recording_id, *, request, progress=None):
    """Speak `text` in the consented reference voice (a voice-cloning job), then score the clone
    against the reference (a speaker-embedding job). Returns (audio path, text alternative,
    similarity markdown, score)."""
    import gradio as gr

    from demos.voice_cloning.services import ConsentRefused, consent_recording_for_cloning

    user = _user_or_error(request)
    try:
        recording = consent_recording_for_cloning(user=user, recording_id=recording_id)
    except ConsentRefused as exc:
        raise _refusal(exc) from exc
    text = (text or "").strip()
    if not text:
        raise gr.Error("Type the text the cloned voice should say.")
    if len(text) > MAX_TEXT_CHARS:
        raise gr.Error(f"The text has {len(text)} characters; at most {MAX_TEXT_CHARS} here.")
    reference = stored_file_local_path(recording.reference, folder=f"voice-cloning/{recording.pk}")
    job = job_submit_and_wait(
        request, CAPABILITY, backend=DEFAULT_BACKEND, audio={"reference": reference}, text=text,
        params={"consent_recording": recording.pk}, origin=SLUG, progress=progress,
    )  # fmt: skip
    cloned = result_path(job, "cloned.wav")
    scored = job_submit_and_wait(
        request, "speaker-embedding", audio={"enrolment": reference, "test": cloned},
        origin=SLUG, progress=progress,
    )  # fmt: skip
    return cloned, *similarity_report(text, float(scored.result["score"]), float(scored.result["threshold"]))


def similarity_report(text: str, score: float, threshold: float) -> tuple[str, str, float]:
    alternative = f"The text “{text}” spoken by Piper's joe voice converted toward the reference voice ({DEFAULT_BACKEND})."
    accepted = score >= threshold
    markdown = (
        f"**Speaker similarity of the clone to the reference: {score:.3f}** (cosine of GE2E embeddings). "
        f"{'At or above' if accepted else 'Below'} the verification threshold {threshold:.2f}: a speaker-verification "
        f"system would {'accept the clone as the reference speaker' if accepted else 'reject the clone'}. "
        f"{shipped_scale()}"
    )
    return alternative, markdown, score


def shipped_scale() -> str:
    """The shipped speaker set's mean scores, so a learner can place the clone's score."""
    from demos.speaker_verification.speaker_set import shipped_speaker_set

    target, nontarget = shipped_speaker_set().scores()
    return (
        f"For scale, on the shipped espeak-ng speaker set: same voice, different sentences average "
        f"{target.mean():.2f}; different voices average {nontarget.mean():.2f}."
    )


def build():
    import gradio as gr

    from demos.common import (
        exercise_block,
        how_it_works_markdown,
        model_card_markdown,
        synthetic_audio_notice,
        with_django_db,
    )
    from demos.voice_cloning.exercises import EXERCISES

    def phrase_clicked(request: gr.Request):
        return new_phrase(request=request)

    def reading_clicked(nonce, reader, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return sample_reading(nonce, reader, request=request, progress=progress)

    def check_clicked(reference, consent, nonce, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return check_consent(reference, consent, nonce, request=request, progress=progress)

    def clone_clicked(text, recording_id, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return clone(text, recording_id, request=request, progress=progress)[:3]

    with gr.Blocks(title="Voice cloning (consent-gated)") as demo:
        gr.Markdown(
            "## Voice cloning, with consent\nClone a voice only after its owner has read a phrase made for this "
            "session, then measure how close the clone gets. Samples are synthetic espeak-ng voices; never clone "
            "someone who has not agreed."
        )
        nonce = gr.State("")
        recording_id = gr.State(None)
        with gr.Row():
            with gr.Column():
                gr.Markdown("**1. The voice to clone** (at least 3 s of speech)")
                reference = gr.Audio(
                    sources=["upload", "microphone"], type="filepath", label="Reference clip"
                )
                gr.Examples(
                    [[str(SPEECH_EN)], [str(SPEECH_EN_F)]],
                    inputs=[reference],
                    label="Sample voices (espeak-ng)",
                )
            with gr.Column():
                gr.Markdown("**2. Consent: the same speaker reads a fresh phrase**")
                get_phrase = gr.Button("Give me a phrase to read")
                phrase = gr.Markdown("*No phrase yet.*")
                consent = gr.Audio(
                    sources=["microphone", "upload"], type="filepath", label="Recording of the phrase"
                )
                with gr.Row():
                    reader = gr.Dropdown(
                        list(SAMPLE_READERS),
                        value=next(iter(SAMPLE_READERS)),
                        label="Or let a sample voice read it",
                    )
                    read = gr.Button("Read it with the sample voice")
                gr.Markdown(synthetic_audio_notice("tts"))
                check = gr.Button("Check consent", variant="primary")
        verdict = gr.Markdown()
        gr.Markdown("**3. Text to speak in the consented voice**")
        with gr.Row():
            with gr.Column():
                text = gr.Textbox(
                    label="Text", lines=3, max_lines=6, placeholder=f"Up to {MAX_TEXT_CHARS} characters."
                )
                gr.Examples(EXAMPLE_TEXTS, inputs=[text], label="Sample texts")
                go = gr.Button("Clone the voice", variant="primary")
            with gr.Column():
                cloned = gr.Audio(label="Cloned speech (AI-generated)", type="filepath", interactive=False)
                gr.Markdown(synthetic_audio_notice(CAPABILITY))
                alternative = gr.Textbox(
                    label="Text alternative: what the audio says, and how it was made", lines=2
                )
                similarity = gr.Markdown()
        get_phrase.click(with_django_db(phrase_clicked), None, [phrase, nonce])
        read.click(with_django_db(reading_clicked), [nonce, reader], [consent])
        check.click(
            with_django_db(check_clicked), [reference, consent, nonce], [verdict, recording_id, phrase, nonce],
            api_name="check_consent",
        )  # fmt: skip
        go.click(
            with_django_db(clone_clicked),
            [text, recording_id],
            [cloned, alternative, similarity],
            api_name="clone",
        )
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        with gr.Row():
            gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
            gr.Markdown(model_card_markdown(CAPABILITY, DEFAULT_BACKEND))
    return demo
