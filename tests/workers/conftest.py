"""Shared by the job-path tests: a speech upload, and the broker replaced by a list of sent ids."""

import io

import pytest

from demos.samples import SPEECH_EN
from workers.services import UploadedInput


def speech_upload() -> UploadedInput:
    """The shipped English speech clip as a job input, read afresh (a job's upload is consumed)."""
    data = SPEECH_EN.read_bytes()
    return UploadedInput("audio", io.BytesIO(data), SPEECH_EN.name, len(data))


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """The jobs handed (or handed again) to the broker, in order: recorded instead of sent."""
    ids: list[str] = []
    monkeypatch.setattr("workers.services.job_enqueue", lambda job: ids.append(str(job.id)))
    return ids
