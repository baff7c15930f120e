"""Inference jobs: what was asked, where it stands, and what it produced (rows and files)."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.text import get_valid_filename

CAPABILITY_LABELS = {
    "vad": "Voice activity detection", "asr": "Speech recognition", "tts": "Speech synthesis",
    "speaker-embedding": "Speaker verification", "diarization": "Speaker diarization",
    "enhancement": "Speech enhancement", "separation": "Source separation", "voice-conversion": "Voice conversion",
    "voice-cloning": "Voice cloning", "pitch": "Pitch tracking", "audio-to-midi": "Audio to MIDI",
    "audio-tagging": "Audio tagging", "keyword-spotting": "Keyword spotting", "music-generation": "Music generation",
    "sentence-embedding": "Sentence embedding", "training": "Model training",
    "exercise": "Predict-then-run experiment",
}  # fmt: skip


class InferenceJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    capability = models.CharField(max_length=40)
    backend = models.CharField(max_length=60)
    queue = models.CharField(max_length=16, default="cpu")
    params = models.JSONField(default=dict, blank=True)
    text_input = models.TextField(blank=True)
    origin = models.CharField(
        max_length=60, blank=True, help_text="What started it: a demo slug, 'quiz', 'cli'…"
    )

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    progress_message = models.CharField(max_length=200, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    load_seconds = models.FloatField(null=True, blank=True)
    compute_seconds = models.FloatField(null=True, blank=True)
    device = models.CharField(max_length=16, blank=True)
    engine_name = models.CharField(max_length=200, blank=True)
    engine_version = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life of the worker running it."
    )
    requeued_at = models.DateTimeField(
        null=True, blank=True, help_text="Last time its message was sent again."
    )
    fair_round = models.PositiveIntegerField(
        default=0,
        help_text="How many of its owner's jobs on its queue were waiting or running when it was submitted.",
    )
    dispatched_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When its message was handed to the broker; empty while it waits its turn in the database.",
    )  # fmt: skip
    celery_task_id = models.CharField(max_length=64, blank=True)
    follow_up = models.CharField(
        max_length=100, blank=True, help_text="Celery task sent with the job id once the job has finished."
    )
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["status", "queue", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.capability}/{self.backend} {self.status} ({self.id})"

    @property
    def capability_label(self) -> str:
        return CAPABILITY_LABELS.get(self.capability, self.capability)

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def progress_percent(self) -> int:
        return round(100 * self.progress)

    @property
    def wait_seconds(self) -> float | None:
        """Time in the queue: what a learner waits on top of the compute time."""
        return (self.started_at - self.created_at).total_seconds() if self.started_at else None

    @property
    def total_seconds(self) -> float | None:
        """From the request to the result (or failure), as the learner experienced it."""
        return (self.finished_at - self.created_at).total_seconds() if self.finished_at else None


class WorkerHeartbeat(models.Model):
    """A worker's sign of life, stamped by its main process every JOB_HEARTBEAT_SECONDS: how many
    jobs the queues can run at once, read on every release and place-in-line (no broker round trip)."""

    name = models.CharField(max_length=200, unique=True, help_text="Celery's node name, e.g. cpu@host.")
    queues = models.CharField(max_length=200, help_text="The queues it consumes, comma-separated.")
    concurrency = models.PositiveSmallIntegerField(default=1)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} ({self.queues} ×{self.concurrency})"


def _job_folder(job_id: uuid.UUID, kind: str) -> PurePosixPath:
    return PurePosixPath("jobs") / str(job_id) / kind


def input_upload_to(instance: "JobInputFile", filename: str) -> str:
    # Only a sanitised base name is kept: a path-traversal name can never leave the job's folder.
    safe = get_valid_filename(PurePosixPath(filename.replace("\\", "/")).name) or "upload"
    return str(_job_folder(instance.job_id, "inputs") / f"{instance.name}-{safe}")


def result_upload_to(instance: "JobResultFile", filename: str) -> str:
    safe = get_valid_filename(PurePosixPath(filename).name) or "result"
    return str(_job_folder(instance.job_id, f"results-{instance.attempt}") / safe)


class JobInputFile(models.Model):
    job = models.ForeignKey(InferenceJob, on_delete=models.CASCADE, related_name="inputs")
    name = models.CharField(max_length=40, help_text="The input's role: audio, reference, source, target…")
    file = models.FileField(upload_to=input_upload_to, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "name"], name="one_input_per_role")]

    def __str__(self) -> str:
        return f"{self.name}: {self.original_name}"


class JobResultFile(models.Model):
    job = models.ForeignKey(InferenceJob, on_delete=models.CASCADE, related_name="result_files")
    name = models.CharField(max_length=100)
    attempt = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(upload_to=result_upload_to, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "name"], name="one_result_file_per_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_audio(self) -> bool:
        return self.content_type.startswith("audio/")
