"""Retention: each kind of personal recording or file is deleted once it is older than its setting
(README, configuration). Rows that say what happened (jobs, grades) stay; the files go."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from webapp.privacy.models import DataExport

DEMO_ORIGINS_EXCLUDED = ("mock-interview", "quiz", "cli", "")  # every other origin is a demo slug


@dataclass
class RetentionReport:
    removed: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, count: int) -> None:
        self.removed[kind] = self.removed.get(kind, 0) + count


def _job_files_purge(*, jobs_filter: Q, cutoff: dt.datetime) -> int:
    from workers.models import JobInputFile, JobResultFile

    removed = 0
    for model in (JobInputFile, JobResultFile):
        rows = list(
            model.objects.filter(jobs_filter, job__created_at__lt=cutoff).exclude(
                job__status__in=["queued", "running"]
            )
        )
        for row in rows:
            row.file.delete(save=False)
        model.objects.filter(pk__in=[row.pk for row in rows]).delete()
        removed += len(rows)
    return removed


def retention_purge(*, now: dt.datetime | None = None) -> RetentionReport:
    """Delete what is past its retention period, and nothing else."""
    from demos.voice_cloning.services import voice_references_purge

    now = now or timezone.now()
    report = RetentionReport()
    hours = dt.timedelta(hours=1)
    demo_jobs = ~Q(job__origin__in=DEMO_ORIGINS_EXCLUDED) & ~Q(job__origin="voice-cloning")
    report.add(
        "demo uploads and results",
        _job_files_purge(jobs_filter=demo_jobs, cutoff=now - settings.RETENTION_DEMO_FILES_HOURS * hours),
    )
    report.add(
        "mock-interview recordings",
        _job_files_purge(
            jobs_filter=Q(job__origin="mock-interview"),
            cutoff=now - settings.RETENTION_MOCK_AUDIO_DAYS * 24 * hours,
        ),
    )
    report.add(
        "other job files",
        _job_files_purge(
            jobs_filter=Q(job__origin__in=("quiz", "cli", "")),
            cutoff=now - settings.RETENTION_JOB_FILES_DAYS * 24 * hours,
        ),
    )
    voice = voice_references_purge(now=now)
    report.add("voice-cloning recordings", voice.recordings)
    report.add("voice-cloning job files", voice.job_files)
    expired = list(DataExport.objects.filter(expires_at__lt=now))
    for export in expired:
        export.archive.delete(save=False)
    DataExport.objects.filter(pk__in=[e.pk for e in expired]).delete()
    report.add("data exports", len(expired))
    return report
