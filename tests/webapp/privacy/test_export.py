"""Export: one archive with every kind of the learner's rows, their files and their xAPI statements,
built on a real worker and readable only by its owner, for a limited time."""

import datetime as dt
import io
import json
import time
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from webapp.privacy.exporting import user_data_write
from webapp.privacy.models import DataExport
from webapp.privacy.ownership import owned_models


def _archive(user) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    user_data_write(user=user, out=buffer, base_url="https://soundpath.example/")
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_export_holds_every_kind_every_file_and_the_xapi_statements(everything, bystander):
    archive = _archive(everything.user)
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    for owned in owned_models():
        rows = json.loads(archive.read(f"data/{owned.label}.json"))
        assert len(rows) == owned.rows(everything.user).count(), owned.label
        assert manifest["kinds"][owned.label]["rows"] == len(rows)
    for name in everything.files:
        if name.startswith("exports/"):
            continue  # earlier archives are listed, not nested
        with default_storage.open(name, "rb") as stored:
            assert archive.read(f"files/{name}") == stored.read()
    _, theirs = bystander
    assert not {f"files/{name}" for name in theirs} & names
    profile = json.loads(archive.read("data/profile.json"))
    assert profile["username"] == everything.user.username and "password" not in profile
    statements = json.loads(archive.read("xapi/statements.json"))
    verbs = {s["verb"]["display"]["en-GB"] for s in statements}
    assert {"answered", "completed"} <= verbs
    assert all(s["actor"]["account"]["name"] == everything.user.username for s in statements)


def test_staff_command_writes_the_same_archive(everything, tmp_path):
    out = tmp_path / "ada.zip"
    stdout = io.StringIO()
    call_command("user_data", "export", everything.user.username, "--out", str(out), stdout=stdout)
    with zipfile.ZipFile(out) as archive:
        assert "data/quiz.Attempt.json" in archive.namelist()
    assert "xAPI statements" in stdout.getvalue()


def _ready_export(user, *, expires_in_hours: float = 24) -> DataExport:
    from django.core.files.base import ContentFile

    export = DataExport.objects.create(
        user=user,
        status=DataExport.Status.READY,
        expires_at=timezone.now() + dt.timedelta(hours=expires_in_hours),
    )
    export.archive.save("a.zip", ContentFile(b"PK-archive"), save=True)
    return export


def test_another_user_cannot_see_or_download_an_export(client, everything, other_learner):
    export = _ready_export(everything.user)
    client.force_login(other_learner)
    for name in ("privacy:export", "privacy:export_status", "privacy:export_download"):
        assert client.get(reverse(name, args=[export.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_owner_downloads_until_it_expires(client, everything):
    export = _ready_export(everything.user)
    client.force_login(everything.user)
    response = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK-archive"
    assert response["Cache-Control"] == "private, no-store"
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(reverse("privacy:export_download", args=[export.pk])).status_code == 410


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_export_is_built_as_a_job_on_a_real_worker(client, celery_worker, everything):
    client.force_login(everything.user)
    response = client.post(reverse("privacy:export_start"))
    export_id = response["Location"].rstrip("/").split("/")[-1]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(reverse("privacy:export_status", args=[export_id])).json()
        if status["finished"]:
            break
        time.sleep(0.5)
    assert status["status"] == "ready", status
    download = client.get(reverse("privacy:export_download", args=[export_id]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert json.loads(archive.read("data/profile.json"))["username"] == everything.user.username
    export = DataExport.objects.get(pk=export_id)
    assert export.expires_at > timezone.now() and export.size == len(archive.fp.getvalue())
