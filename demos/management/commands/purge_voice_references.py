"""Delete voice-cloning reference and consent recordings older than the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Delete voice-cloning reference and consent recordings (and that demo's job files) older than "
        "VOICE_CLONING_RETENTION_HOURS. Celery beat runs it hourly (demos.purge_expired_recordings)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=float, default=None,
            help=f"retention in hours (default: the setting, now {settings.VOICE_CLONING_RETENTION_HOURS:g})",
        )  # fmt: skip

    def handle(self, *args, hours=None, **options):
        from demos.voice_cloning.services import voice_references_purge

        report = voice_references_purge(retention_hours=hours)
        self.stdout.write(
            f"Deleted {report.recordings} consent recordings, {report.challenges} challenges and "
            f"{report.job_files} job files made before {report.cutoff:%Y-%m-%d %H:%M} UTC."
        )
