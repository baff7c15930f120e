"""The web processes stay a thin front: a journey through the real server (pages, a demo run, a
predict-then-run exercise), with a real Celery worker doing the model work, leaves none of the
heavy libraries imported in the page process nor in the demo process, where the demos run —
each asked from inside (sys.modules) through the test-only probe (webapp/process_probe.py)."""

import json
from pathlib import Path

import httpx
import pytest
from django.db import connection
from django.test import Client

from demos.models import PredictionAttempt
from demos.samples import SPEECH_EN
from tests.factories import TopicFactory, UserFactory
from tests.processes import ROOT, demo_process_client, uvicorn_process
from webapp.inprocess import HEAVY_MODULES
from workers.models import InferenceJob

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FIGURES = ROOT / "var" / "web-process-rss.json"  # measured figures, for benchmarks/ notes


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)  # the session row is committed: uvicorn reads the same database
    return client.cookies["sessionid"].value


def _gradio_call(http: httpx.Client, demo: str, api_name: str, data: list) -> list:
    """Call a demo's endpoint as the browser does (POST, then read the event stream) and return
    its outputs; a Gradio error fails the test with its message."""
    started = http.post(f"/demos/{demo}/gradio_api/call/{api_name}", json={"data": data})
    assert started.status_code == 200, started.text
    event_id = started.json()["event_id"]
    event = ""
    with http.stream("GET", f"/demos/{demo}/gradio_api/call/{api_name}/{event_id}", timeout=600) as stream:
        for line in stream.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                payload = json.loads(line.split(":", 1)[1])
                assert event == "complete", f"{demo}/{api_name} failed: {payload}"
                return payload
    raise AssertionError(f"{demo}/{api_name}: the event stream ended without a result")


def _upload(http: httpx.Client, demo: str, path: Path) -> dict:
    response = http.post(
        f"/demos/{demo}/gradio_api/upload", files={"files": (path.name, path.read_bytes(), "audio/wav")}
    )
    assert response.status_code == 200, response.text
    return {"path": response.json()[0], "meta": {"_type": "gradio.FileData"}}


def _probe(http: httpx.Client) -> dict:
    response = http.get("/__probe/process/")
    assert response.status_code == 200, response.text[:500]
    return response.json()


def _probe_both(http: httpx.Client, demo_process: httpx.Client) -> dict[str, dict]:
    return {"page": _probe(http), "demo": _probe(demo_process)}


def test_a_journey_leaves_no_heavy_library_in_the_web_process(celery_worker):
    topic = TopicFactory(slug="asr-pipeline", demos=["asr"])
    user = UserFactory(is_staff=True)  # the probe is staff-only
    # One page process, so every probe of it reaches the same one.
    with uvicorn_process(db_name=connection.settings_dict["NAME"], name="journey", processes=1) as base:
        cookies = {"sessionid": _session_cookie(user)}
        with (
            httpx.Client(base_url=base, cookies=cookies, timeout=60) as http,
            demo_process_client(base, cookies=cookies, timeout=60) as demo_process,
        ):
            before = _probe_both(http, demo_process)
            for page in (
                "/",
                "/roadmap/",
                f"/roadmap/topics/{topic.slug}/",
                "/demos/",
                "/practice/",
                "/jobs/",
            ):
                assert http.get(page).status_code == 200, page
            for demo in ("asr", "tts", "voice-cloning", "voice-conversion", "music"):
                assert http.get(f"/demos/{demo}/").status_code == 200
            transcript, *_ = _gradio_call(
                http, "asr", "transcribe", [_upload(http, "asr", SPEECH_EN), "faster-whisper", "", False, 10]
            )
            # Two Whisper runs and a WER comparison: in-process before, loading CTranslate2 here.
            _, verdict = _gradio_call(
                http, "asr", "exercise_wer_white_noise_5db", ["It stays within 5 points"]
            )
            after = _probe_both(http, demo_process)

    assert "pressure wave" in transcript.lower()  # Whisper ran — on the worker
    assert "the run says “It rises more than 20 points”" in verdict
    jobs = InferenceJob.objects.filter(owner=user)
    assert sorted(jobs.values_list("capability", "status")) == [
        ("asr", "succeeded"),
        ("exercise", "succeeded"),
    ]
    assert PredictionAttempt.objects.get(user=user).correct is False  # kept as evidence
    assert before["page"]["pid"] != before["demo"]["pid"]
    for process in ("page", "demo"):
        assert before[process]["pid"] == after[process]["pid"]
        loaded = after[process]["heavy_modules_loaded"]
        assert loaded == [], f"the {process} process imported {loaded}"
    assert set(HEAVY_MODULES) >= {
        "torch",
        "transformers",
        "sentence_transformers",
        "ctranslate2",
        "TTS",
        "onnxruntime",
    }
    figures = {
        f"{process}_rss_{when}_mb": probe[process]["rss_bytes"] / 1e6
        for when, probe in (("before", before), ("after", after))
        for process in ("page", "demo")
    }
    FIGURES.write_text(json.dumps(figures) + "\n")
