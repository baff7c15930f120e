"""A learner's data export: built by a worker, downloadable by its owner until it expires."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models


def export_upload_to(instance: "DataExport", filename: str) -> str:
    # Named by the export's random id: the owner's username never appears in a storage path.
    return str(PurePosixPath("exports") / str(instance.user_id) / f"{instance.id}.zip")


class DataExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    progress_message = models.CharField(max_length=200, blank=True)
    archive = models.FileField(upload_to=export_upload_to, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.id} of {self.user} ({self.status})"

    @property
    def progress_percent(self) -> int:
        return round(100 * self.progress)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
