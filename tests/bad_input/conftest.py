"""The bad-input corpus (tests/data/bad/) and what the platform must answer for each file."""

import io
from pathlib import Path

import pytest

from tests.demos.conftest import FakeGradioRequest
from workers.services import UploadedInput

CORPUS = Path(__file__).resolve().parent.parent / "data" / "bad"

# Refused with exactly this message, by load_audio and so by every job and demo.
REFUSED = {
    "empty.wav": "The file is empty (0 bytes).",
    "truncated.wav": "The WAV file is damaged or cut short: its header is incomplete.",
    "text.wav": "This file is not audio we can read (Invalid data found when processing input).",
    "nan_inf_float.wav": "The audio contains invalid samples (NaN or infinity).",
    "header_overclaims.wav": (
        "The WAV file is cut short: its header promises 10.0 s of audio but only 0.5 s is there. "
        "Upload the complete recording."
    ),
}
# Legal audio, however unusual: decoded (source rate, source channels) and the job succeeds.
ACCEPTED = {
    "mp3_named.flac": (16000, 1),  # decoded by its content, whatever its name says
    "rate_8k.wav": (8000, 1),
    "rate_48k.wav": (48000, 1),
    "rate_96k.wav": (96000, 1),
    "pcm_u8.wav": (16000, 1),
    "pcm_16.wav": (16000, 1),
    "pcm_24.wav": (16000, 1),
    "pcm_32.wav": (16000, 1),
    "float32.wav": (16000, 1),
    "stereo.wav": (16000, 2),
    "six_channel.wav": (16000, 6),
    "silence.wav": (16000, 1),
    "noise.wav": (16000, 1),
}
TRAVERSAL_NAME = "../../etc/passwd.wav"  # the upload's name; the bytes are a valid clip


def upload(path: Path, name: str | None = None) -> UploadedInput:
    data = path.read_bytes()
    return UploadedInput("audio", io.BytesIO(data), name or path.name, len(data))


def assert_inside_media_root(path: str, media_root: Path) -> None:
    assert Path(path).resolve().is_relative_to(Path(media_root).resolve()), path


@pytest.fixture
def no_enqueue(monkeypatch):
    """Keep jobs in the queue (no broker) so the test runs them itself with job_attempt_execute."""
    monkeypatch.setattr("workers.services.job_enqueue", lambda job: None)


@pytest.fixture
def learner_request(client, learner) -> FakeGradioRequest:
    client.force_login(learner)
    return FakeGradioRequest({"sessionid": client.cookies["sessionid"].value})


@pytest.fixture
def inline_jobs(monkeypatch):
    """Each submitted job runs in this process at once (the task's own logic, no broker)."""
    from workers.execution import job_attempt_execute

    monkeypatch.setattr("workers.services.job_enqueue", lambda job: job_attempt_execute(job_id=str(job.id)))
    monkeypatch.setattr("workers.services.transaction.on_commit", lambda fn, using=None, robust=False: fn())


@pytest.fixture(scope="module")
def large_files(tmp_path_factory) -> dict[str, Path]:
    """The 2-hour (230 MB) and 500 MB (sparse) files, made once per module by make_large.py."""
    from tests.data.bad import make_large

    folder = tmp_path_factory.mktemp("large")
    return {"two_hours": make_large.two_hours(folder), "five_hundred_mb": make_large.five_hundred_mb(folder)}
