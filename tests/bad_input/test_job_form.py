"""The bad-input corpus through the generic job form over HTTP (Django test client): a clear
message on the page, never a 500; an oversized upload is stopped while the body is read."""

import io

import numpy as np
import pytest
import soundfile as sf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from tests.bad_input.conftest import ACCEPTED, CORPUS, REFUSED, TRAVERSAL_NAME, assert_inside_media_root
from workers.execution import job_attempt_execute
from workers.models import InferenceJob

pytestmark = pytest.mark.django_db

BOUNDARY = "soundpath-test-boundary"


class MultipartStream:
    """A multipart/form-data body read lazily from a file on disk, counting what the server reads:
    a 500 MB upload without 500 MB in memory, and proof of how much of it was read."""

    def __init__(self, *, fields: dict[str, str], file_field: str, path, filename: str):
        head = b"".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        )
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
            "Content-Type: audio/wav\r\n\r\n"
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(head) + path.stat().st_size + len(tail)
        self._parts = [io.BytesIO(head), path.open("rb"), io.BytesIO(tail)]
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        out = b""
        while self._parts and (size < 0 or len(out) < size):
            chunk = self._parts[0].read(-1 if size < 0 else size - len(out))
            if not chunk:
                self._parts.pop(0).close()
                continue
            out += chunk
        self.bytes_read += len(out)
        return out

    def readline(self, size: int = -1) -> bytes:  # WSGI asks for it; the multipart parser does not use it
        line = b""
        while (size < 0 or len(line) < size) and not line.endswith(b"\n"):
            byte = self.read(1)
            if not byte:
                break
            line += byte
        return line

    def close(self) -> None:
        for part in self._parts:
            part.close()


def _post_stream(client, url: str, stream: MultipartStream):
    try:
        return client.generic(
            "POST", url, CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
            CONTENT_LENGTH=str(stream.length), **{"wsgi.input": stream},
        )  # fmt: skip
    finally:
        stream.close()


def _post_file(client, path, name=None):
    audio = SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="audio/wav")
    return client.post("/jobs/new/vad/", {"audio": audio, "backend": "", "params": ""})


def test_empty_file_gets_a_message_on_the_form(client, learner, no_enqueue):
    client.force_login(learner)

    response = _post_file(client, CORPUS / "empty.wav")

    assert response.status_code == 200
    assert "The submitted file is empty." in response.content.decode()
    assert InferenceJob.objects.count() == 0


@pytest.mark.parametrize("name", sorted(set(REFUSED) - {"empty.wav"}))
def test_bad_file_job_page_shows_the_reason(client, learner, no_enqueue, name):
    client.force_login(learner)

    response = _post_file(client, CORPUS / name)
    job = InferenceJob.objects.get()
    job_attempt_execute(job_id=str(job.id))
    page = client.get(response["Location"])
    status = client.get(f"/jobs/{job.id}/status/").json()

    assert response.status_code == 302 and page.status_code == 200
    assert f'data-field="error" >{escape(REFUSED[name])}</p>' in page.content.decode()
    assert (status["status"], status["error"], status["finished"]) == ("failed", REFUSED[name], True)


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_unusual_but_legal_audio_succeeds_through_the_form(client, learner, no_enqueue, name):
    client.force_login(learner)

    response = _post_file(client, CORPUS / name)
    job = InferenceJob.objects.get()
    job_attempt_execute(job_id=str(job.id))

    assert response.status_code == 302
    assert client.get(f"/jobs/{job.id}/status/").json()["status"] == "succeeded"


def test_path_traversal_upload_name_is_stored_inside_the_media_root(client, learner, no_enqueue, settings):
    client.force_login(learner)

    response = _post_file(client, CORPUS / "pcm_16.wav", name=TRAVERSAL_NAME)

    stored = InferenceJob.objects.get().inputs.get()
    assert response.status_code == 302
    assert stored.original_name == "passwd.wav"  # Django keeps the last path component only
    assert_inside_media_root(stored.file.path, settings.MEDIA_ROOT)
    assert not (settings.MEDIA_ROOT / TRAVERSAL_NAME).resolve().exists()


def test_500_mb_upload_is_refused_before_its_body_is_read(client, learner, large_files):
    client.force_login(learner)
    stream = MultipartStream(
        fields={"backend": ""},
        file_field="audio",
        path=large_files["five_hundred_mb"],
        filename="five_hundred_mb.wav",
    )

    response = _post_stream(client, "/jobs/new/vad/", stream)

    assert response.status_code == 200
    expected = "The file 'five_hundred_mb.wav' is about 500.0 MB; the limit is 50 MB. It was not stored."
    assert f'<p class="error" role="alert">{escape(expected)}</p>' in response.content.decode()
    assert stream.bytes_read < 1_000_000  # its declared length gave it away: the file was not read
    assert InferenceJob.objects.count() == 0


def test_upload_passing_the_limit_while_it_streams_is_stopped_there(client, learner, settings, tmp_path):
    """A body small enough to pass the declared-length check is still counted byte by byte."""
    settings.JOB_UPLOAD_MAX_BYTES = 1_000_000
    path = tmp_path / "one_minute.wav"
    sf.write(path, np.zeros(16000 * 64, dtype=np.int16), 16000, subtype="PCM_16")  # 2 MB
    client.force_login(learner)
    stream = MultipartStream(fields={"backend": ""}, file_field="audio", path=path, filename=path.name)

    response = _post_stream(client, "/jobs/new/vad/", stream)

    assert response.status_code == 200
    expected = "The file 'one_minute.wav' is about 2.0 MB; the limit is 1 MB. It was not stored."
    assert escape(expected) in response.content.decode()
    assert stream.bytes_read < 1_200_000  # stopped one chunk past the limit, not at the end
    assert InferenceJob.objects.count() == 0


def test_upload_under_the_limit_still_reaches_the_job(client, learner, no_enqueue):
    client.force_login(learner)
    path = CORPUS / "rate_96k.wav"
    stream = MultipartStream(fields={"backend": ""}, file_field="audio", path=path, filename=path.name)

    response = _post_stream(client, "/jobs/new/vad/", stream)

    assert response.status_code == 302
    assert InferenceJob.objects.get().inputs.get().size == path.stat().st_size
