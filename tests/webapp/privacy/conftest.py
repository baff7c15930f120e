"""A learner with one of everything the platform stores about a person, files included."""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from demos.models import ConsentChallenge, ConsentRecording, PredictionAttempt
from quiz.models import Attempt
from tests.factories import InstructorFactory, TopicFactory, TopicProgressFactory, UserFactory
from tests.quiz.factories import AttemptFactory, CardFactory, MockInterviewFactory
from tests.webapp.cohorts.factories import CohortFactory, MembershipFactory
from webapp.challenges.models import ChallengeAttempt
from webapp.privacy.models import DataExport
from workers.models import InferenceJob, JobInputFile, JobResultFile


def job_with_files(
    owner, *, origin: str, capability: str = "asr", params: dict | None = None
) -> InferenceJob:
    job = InferenceJob.objects.create(
        owner=owner, capability=capability, backend="faster-whisper", origin=origin, status="succeeded",
        params=params or {}, result={"text": "hello there"},
    )  # fmt: skip
    upload = JobInputFile(job=job, name="audio", original_name="me.wav", size=12)
    upload.file.save("me.wav", ContentFile(b"RIFF-my-voice"), save=True)
    made = JobResultFile(job=job, name="out.json", content_type="application/json", size=2)
    made.file.save("out.json", ContentFile(b"{}"), save=True)
    return job


@dataclass
class Everything:
    user: object
    instructor: object
    cohort: object
    jobs: list
    files: list  # storage names of every file that is the learner's


@pytest.fixture
def everything(db) -> Everything:
    user = UserFactory(display_name="Ada")
    instructor = InstructorFactory()
    cohort = CohortFactory(created_by=instructor)
    MembershipFactory(cohort=cohort, user=user)
    topic = TopicFactory()
    TopicProgressFactory(user=user, topic=topic, status="done")
    PredictionAttempt.objects.create(
        user=user,
        demo="asr",
        exercise="noise",
        topic=topic,
        prediction="worse",
        measured={"wer": 0.2},
        correct=True,
    )
    challenge = ConsentChallenge.objects.create(user=user, phrase="seven green kites")
    recording = ConsentRecording(
        user=user, challenge=challenge, transcript="seven green kites", phrase_match=1.0, phrase_verified=True,
        voice_score=0.9, voice_threshold=0.7, voice_verified=True,
    )  # fmt: skip
    recording.reference.save("reference.wav", ContentFile(b"RIFF-reference"), save=False)
    recording.consent_audio.save("consent.wav", ContentFile(b"RIFF-consent"), save=False)
    recording.save()
    mock = MockInterviewFactory(user=user)
    spoken = job_with_files(user, origin="mock-interview")
    AttemptFactory(user=user, mode=Attempt.Mode.MOCK, mock=mock, recording=spoken, transcript="hello there")
    CardFactory(user=user)
    demo_job = job_with_files(user, origin="asr")
    attempt = ChallengeAttempt(user=user, challenge="vad", topic_slug="voice-activity-detection", status="scored",
                               score=0.9, passed=True)  # fmt: skip
    attempt.submission.save("segments.csv", ContentFile(b"file,start,end\n"), save=True)
    export = DataExport.objects.create(user=user, status=DataExport.Status.READY)
    export.archive.save("x.zip", ContentFile(b"PK-old-export"), save=True)
    files = [
        recording.reference.name,
        recording.consent_audio.name,
        export.archive.name,
        attempt.submission.name,
    ]
    for job in (spoken, demo_job):
        files += [f.file.name for f in job.inputs.all()] + [f.file.name for f in job.result_files.all()]
    assert all(default_storage.exists(name) for name in files)
    return Everything(user, instructor, cohort, [spoken, demo_job], files)


@pytest.fixture
def bystander(db):
    """Another learner whose data must survive everything done to the first."""
    other = UserFactory()
    job = job_with_files(other, origin="asr")
    return other, [f.file.name for f in job.inputs.all()] + [f.file.name for f in job.result_files.all()]
