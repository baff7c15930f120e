"""A learner's data as one zip: a JSON document per kind of row, their own files, and their
activity as xAPI statements. Built on a worker (tasks.py); readable only by its owner (views.py)."""

import datetime as dt
import json
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from webapp.privacy.models import DataExport
from webapp.privacy.ownership import file_fields, owned_models

# Fields never exported: a password hash helps no one and only an attacker could use it.
PROFILE_EXCLUDED = {"password"}
# What each kind of row is, in the learner's words (a model without an entry uses its own name).
KIND_NAMES = {
    "curriculum.TopicProgress": "progress on topics",
    "curriculum.CheckAnswer": "your written answers to topics' Check-yourself questions",
    "demos.PredictionAttempt": "predict-then-run evidence from the demos",
    "demos.ConsentChallenge": "voice-cloning consent phrases issued to you",
    "demos.ConsentRecording": "voice-cloning consent records (phrase, checks, scores)",
    "quiz.Attempt": "interview answers with their grades",
    "quiz.Card": "spaced-repetition reviews (FSRS state)",
    "quiz.MockInterview": "mock interviews",
    "workers.InferenceJob": "jobs with their parameters and results",
    "workers.JobInputFile": "files you gave to jobs",
    "workers.JobResultFile": "files jobs made for you",
    "cohorts.Membership": "cohort memberships",
    "privacy.DataExport": "earlier data exports",
    "challenges.ChallengeAttempt": "challenge attempts with their scores",
    "admin.LogEntry": "changes you made in the admin",
}
ProgressCallback = Callable[[float, str], None]
BUILD_EXPORT_TASK = "privacy.build_data_export"  # sent by name: tasks.py imports this module, not the reverse


def _profile(user) -> dict:
    data = serializers.serialize("python", [user])[0]
    fields = {k: v for k, v in data["fields"].items() if k not in PROFILE_EXCLUDED}
    return {"id": user.pk, **fields}


def _rows(queryset) -> list[dict]:
    return [{"id": row["pk"], **row["fields"]} for row in serializers.serialize("python", queryset)]


def _dump(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def user_data_write(*, user, out: IO[bytes], base_url: str, progress: ProgressCallback | None = None) -> dict:
    """Write the archive to `out`; returns its manifest (also stored inside as manifest.json)."""
    from webapp.cohorts.exports import learner_xapi_statements

    report = progress or (lambda fraction, message: None)
    kinds = owned_models()
    manifest: dict = {
        "user": user.username,
        "made_at": timezone.now().isoformat(),
        "kinds": {},
        "files": [],
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/profile.json", _dump(_profile(user)))
        for index, owned in enumerate(kinds):
            report(0.1 + 0.5 * index / max(1, len(kinds)), f"collecting {owned.label}")
            rows = owned.rows(user)
            if owned.label == "privacy.DataExport":
                rows = rows.exclude(status=DataExport.Status.QUEUED).exclude(
                    status=DataExport.Status.BUILDING
                )
            documents = _rows(rows)
            archive.writestr(f"data/{owned.label}.json", _dump(documents))
            manifest["kinds"][owned.label] = {
                "what": KIND_NAMES.get(owned.label, str(owned.model._meta.verbose_name_plural)),
                "rows": len(documents),
            }
            manifest["files"] += _copy_files(archive, owned, rows)
        report(0.8, "writing activity statements (xAPI)")
        statements = list(learner_xapi_statements(user=user, base_url=base_url))
        archive.writestr("xapi/statements.json", _dump(statements))
        manifest["xapi_statements"] = len(statements)
        archive.writestr("manifest.json", _dump(manifest))
        archive.writestr("README.txt", README)
    return manifest


def _copy_files(archive: zipfile.ZipFile, owned, rows) -> list[str]:
    """Each file held by these rows, under files/<its storage name>; a file already gone from
    storage (deleted by retention) is listed as missing rather than failing the export."""
    copied = []
    for field in file_fields(owned.model):
        if owned.label == "privacy.DataExport":
            continue  # earlier archives would nest every earlier export inside this one
        for name in rows.values_list(field.name, flat=True):
            if not name:
                continue
            target = str(PurePosixPath("files") / name)
            try:
                with default_storage.open(name, "rb") as source, archive.open(target, "w") as sink:
                    while chunk := source.read(1 << 20):
                        sink.write(chunk)
            except FileNotFoundError:
                continue
            copied.append(target)
    return copied


def data_export_request(*, user, base_url: str) -> DataExport:
    """Queue a new export for the user (built by a worker once the transaction commits);
    `base_url` is the site's address, which the xAPI activity ids are made from."""
    from workers.services import task_send

    export = DataExport.objects.create(user=user)
    transaction.on_commit(lambda: task_send(BUILD_EXPORT_TASK, args=[str(export.pk), base_url], queue="cpu"))
    return export


def data_export_build(*, export_id, base_url: str) -> DataExport:
    """Build one export (idempotent: a ready or failed export is left as it is)."""
    export = DataExport.objects.select_related("user").get(pk=export_id)
    if export.is_finished:
        return export

    def report(fraction: float, message: str) -> None:
        DataExport.objects.filter(pk=export.pk).update(progress=fraction, progress_message=message[:200])

    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.BUILDING)
    with tempfile.TemporaryFile() as buffer:
        user_data_write(user=export.user, out=buffer, base_url=base_url, progress=report)
        buffer.seek(0, 2)
        size = buffer.tell()
        buffer.seek(0)
        export.archive.save(f"{export.pk}.zip", File(buffer), save=False)
    now = timezone.now()
    DataExport.objects.filter(pk=export.pk).update(
        status=DataExport.Status.READY, progress=1.0, progress_message="ready", archive=export.archive.name,
        size=size, finished_at=now, expires_at=now + dt.timedelta(hours=settings.DATA_EXPORT_RETENTION_HOURS),
    )  # fmt: skip
    export.refresh_from_db()
    return export


README = """Your Soundpath data
===================

manifest.json          what this archive holds: each kind of row, how many, and every file
data/profile.json      your account (without the password hash)
data/<app>.<Model>.json one JSON document per kind of row: progress, evidence, answers and grades,
                       reviews (FSRS state), mock interviews, jobs with parameters and results,
                       cohort memberships, consent records, earlier exports...
files/...              your own recordings, uploads and the files jobs made for you
xapi/statements.json   your activity as xAPI 1.0.3 statements, for any learning record store

Files deleted earlier under the retention rules (see the privacy page) are no longer held and so
are not here.
"""
