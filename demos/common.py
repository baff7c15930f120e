"""What every demo shares: the Django user behind a Gradio request, running a job with a live
progress bar, the model-card and how-it-works panels, and predict-then-run exercises."""

import functools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections

from demos.exercise import Exercise

RESULTS_FILE = Path(__file__).resolve().parent.parent / "benchmarks" / "results" / "engines.json"
DEVSET_FILE = RESULTS_FILE.with_name("devset.json")  # real-speech development set (benchmarks/devset)
DEVSET_PARTS = {
    "diarization": "diarization",
    "speaker-embedding": "speaker",
    "asr": "asr",
    "enhancement": "enhancement",
}


PLACE_EVERY_SECONDS = 1.0  # a waiting demo re-reads its place in line this often (its row every 0.3 s)


def with_django_db(handler: Callable) -> Callable:
    """Gradio runs handlers in worker threads: give each call fresh, closed-afterwards DB connections."""

    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        close_old_connections()
        try:
            return handler(*args, **kwargs)
        finally:
            close_old_connections()

    return wrapper


def request_user(request) -> Any | None:
    """The signed-in Django user whose session cookie came with this Gradio request, or None;
    validated by Django itself (webapp.sessions), so a password change signs the demos out too."""
    from webapp.sessions import session_user

    cookies = getattr(request, "cookies", None) or {}
    return session_user(session_key=cookies.get(settings.SESSION_COOKIE_NAME))


def load_clip(
    path, *, sr: int, limits=None, missing: str = "Record or upload a clip, or pick a sample first."
):
    """Decode an uploaded, recorded or sample clip for a demo; bad input becomes a gr.Error."""
    import gradio as gr

    from workers.audio_io import AudioInputError, load_audio

    if not path:
        raise gr.Error(missing)
    try:
        return load_audio(Path(path), target_sr=sr, limits=limits).samples
    except AudioInputError as exc:
        raise gr.Error(str(exc)) from exc


def require_user(request):
    """The signed-in user, or a gr.Error saying to sign in (visitors also see the sign-in banner)."""
    import gradio as gr

    user = request_user(request)
    if user is None:
        raise gr.Error("Log in to run this demo: heavy models run on shared workers, one queue per person.")
    return user


def job_submit_and_wait(
    request,
    capability: str,
    *,
    backend: str | None = None,
    audio: dict[str, str | Path] | None = None,
    text: str = "",
    params: dict | None = None,
    origin: str = "",
    progress=None,
):
    """Submit a job for the logged-in user and wait for it, mirroring its progress (and, while it
    waits, its place in line and estimated wait) in Gradio's progress bar. Returns the finished
    job; a failure becomes gr.Error."""
    import gradio as gr

    from workers.limits import time_limits
    from workers.models import InferenceJob
    from workers.selectors import job_place
    from workers.services import JobRefused, UploadedInput, job_submit

    user = require_user(request)
    files = []
    for name, path in (audio or {}).items():
        path = Path(path)
        files.append(UploadedInput(name, path.open("rb"), path.name, path.stat().st_size))
    try:
        job = job_submit(
            user=user,
            capability=capability,
            backend=backend,
            files=files,
            text=text,
            params=params or {},
            origin=origin,
        )
    except JobRefused as exc:
        raise gr.Error(str(exc)) from exc
    finally:
        for upload in files:
            upload.file.close()
    _, hard_limit = time_limits(capability)
    deadline = time.monotonic() + hard_limit + 120  # queue wait included
    place, placed_at = None, 0.0
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        if progress is not None:
            if job.status != InferenceJob.Status.QUEUED:
                place = None
            elif time.monotonic() - placed_at >= PLACE_EVERY_SECONDS:  # the line is a few queries
                place, placed_at = job_place(job=job), time.monotonic()
            progress(job.progress, desc=job_wait_text(job, place))
        time.sleep(0.3)
    if job.status == InferenceJob.Status.SUCCEEDED:
        return job
    if job.status == InferenceJob.Status.FAILED:
        raise gr.Error(job.error or "The job failed.")
    if job.status == InferenceJob.Status.CANCELLED:
        raise gr.Error("The job was cancelled.")
    raise gr.Error("The job is taking too long; it keeps running, and you can follow it on the My jobs page.")


def job_wait_text(job, place) -> str:
    """The demo's status line: "busy: 12th in line, about 40 s" while the job waits, then its progress."""
    if place is not None:
        return place.text
    return job.progress_message or "Working…"


def result_path(job, name: str) -> str:
    """Local path of a job's result file (what Gradio's Audio/File components want)."""
    return stored_file_local_path(job.result_files.get(name=name).file, folder=f"results/{job.id}")


def stored_file_local_path(stored, *, folder: str) -> str:
    """A stored file as a local path: itself on local storage; on object storage (S3), a copy in the
    demos' upload folder, which the demo-cache purge removes like any other demo file."""
    import shutil

    try:
        return stored.path
    except NotImplementedError:
        local = Path(settings.DEMO_UPLOAD_DIR) / folder / Path(stored.name).name
        local.parent.mkdir(parents=True, exist_ok=True)
        with stored.open("rb") as source, local.open("wb") as sink:
            shutil.copyfileobj(source, sink)
        return str(local)


# ---------------------------------------------------------------------------------------------
# Panels


def measured_figures(capability: str, backend: str) -> dict | None:
    """The benchmark's latest figures for an engine (benchmarks/results/engines.json), if measured."""
    if not RESULTS_FILE.exists():
        return None
    return json.loads(RESULTS_FILE.read_text()).get(f"{capability}/{backend}")


def devset_figures(capability: str, backend: str) -> str | None:
    """One line of the engine's figures on the real-speech development set, if it was measured."""
    if capability not in DEVSET_PARTS or not DEVSET_FILE.exists():
        return None
    data = json.loads(DEVSET_FILE.read_text())
    part = data.get("results", {}).get(DEVSET_PARTS[capability], {})
    row = part.get(backend)
    if not isinstance(row, dict):
        return None

    def show(value) -> str:
        return f"{value:.1f}" if isinstance(value, float) else str(value)

    if all(isinstance(v, dict) for v in row.values()):  # diarization: one entry per set of files
        text = "; ".join(
            f"{label}: DER {r['DER']:.1f} % (speakers found/true {r['speakers found/true']})"
            for label, r in row.items()
        )
    else:
        text = "; ".join(f"{k} {show(v)}" for k, v in row.items())
    return f"{text} ({part.get('date', '')}, load average {part.get('load_average', '?')})"


def model_card_markdown(capability: str, backend: str | None = None) -> str:
    from workers.engines.registry import engine_availability, engine_class

    try:
        cls = engine_class(capability, backend)
    except Exception as exc:
        return f"**No engine available for {capability}:** {exc}"
    card = cls.card
    size = f"{card.weights_bytes / 1e6:.1f} MB" if card.weights_bytes else "—"
    availability = engine_availability(cls)
    lines = [
        f"### Model card: {card.engine}",
        f"- **Backend:** `{cls.backend}`{' (classic method)' if card.classic else ''}",
        f"- **Package:** {card.package}",
        f"- **Weights:** {card.weights} ({size})",
        f"- **Licence:** {card.licence}",
        f"- **Training data:** {card.training_data}",
        f"- **Known limits:** {card.limits}",
    ]
    if card.paper:
        lines.append(f"- **Paper:** [{card.paper}]({card.paper})")
    figures = measured_figures(capability, cls.backend)
    if figures:
        quality = ", ".join(f"{k} {v}" for k, v in figures.get("quality", {}).items())
        lines.append(
            f"- **Measured** on {figures['sample']} ({figures['machine']}, {figures['date']}): "
            f"real-time factor {figures['rtf']:.3f}{'; ' + quality if quality else ''}"
        )
    else:
        lines.append("- **Measured:** not benchmarked on this server yet (`make benchmarks`).")
    real = devset_figures(capability, cls.backend)
    if real:
        lines.append(f"- **On the real-speech development set** (`benchmarks/devset`): {real}")
    if not availability.available:
        lines.append(f"- **Not available here:** {availability.reason}")
    return "\n".join(lines)


def synthetic_audio_notice(capability: str) -> str:
    """The disclosure shown beside every player of synthesised, cloned or converted audio: the same
    words its WAV file carries in its metadata (workers.disclosure)."""
    from workers.disclosure import disclosure_text

    return f"🛈 **{disclosure_text(capability)}** The downloaded file says so in its metadata too."


def how_it_works_markdown(text: str, topics: list[tuple[str, str]]) -> str:
    links = " · ".join(f"[{title}](/roadmap/topics/{slug}/)" for slug, title in topics)
    return f"{text}\n\n**Read more:** {links}" if topics else text


# ---------------------------------------------------------------------------------------------
# Predict-then-run exercises


def exercise_check(exercise: Exercise, prediction: str | None, request, progress=None) -> str:
    """Run the experiment, compare with the committed prediction, record it as evidence."""
    import gradio as gr

    from demos.services import prediction_commit, prediction_settle

    if not prediction:
        raise gr.Error("Commit a prediction first: pick one of the answers.")
    user = request_user(request)
    attempt = None
    if user is not None:  # recorded before the run, settled once after it (demos/services.py)
        attempt = prediction_commit(
            user=user,
            demo=exercise.demo,
            exercise=exercise.id,
            topic_slug=exercise.topic,
            prediction=prediction,
        )
    answer, measured = exercise_experiment(exercise, request, progress)
    correct = prediction == answer
    if attempt is not None:
        prediction_settle(attempt=attempt, answer=answer, measured=measured)
    figures = "\n".join(f"- {k}: **{v}**" for k, v in measured.items())
    verdict = (
        "✅ Your prediction was right."
        if correct
        else f"❌ You predicted “{prediction}”; the run says “{answer}”."
    )
    saved = "" if user else "\n\n*Log in to keep this as evidence on your progress.*"
    return f"{verdict}\n\n**Measured:**\n{figures}\n\n{exercise.explanation}{saved}"


def exercise_experiment(exercise: Exercise, request, progress=None) -> tuple[str, dict]:
    """(answer, measured): an "exercise" job on a worker, unless webapp.inprocess allows this demo's
    experiments in the web process (model-free DSP on synthetic signals: one that names an engine
    always goes to a worker, which hands the engine in)."""
    from demos.exercise import CAPABILITY
    from webapp.inprocess import EXERCISES_IN_PROCESS

    if exercise.demo in EXERCISES_IN_PROCESS and not exercise.engines:
        return exercise.experiment()
    job = job_submit_and_wait(
        request, CAPABILITY, backend=exercise.id, origin=exercise.demo, progress=progress
    )
    return job.result["answer"], job.result["measured"]


def exercise_block(exercise: Exercise) -> None:
    """Gradio UI for one exercise: the question, a locked-in choice, then the run and the verdict."""
    import gradio as gr

    with gr.Group():
        gr.Markdown(f"**Predict, then run.** {exercise.question}")
        choice = gr.Radio(list(exercise.choices), label="Your prediction")
        commit = gr.Button("Lock in my prediction and run the experiment")
        verdict = gr.Markdown()

    def run(prediction, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        return gr.update(interactive=False), exercise_check(exercise, prediction, request, progress)

    api_name = "exercise_" + "".join(c if c.isalnum() else "_" for c in exercise.id)
    commit.click(with_django_db(run), inputs=[choice], outputs=[choice, verdict], api_name=api_name)
