"""Web and worker on "different hosts": separate var and media folders, sharing only PostgreSQL,
Redis and an S3-compatible server (moto's, started here). A job submitted through the web runs on
the worker, its files live only in the bucket, and its owner downloads the result through Django."""

import contextlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from tests.factories import UserFactory
from tests.processes import ROOT, celery_worker_process, free_port, stop_process, uvicorn_process

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
SAMPLE = ROOT / "demos" / "samples" / "speech_en.wav"
BUCKET = "soundpath-test"


@contextlib.contextmanager
def s3_server(log_dir: Path):
    port = free_port()
    log = (log_dir / "moto.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, timeout=1).status_code < 500:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"moto server did not start; see {log.name}")
            time.sleep(0.3)
        yield url
    finally:
        stop_process(proc)
        log.close()


def _bucket(url: str):
    import boto3

    s3 = boto3.client("s3", endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test",
                      region_name="us-east-1")  # fmt: skip
    s3.create_bucket(Bucket=BUCKET)
    return s3


def _host_env(url: str, folder: Path) -> dict[str, str]:
    from django.conf import settings

    return {
        "SECRET_KEY": settings.SECRET_KEY,  # one deployment, one key: hosts don't share var/secret-key
        "MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
        "SOUNDPATH_VAR_DIR": str(folder / "var"), "MEDIA_ROOT": str(folder / "media"),
        "NUMBA_CACHE_DIR": str(folder / "numba"), "DEMOS_ENABLED": "false",
    }  # fmt: skip


def _signed_in(client: httpx.Client, user) -> None:
    session = SessionStore()
    session.update({
        "_auth_user_id": str(user.pk),
        "_auth_user_backend": settings.AUTHENTICATION_BACKENDS[0],
        "_auth_user_hash": user.get_session_auth_hash(),
    })  # fmt: skip
    session.create()
    client.cookies.set("sessionid", session.session_key)


def _files_under(folder: Path) -> list[str]:
    return [str(Path(d, n)) for d, _, names in os.walk(folder) for n in names]


def test_a_job_crosses_hosts_through_the_bucket_only(tmp_path):
    from django.db import connection

    db_name = connection.settings_dict["NAME"]
    user = UserFactory()
    web_dir, worker_dir = tmp_path / "web", tmp_path / "worker"
    with s3_server(tmp_path) as url:
        s3 = _bucket(url)
        worker_env = _host_env(url, worker_dir)
        with (
            celery_worker_process(db_name=db_name, name="s3-worker", extra_env=worker_env),
            uvicorn_process(db_name=db_name, name="s3-web", extra_env=_host_env(url, web_dir)) as base,
            httpx.Client(base_url=base, timeout=30) as client,
        ):
            _signed_in(client, user)
            form = client.get("/jobs/new/enhancement/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
            response = client.post(
                "/jobs/new/enhancement/",
                data={"csrfmiddlewaretoken": token, "backend": "spectral-gating", "params": "{}"},
                files={"audio": ("speech.wav", SAMPLE.read_bytes(), "audio/wav")},
                headers={"Referer": base + "/jobs/new/enhancement/"},
            )
            assert response.status_code == 302, response.text[:2000]
            job_path = response.headers["location"]
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                status = client.get(job_path + "status/").json()
                if status["finished"]:
                    break
                time.sleep(0.5)
            assert status["status"] == "succeeded", status
            page = client.get(job_path).text
            file_url = re.search(r'href="(/jobs/files/\d+/)\?download=1"', page).group(1)
            downloaded = client.get(file_url)
            assert downloaded.status_code == 200 and downloaded.content[:4] == b"RIFF"
        job_id = job_path.rstrip("/").split("/")[-1]
        keys = [
            o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=f"jobs/{job_id}/").get("Contents", [])
        ]
        assert any("/inputs/" in k for k in keys) and any("/results-" in k for k in keys)
        stored = s3.get_object(
            Bucket=BUCKET, Key=next(k for k in keys if k.endswith(".wav") and "/results-" in k)
        )
        assert stored["Body"].read() == downloaded.content
    for folder in (web_dir, worker_dir):
        assert [f for f in _files_under(folder) if job_id in f or "/jobs/" in f] == []


def _wait_finished(job, timeout: float = 300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job.id} still {job.status}")


def test_a_model_trained_on_one_worker_is_used_by_another(tmp_path):
    from django.db import connection

    from workers.services import job_submit

    db_name = connection.settings_dict["NAME"]
    user = UserFactory()
    first, second = tmp_path / "trainer-host", tmp_path / "generator-host"
    with s3_server(tmp_path) as url:
        s3 = _bucket(url)
        with celery_worker_process(db_name=db_name, name="s3-trainer", extra_env=_host_env(url, first)):
            trained = job_submit(
                user=user, capability="training", backend="music-transformer",
                params={"steps": 3, "max_files": 2, "batch_size": 4},
            )  # fmt: skip
            trained = _wait_finished(trained)
        assert trained.status == "succeeded", trained.error
        version = trained.result["version"]
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="models/").get("Contents", [])]
        assert f"models/music-generation/{version}/model.pt" in keys
        assert f"models/music-generation/{version}/COMPLETE" in keys
        with celery_worker_process(db_name=db_name, name="s3-generator", extra_env=_host_env(url, second)):
            generated = job_submit(
                user=user, capability="music-generation", backend="symbolic-transformer",
                params={"version": version, "length_steps": 32, "seed": 1},
            )  # fmt: skip
            generated = _wait_finished(generated)
        assert generated.status == "succeeded", generated.error
        assert generated.result["version"] == version
        local_copy = second / "var" / "models" / "music-generation" / version / "model.pt"
        assert (
            local_copy.read_bytes()
            == s3.get_object(Bucket=BUCKET, Key=f"models/music-generation/{version}/model.pt")["Body"].read()
        )
    for folder in (first, second):
        assert [f for f in _files_under(folder) if "/jobs/" in f] == []
