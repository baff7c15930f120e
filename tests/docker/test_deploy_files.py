"""The deployment files hold together without a Docker engine: the compose file's services, their
shared settings and their commands (run here as plain processes), the GPU lock in step with the CPU
one, and job routing decided where it can be right (the web process, at submission)."""

import re
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from tests.processes import ROOT, VENV_BIN, process_env, stop_process

COMPOSE = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat", "gpu-worker")


def test_compose_has_every_service_and_exactly_one_beat():
    assert set(SERVICES) >= {"postgres", "redis", "minio", "minio-bucket", *APP_SERVICES}
    beats = [name for name, s in SERVICES.items() if "beat" in (s.get("command") or [])]
    assert beats == ["beat"]
    assert all("-B" not in (s.get("command") or []) for s in SERVICES.values())  # no embedded beat
    assert SERVICES["gpu-worker"]["profiles"] == ["gpu"]
    assert SERVICES["gpu-worker"]["deploy"]["resources"]["reservations"]["devices"][0]["driver"] == "nvidia"


def test_app_services_share_storage_broker_and_routing_settings():
    for name in APP_SERVICES:
        env = SERVICES[name]["environment"]
        assert env["MEDIA_STORAGE"] == "s3" and env["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert env["CELERY_BROKER_URL"] == SERVICES["web"]["environment"]["CELERY_BROKER_URL"]
        # routing is decided by the web process: it must see the same switch as everyone else
        assert env["JOB_GPU_QUEUE_ENABLED"] == "${JOB_GPU_QUEUE_ENABLED:-false}"
        assert "volumes" not in SERVICES[name]  # nothing shared but database, broker and bucket
    assert "-Q" in SERVICES["worker"]["command"] and "cpu" in SERVICES["worker"]["command"]
    assert SERVICES["gpu-worker"]["command"][SERVICES["gpu-worker"]["command"].index("-Q") + 1] == "gpu"


def test_gpu_lock_keeps_step_with_the_cpu_lock():
    def versions(path: Path) -> dict[str, str]:
        pins = re.findall(r"^(torch|torchaudio)==([\w.]+?)(?:\+\w+)?$", path.read_text(), re.M)
        return dict(pins)

    assert versions(ROOT / "docker" / "gpu-lock.txt") == versions(ROOT / "requirements.txt")
    assert "gpu-lock.txt" in (ROOT / "docker" / "Dockerfile.gpu").read_text()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_beat_command_of_the_compose_file_runs_as_a_plain_process(tmp_path):
    from django.db import connection

    command = [str(VENV_BIN / c) if c == "celery" else c for c in SERVICES["beat"]["command"]]
    command[command.index("--schedule") + 1] = str(tmp_path / "schedule")
    log = tmp_path / "beat.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=process_env(db_name=connection.settings_dict["NAME"]),
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while "beat: Starting" not in log.read_text() and time.monotonic() < deadline:
                assert proc.poll() is None, log.read_text()
                time.sleep(0.3)
            assert "beat: Starting" in log.read_text()
        finally:
            stop_process(proc)


def test_routing_is_decided_on_the_web_side_at_submission(learner, settings):
    from workers.services import UploadedInput, job_submit

    sample = ROOT / "demos" / "samples" / "speech_en.wav"

    def submit(capability: str) -> str:
        with sample.open("rb") as handle:
            upload = UploadedInput("audio", handle, sample.name, sample.stat().st_size)
            return job_submit(user=learner, capability=capability, files=[upload]).queue

    settings.JOB_MAX_CONCURRENT_PER_USER = 10
    settings.JOB_GPU_QUEUE_ENABLED = True
    assert (submit("asr"), submit("vad")) == ("gpu", "cpu")  # Whisper can use CUDA, WebRTC/Silero VAD not
    settings.JOB_GPU_QUEUE_ENABLED = False
    assert (submit("asr"), submit("vad")) == ("cpu", "cpu")
