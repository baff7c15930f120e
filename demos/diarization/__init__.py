"""Speaker diarization: who spoke when. A timeline, the speaker count (estimated or given), the
turns and an RTTM file; with a reference RTTM, the DER and its parts.

Diarization runs as a job (login needed); RTTM parsing, DER (pyannote.metrics) and the plots run in
this process.
"""

import importlib.util
from pathlib import Path

from demos.diarization.rttm import RttmError, SpeakerTurn, parse_rttm, speaker_totals
from workers.audio_io import AudioInputError, load_audio

SLUG = "diarization"
CAPABILITY = "diarization"
MAX_SPEAKERS = 8  # the classic backend's upper bound
SAMPLE_BACKEND = "spectral-resemblyzer"  # separates the sample's two telephone voices
TABLE_HEADERS = ["speaker", "start (s)", "end (s)", "duration (s)"]

HOW_IT_WORKS = """The default (**spectral, d-vector**) is a cascade built for meetings where nobody says how
many people talk. A voice activity detector (Silero) finds speech; a speaker encoder turns each
1.5 s window (every 0.5 s) into a voice vector; the windows' cosine similarities form an
**affinity matrix**, pruned to each window's closest neighbours. The **eigengap** of that matrix's
Laplacian (the largest jump between consecutive eigenvalues) estimates the number of speakers, and
**spectral clustering** groups the windows; clusters whose voices are very close are joined. A
**Viterbi pass** with a cost for every change of speaker then re-labels the speech frame by frame,
so a cough does not become a new turn, and turns shorter than 0.4 s join their neighbours. Only
full-length windows shape the clusters: a window cut short by a pause only takes a label.

Pick **vad-embedding-clustering** in the dropdown to compare: the classic cascade, with
agglomerative clustering that stops when the next merge would join clearly different voices. It
counts two clean speakers well and over- or under-counts real meetings, which is why it is no
longer the default.

**DER** (diarization error rate) scores turns against a reference: after the best one-to-one
mapping of system speakers to reference speakers, it adds **missed speech** (the reference has
speech, the system none), **false alarm** (the other way round) and **speaker confusion** (speech
given to the wrong speaker), divided by the total reference speech. It can exceed 100 %.
Overlapped speech is where a one-speaker-per-window cascade loses most; end-to-end models such as
pyannote's segmentation network were built for it. The **overlap switch** makes the spectral
diarizers add the runner-up voice wherever its score is almost the chosen one's: watch the missed
speech fall and the false alarm rise in the DER parts (on our development set the two about cancel)."""

TOPICS = [
    ("speaker-diarization", "Speaker diarization"),
    ("audio-clustering", "Clustering audio without labels"),
    ("voice-activity-detection", "Voice activity detection"),
]


def pyannote_sample() -> tuple[str, str]:
    """pyannote.audio's own 30 s two-speaker clip and its reference RTTM, where the installed
    package keeps them (located without importing pyannote.audio)."""
    spec = importlib.util.find_spec("pyannote.audio")
    if spec is None or not spec.submodule_search_locations:
        return "", ""
    folder = Path(spec.submodule_search_locations[0]) / "sample"
    return str(folder / "sample.wav"), str(folder / "sample.rttm")


def _read_reference(path) -> list[SpeakerTurn] | None:
    import gradio as gr

    if not path:
        return None
    try:
        return parse_rttm(Path(path).read_text(errors="replace"))
    except RttmError as exc:
        raise gr.Error(str(exc)) from exc


def _speaker_count(value) -> int | None:
    import gradio as gr

    count = int(value or 0)
    if not 0 <= count <= MAX_SPEAKERS:
        raise gr.Error(f"The number of speakers must be 0 (estimate it) or 1 to {MAX_SPEAKERS}.")
    return count or None


def summary_text(turns: list[SpeakerTurn], count: int, given: bool, duration: float) -> str:
    if not turns:
        return f"No speech found in {duration:.1f} s of audio, so no speakers."
    parts = [
        f"{speaker}: {seconds:.1f} s in {sum(t.speaker == speaker for t in turns)} turn(s)"
        for speaker, seconds in speaker_totals(turns).items()
    ]
    how = "as you asked" if given else "estimated"
    return f"{count} speaker(s) ({how}) in {duration:.1f} s of audio. " + "; ".join(parts) + "."


def overlap_note() -> str:
    """What each available diarizer does with overlapped speech, for the overlap switch."""
    from workers.engines.registry import engine_availability, engine_classes

    how = {"never": "never (one label per moment)", "on request": "with this switch",
           "always": "always (a trained overlap model)"}  # fmt: skip
    return (
        "Second-speaker labels: "
        + "; ".join(
            f"{cls.backend} {how.get(cls.overlap_labels, cls.overlap_labels)}"
            for cls in engine_classes(CAPABILITY)
            if engine_availability(cls).available
        )
        + "."
    )


def available_backends() -> list[tuple[str, str]]:
    """(label, backend) of every diarizer that can run here, the default first."""
    from workers.engines.registry import engine_availability, engine_classes

    return [
        (f"{cls.backend}: {cls.card.engine}", cls.backend)
        for cls in engine_classes(CAPABILITY)
        if engine_availability(cls).available
    ]


def diarize(path, speakers, reference_path, *, request, backend=None, label_overlap=False, progress=None):
    """Returns (timeline, summary, count markdown, turn rows, RTTM path, DER text, DER figure);
    `backend` None runs the default diarizer; `label_overlap` asks it for a second speaker where two
    voices overlap (backends that never or always do it say so in `overlap_note`)."""
    import gradio as gr

    from demos.common import job_submit_and_wait, result_path
    from demos.diarization.der import der_parts
    from demos.diarization.plots import der_figure, timeline_figure

    if not path:
        raise gr.Error("Upload or record a conversation, or pick the sample first.")
    count = _speaker_count(speakers)
    reference = _read_reference(reference_path)
    try:
        duration = load_audio(Path(path), target_sr=16000).duration
    except AudioInputError as exc:
        raise gr.Error(str(exc)) from exc
    params: dict = {"num_speakers": count} if count else {}
    if label_overlap is True:
        params["label_overlap"] = True
    job = job_submit_and_wait(
        request, CAPABILITY, backend=backend or None, audio={"audio": path},
        params=params, origin=SLUG, progress=progress,
    )  # fmt: skip
    turns = [SpeakerTurn(t["start"], t["end"], t["speaker"]) for t in job.result["turns"]]
    found = int(job.result["speaker_count"])
    rows = [[t.speaker, round(t.start, 2), round(t.end, 2), round(t.end - t.start, 2)] for t in turns]
    figure = timeline_figure(turns, duration, reference)
    count_md = f"### {found} speaker{'s' if found != 1 else ''} {'(given)' if count else '(estimated)'}"
    if reference is None:
        der_text, der_plot = "Add a reference RTTM to score this result (DER and its parts).", None
    else:
        parts = der_parts(reference, turns)
        der_text = f"{parts.text()} Reference: {len(set(t.speaker for t in reference))} speaker(s)."
        der_plot = der_figure(parts)
    summary = summary_text(turns, found, bool(count), duration)
    return figure, summary, count_md, rows, result_path(job, "diarization.rttm"), der_text, der_plot


def build():
    import gradio as gr

    from demos.common import exercise_block, how_it_works_markdown, model_card_markdown, with_django_db
    from demos.diarization.exercises import EXERCISES

    def diarize_clicked(
        path,
        speakers,
        reference,
        backend,
        overlap,
        request: gr.Request,
        progress=gr.Progress(),  # noqa: B008
    ):
        return diarize(
            path, speakers, reference, request=request, backend=backend, label_overlap=overlap,
            progress=progress,
        )  # fmt: skip

    choices = available_backends()

    sample_wav, sample_rttm = pyannote_sample()
    with gr.Blocks(title="Speaker diarization") as demo:
        gr.Markdown(
            "## Speaker diarization\nWho spoke when? Give a conversation; get a timeline, the turns and an "
            "RTTM file, and with a reference RTTM the diarization error rate."
        )
        with gr.Row():
            with gr.Column(scale=1):
                audio = gr.Audio(
                    sources=["upload", "microphone"], type="filepath", label="Conversation (upload or record)"
                )
                reference = gr.File(
                    label="Reference RTTM (optional, for DER)", file_types=[".rttm", ".txt"], type="filepath"
                )
                backend = gr.Dropdown(
                    choices=choices, value=choices[0][1] if choices else None,
                    label="Diarizer (the first is the default; the others for comparison)",
                )  # fmt: skip
                if sample_wav and Path(sample_wav).is_file():
                    # With the resemblyzer variant: the default (d-vectors) hears one speaker in this
                    # telephone clip (its model card says why); switching the diarizer shows it.
                    gr.Examples(
                        [[sample_wav, sample_rttm, SAMPLE_BACKEND]], inputs=[audio, reference, backend],
                        label="Sample: pyannote.audio's 30 s two-speaker telephone clip, with its reference "
                        f"RTTM and the {SAMPLE_BACKEND} diarizer (the default finds one speaker there)",
                    )  # fmt: skip
                speakers = gr.Number(
                    value=0, precision=0, minimum=0, maximum=MAX_SPEAKERS,
                    label=f"Number of speakers (0 = estimate it; up to {MAX_SPEAKERS})",
                )  # fmt: skip
                overlap = gr.Checkbox(
                    value=False, label="Label overlapped speech (a second speaker where two voices fit equally)",
                    info=overlap_note() + " Off by default: on our development set it added more false "
                    "alarm than the missed speech it recovered; compare the DER parts with it on and off.",
                )  # fmt: skip
                go = gr.Button("Diarize", variant="primary")
            with gr.Column(scale=2):
                count = gr.Markdown()
                summary = gr.Textbox(label="Who spoke how much (text summary of the timeline)", lines=3)
                timeline = gr.Plot(label="Timeline: one lane per speaker (system, then reference)")
                der_text = gr.Textbox(label="Diarization error rate", lines=3)
                der_plot = gr.Plot(label="DER parts")
                rttm = gr.File(label="Download the RTTM")
                turns = gr.Dataframe(headers=TABLE_HEADERS, label="Turns", interactive=False)
        go.click(
            with_django_db(diarize_clicked), [audio, speakers, reference, backend, overlap],
            [timeline, summary, count, turns, rttm, der_text, der_plot], api_name="diarize",
        )  # fmt: skip
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        with gr.Row():
            gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
            gr.Markdown(model_card_markdown(CAPABILITY))
    return demo
