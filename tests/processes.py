"""Starting and stopping the real processes that integration tests talk to."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def process_env(*, db_name: str, **extra: str) -> dict[str, str]:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db_name}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "webapp.settings.test", "DATABASE_URL": url,
           "TEST_DATABASE_NAME": db_name, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
           "PYTHONPATH": str(ROOT), **extra}  # fmt: skip
    return env


@contextlib.contextmanager
def celery_worker_process(
    *, db_name: str, queues: str = "cpu,gpu", name: str = "test", extra_env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """A real worker like production's CPU worker: prefork with one child (time limits work there)."""
    from workers.celery import app

    with app.connection_for_write() as conn:  # a clean queue: nothing left over from earlier runs
        for queue in queues.split(","):
            with contextlib.suppress(Exception):
                conn.default_channel.queue_purge(queue)
    log = open(ROOT / "var" / f"celery-{name}.log", "wb")  # noqa: SIM115 - closed below
    cmd = [str(VENV_BIN / "celery"), "-A", "workers.celery", "worker", "--pool=prefork", "--concurrency=1", "-Q", queues,
           "-n", f"{name}@%h", "--without-mingle", "--without-gossip", "-l", "INFO"]  # fmt: skip
    env = process_env(db_name=db_name, **(extra_env or {}))
    # Its own process group, so a test can kill the worker and its child together.
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        _wait_for_worker(proc, name)
        yield proc
    finally:
        stop_process(proc)
        log.close()


def _wait_for_worker(proc: subprocess.Popen, name: str, timeout: float = 90) -> None:
    from workers.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {proc.returncode}; see var/celery-{name}.log")
        replies = app.control.ping(timeout=1.0) or []
        if any(name in key for reply in replies for key in reply):
            return
    raise RuntimeError(f"Celery worker did not answer within {timeout} s; see var/celery-{name}.log")


def stop_process(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_process_group(proc)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # children left behind, if any


def kill_process_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process and everything in its group: a worker dying without any clean-up."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def uvicorn_process(*, db_name: str, timeout: float = 120) -> Iterator[str]:
    """The real ASGI app (Django + Gradio) under uvicorn; yields its base URL."""
    import httpx

    port = free_port()
    log = open(ROOT / "var" / "uvicorn-test.log", "wb")  # noqa: SIM115 - closed below
    cmd = [str(VENV_BIN / "uvicorn"), "webapp.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=process_env(db_name=db_name), stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {proc.returncode}; see var/uvicorn-test.log")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/roadmap/", timeout=2).status_code < 500:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not answer in time; see var/uvicorn-test.log")
            time.sleep(0.5)
        yield base
    finally:
        stop_process(proc)
        log.close()
