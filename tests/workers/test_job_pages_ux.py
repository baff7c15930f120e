"""What a learner reads on the job pages: only backends that can run here, the result as JSON,
and the waiting, compute and total time of each job."""

import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse

from demos.samples import SPEECH_EN
from workers.engines.registry import engine_availability, engine_classes
from workers.execution import job_attempt_execute
from workers.models import InferenceJob
from workers.services import UploadedInput, job_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def vad_job(learner, monkeypatch):
    """A real VAD job (Silero on the shipped clip), run here, then dated: it waited 7 s in the queue."""
    monkeypatch.setattr("workers.services.job_enqueue", lambda job: None)
    data = SPEECH_EN.read_bytes()
    job = job_submit(
        user=learner, capability="vad", backend="silero", origin="test",
        files=[UploadedInput("audio", io.BytesIO(data), SPEECH_EN.name, len(data))],
    )  # fmt: skip
    job_attempt_execute(job_id=str(job.id))
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    InferenceJob.objects.filter(id=job.id).update(created_at=job.started_at - timedelta(seconds=7))
    job.refresh_from_db()
    return job


def test_new_job_form_offers_only_backends_available_here(client, learner):
    client.force_login(learner)
    classes = engine_classes("asr")
    available = [c.backend for c in classes if engine_availability(c).available]
    unavailable = [c.backend for c in classes if not engine_availability(c).available]
    assert available and "transformers-ctc" in unavailable  # no SOUNDPATH_CTC_MODEL_PATH here

    html = client.get(reverse("workers:job_new", args=["asr"])).content.decode()

    assert all(f'value="{b}"' in html for b in available)
    assert not any(f'value="{b}"' in html for b in unavailable)


def test_job_page_shows_result_as_json(client, learner, vad_job):
    client.force_login(learner)

    html = client.get(reverse("workers:job", args=[vad_job.id])).content.decode()

    shown = html.split('All result data (JSON)</summary><pre tabindex="0"><code>')[1].split("</code>")[0]
    assert json.loads(shown.replace("&quot;", '"').replace("&#x27;", "'")) == vad_job.result
    assert "Waited 7.0 s in the queue" in html


def test_my_jobs_shows_waiting_compute_and_total_time(client, learner, vad_job):
    client.force_login(learner)
    total = (vad_job.finished_at - vad_job.created_at).total_seconds()

    html = client.get(reverse("workers:jobs")).content.decode()

    assert '<th scope="col">Waiting</th><th scope="col">Compute</th><th scope="col">Total</th>' in html
    assert (
        f"<td>7.0 s</td>\n      <td>{vad_job.compute_seconds:.2f} s</td>\n      <td>{total:.1f} s</td>"
        in html
    )
    assert '<div class="table-scroll">' in html
