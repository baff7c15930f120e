"""A learner's attempt at a challenge: the uploaded submission, scored on a worker."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.text import get_valid_filename


def submission_upload_to(instance: "ChallengeAttempt", filename: str) -> str:
    safe = get_valid_filename(PurePosixPath(filename.replace("\\", "/")).name) or "submission"
    return str(PurePosixPath("challenges") / str(instance.user_id) / str(instance.id) / safe)


class ChallengeAttempt(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SCORING = "scoring", "Scoring"
        SCORED = "scored", "Scored"
        REFUSED = "refused", "Not scored"  # the submission could not be read: the error says why

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_attempts"
    )
    challenge = models.CharField(max_length=60, db_index=True)
    topic_slug = models.SlugField(max_length=80, help_text="The topic a pass marks as mastered.")
    submission = models.FileField(upload_to=submission_upload_to, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    progress_message = models.CharField(max_length=200, blank=True)
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "challenge", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.challenge} · {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SCORED, self.Status.REFUSED)

    @property
    def progress_percent(self) -> int:
        return round(100 * self.progress)
