"""Retention removes what is past its period, and nothing else; the consent record lives exactly as
long as audio cloned from it."""

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from demos.models import ConsentChallenge, ConsentRecording
from tests.webapp.privacy.conftest import job_with_files
from webapp.privacy.models import DataExport
from webapp.privacy.retention import retention_purge
from workers.models import InferenceJob


def _age(job: InferenceJob, *, hours: float) -> InferenceJob:
    InferenceJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours))
    return job


def _names(job: InferenceJob) -> list[str]:
    return [f.file.name for f in job.inputs.all()] + [f.file.name for f in job.result_files.all()]


def test_demo_files_go_after_their_hours_and_mock_recordings_after_their_days(learner, settings):
    settings.RETENTION_DEMO_FILES_HOURS = 72
    settings.RETENTION_MOCK_AUDIO_DAYS = 30
    old_demo = _age(job_with_files(learner, origin="asr"), hours=73)
    new_demo = _age(job_with_files(learner, origin="asr"), hours=71)
    old_names, new_names = _names(old_demo), _names(new_demo)
    mock_recent = _age(job_with_files(learner, origin="mock-interview"), hours=73)
    mock_old = _age(job_with_files(learner, origin="mock-interview"), hours=31 * 24)
    kept_mock, gone_mock = _names(mock_recent), _names(mock_old)
    report = retention_purge()
    assert not any(default_storage.exists(n) for n in old_names + gone_mock)
    assert all(default_storage.exists(n) for n in new_names + kept_mock)
    assert (
        report.removed["demo uploads and results"] == 2 and report.removed["mock-interview recordings"] == 2
    )
    assert InferenceJob.objects.filter(pk=old_demo.pk).exists()  # the record of what ran stays


def test_expired_exports_are_deleted_with_their_archive(learner):
    expired = DataExport.objects.create(
        user=learner, status="ready", expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    expired.archive.save("x.zip", ContentFile(b"PK"), save=True)
    fresh = DataExport.objects.create(
        user=learner, status="ready", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    retention_purge()
    assert not DataExport.objects.filter(pk=expired.pk).exists() and not default_storage.exists(
        expired.archive.name
    )
    assert DataExport.objects.filter(pk=fresh.pk).exists()


def _consent(user, *, hours_ago: float) -> ConsentRecording:
    challenge = ConsentChallenge.objects.create(user=user, phrase="four blue lamps", used=True)
    recording = ConsentRecording(
        user=user, challenge=challenge, phrase_match=1.0, phrase_verified=True, voice_score=0.9,
        voice_threshold=0.7, voice_verified=True,
    )  # fmt: skip
    recording.reference.save("ref.wav", ContentFile(b"RIFF-ref"), save=False)
    recording.consent_audio.save("consent.wav", ContentFile(b"RIFF-consent"), save=False)
    recording.save()
    moment = timezone.now() - dt.timedelta(hours=hours_ago)
    ConsentRecording.objects.filter(pk=recording.pk).update(created=moment)
    ConsentChallenge.objects.filter(pk=challenge.pk).update(created=moment)
    return recording


def test_consent_record_outlives_its_audio_while_a_clone_exists_and_no_longer(learner, settings):
    settings.VOICE_CLONING_RETENTION_HOURS = 24
    recording = _consent(learner, hours_ago=25)
    clone = job_with_files(
        learner,
        origin="voice-cloning",
        capability="voice-cloning",
        params={"consent_recording": recording.pk},
    )
    _age(clone, hours=2)
    reference = recording.reference.name
    retention_purge()
    recording.refresh_from_db()  # the record stays: a clone made from it still exists
    assert not default_storage.exists(reference) and not recording.reference
    assert recording.phrase_verified and recording.voice_score == 0.9
    _age(clone, hours=25)  # the clone's own retention runs out
    retention_purge()
    assert not clone.result_files.exists()
    assert not ConsentRecording.objects.filter(pk=recording.pk).exists()
