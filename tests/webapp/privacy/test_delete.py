"""Deleting an account removes every row and every file of the learner, from the pages and from the
staff command; cohorts pass to a co-owner or go; instructors' views keep working without them."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import InstructorFactory
from tests.webapp.cohorts.factories import CohortFactory
from webapp.accounts.models import User
from webapp.cohorts.models import Cohort
from webapp.privacy.deletion import user_account_delete
from webapp.privacy.ownership import owned_models


def _stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(Path(folder, name).relative_to(root)) for folder, _, names in os.walk(root) for name in names}


def _assert_nothing_left(user_pk: int, files: list[str], job_ids: list) -> None:
    for owned in owned_models():
        assert not owned.model._default_manager.filter(**{owned.lookup: user_pk}).exists(), owned.label
    left = _stored_files()
    assert not set(files) & left
    assert not any(str(job_id) in name for name in left for job_id in job_ids)  # folders pruned too


def test_delete_removes_every_row_and_every_file_and_spares_others(everything, bystander):
    other, theirs = bystander
    pk, job_ids = everything.user.pk, [job.pk for job in everything.jobs]
    summary = user_account_delete(user=everything.user)
    _assert_nothing_left(pk, everything.files, job_ids)
    assert sorted(summary.files) == sorted(everything.files)
    assert summary.rows["quiz.Attempt"] == 1 and summary.rows["workers.InferenceJob"] == 2
    assert all(default_storage.exists(name) for name in theirs)
    assert User.objects.filter(pk=other.pk).exists()


def test_the_page_asks_for_the_password_and_then_deletes(client, everything):
    client.force_login(everything.user)
    url = reverse("privacy:account_delete")
    page = client.get(url)
    assert page.status_code == 200 and b"cannot be undone" in page.content
    wrong = client.post(url, {"password": "not-it"})
    assert wrong.status_code == 200 and b"That is not your password" in wrong.content
    assert User.objects.filter(pk=everything.user.pk).exists()
    done = client.post(url, {"password": "correct-horse-battery"})
    assert done.status_code == 302
    assert not User.objects.filter(pk=everything.user.pk).exists()
    assert "_auth_user_id" not in client.session
    assert all(not default_storage.exists(name) for name in everything.files)


def test_instructor_cohorts_pass_to_a_co_owner_or_are_deleted_after_a_warning(client, db):
    leaving, co_owner = InstructorFactory(), InstructorFactory()
    shared = CohortFactory(created_by=leaving, owners=[leaving, co_owner], name="Shared")
    alone = CohortFactory(created_by=leaving, name="Alone")
    client.force_login(leaving)
    warning = client.get(reverse("privacy:account_delete")).content.decode()
    assert "Alone" in warning and "deleted" in warning and "Shared" in warning
    summary = user_account_delete(user=leaving)
    assert summary.cohorts_handed_on == ["Shared"] and summary.cohorts_deleted == ["Alone"]
    shared.refresh_from_db()
    assert list(shared.owners.all()) == [co_owner] and shared.created_by == co_owner
    assert not Cohort.objects.filter(pk=alone.pk).exists()


def test_dashboard_and_exports_keep_working_without_the_deleted_learner(client, everything):
    user_account_delete(user=everything.user)
    client.force_login(everything.instructor)
    dashboard = client.get(reverse("cohorts:dashboard", args=[everything.cohort.pk]))
    assert dashboard.status_code == 200
    assert everything.user.username not in dashboard.content.decode()
    csv = client.get(reverse("cohorts:export_attempts", args=[everything.cohort.pk]))
    assert csv.status_code == 200 and everything.user.username not in b"".join(csv.streaming_content).decode()


def test_staff_command_deletes_with_a_summary_and_asks_first(everything, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError):
        call_command("user_data", "delete", everything.user.username)
    assert User.objects.filter(pk=everything.user.pk).exists()
    out = io.StringIO()
    call_command("user_data", "delete", everything.user.username, "--no-input", stdout=out)
    assert "file(s) removed from storage" in out.getvalue()
    assert not User.objects.filter(pk=everything.user.pk).exists()


def test_a_job_finishing_after_its_owner_was_deleted_stores_nothing(learner):
    """The worker computed a result, then found its job gone with the account: no file is kept."""
    from workers import execution
    from workers.engines.runner import engine_infer
    from workers.models import InferenceJob

    sample = Path(settings.BASE_DIR) / "demos" / "samples" / "speech_en.wav"
    job = InferenceJob.objects.create(
        owner=learner, capability="vad", backend="webrtc", status="running", attempts=1
    )
    outcome = engine_infer("vad", backend="webrtc", audio_paths={"audio": sample})
    with pytest.raises(execution.JobCancelled):
        user_account_delete(user=learner)
        execution._ProgressReporter(job)(0.9, "almost there")  # the next progress report notices
    execution._save_success(job, outcome)
    assert not InferenceJob.objects.filter(pk=job.pk).exists()
    assert not [name for name in _stored_files() if str(job.pk) in name]


def test_gradio_cache_copies_of_the_users_audio_are_deleted_too(everything, bystander, settings):
    cache = Path(settings.DEMO_UPLOAD_DIR) / "privacy-test"
    cache.mkdir(parents=True, exist_ok=True)
    job_input = everything.jobs[1].inputs.get().file
    with job_input.open("rb") as handle:
        theirs = handle.read()
    copy = cache / "abc123" / "recording.wav"
    copy.parent.mkdir(exist_ok=True)
    copy.write_bytes(theirs)  # Gradio's copy of the upload the demo sent to the job
    unrelated = cache / "def456" / "other.wav"
    unrelated.parent.mkdir(exist_ok=True)
    unrelated.write_bytes(b"RIFF-someone-else" + theirs[:3])
    summary = user_account_delete(user=everything.user)
    assert not copy.exists() and unrelated.exists()
    assert str(copy) in summary.files
    unrelated.unlink()


def test_own_unpromoted_trained_versions_go_and_promoted_ones_stay(learner, monkeypatch, tmp_path):
    from django.core.files.base import ContentFile

    from workers.models import InferenceJob
    from workers.promotion import model_version_promote

    monkeypatch.setenv("SOUNDPATH_MODEL_DIR", str(tmp_path))
    for version in ("20260101-000000", "20260102-000000"):
        folder = tmp_path / "music-generation" / version
        folder.mkdir(parents=True)
        (folder / "model.pt").write_bytes(b"weights " + version.encode())
        default_storage.save(f"models/music-generation/{version}/model.pt", ContentFile(b"weights"))
        InferenceJob.objects.create(
            owner=learner, capability="training", backend="music-transformer", status="succeeded",
            result={"version": version},
        )  # fmt: skip
    model_version_promote(capability="music-generation", version="20260102-000000")
    summary = user_account_delete(user=learner)
    assert not (tmp_path / "music-generation" / "20260101-000000").exists()
    assert not default_storage.exists("models/music-generation/20260101-000000/model.pt")
    assert (tmp_path / "music-generation" / "20260102-000000" / "model.pt").exists()  # the platform's now
    assert default_storage.exists("models/music-generation/20260102-000000/model.pt")
    assert str(tmp_path / "music-generation" / "20260101-000000" / "model.pt") in summary.files
    default_storage.delete("models/music-generation/20260102-000000/model.pt")
