"""The launcher `make run` uses (webapp/serve.py), started for real with the demos off (so it starts
in seconds): its page processes import no Gradio, a page process that cannot start stops the
launcher, and a launcher killed outright takes its children with it."""

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest
from django.db import connection

from tests.processes import ROOT, free_port, process_env, stop_process

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WAIT_S = 120  # a safety net on a loaded machine, not a timing check


def launcher(port: int, **extra_env: str) -> subprocess.Popen:
    env = process_env(db_name=connection.settings_dict["NAME"], DEMOS_ENABLED="false", **extra_env)
    cmd = [
        sys.executable,
        "-m",
        "webapp.serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--processes",
        "2",
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip


def wait_for_health(proc: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the launcher exited with {proc.returncode}"
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise AssertionError("the page processes did not answer")


def test_page_processes_import_no_gradio():
    probe = "import sys, webapp.asgi_pages; print(sorted(m for m in ('gradio', 'torch') if m in sys.modules))"
    env = process_env(
        db_name=connection.settings_dict["NAME"], SOUNDPATH_DEMO_SOCKET="/nonexistent/demos.sock"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=WAIT_S)  # fmt: skip

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_launcher_stops_when_its_page_processes_cannot_start():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        proc = launcher(taken.getsockname()[1])
        try:
            assert proc.wait(timeout=WAIT_S) == 1
        finally:
            stop_process(proc)


def test_killed_launcher_takes_its_page_processes_with_it():
    port = free_port()
    proc = launcher(port)
    private_folder = None
    try:
        wait_for_health(proc, f"http://127.0.0.1:{port}")
        children = psutil.Process(proc.pid).children()
        assert children  # the page processes' uvicorn supervisor
        private_folder = Path(children[0].environ()["PROMETHEUS_MULTIPROC_DIR"]).parent

        proc.send_signal(signal.SIGKILL)  # no chance to clean up: the kernel must stop the children
        _, alive = psutil.wait_procs(children, timeout=WAIT_S)
    finally:
        stop_process(proc)
        if private_folder:
            shutil.rmtree(private_folder, ignore_errors=True)  # a killed launcher cannot remove it

    assert alive == []


def _idle_connections_of_others() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'idle'"
        )
        return cursor.fetchone()[0]


def test_page_processes_keep_their_postgresql_connections_in_a_pool():
    """A connection per request forks a PostgreSQL server process per page view; with DB_POOL_SIZE
    each web process keeps a pool, so connections outlive the requests that used them, and never
    more of them than the pools allow."""
    port = free_port()
    proc = launcher(port, DB_POOL_SIZE="8")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(proc, base)
        with httpx.Client(timeout=30) as http:
            pages = [http.get(f"{base}/roadmap/") for _ in range(20)]
        assert {page.status_code for page in pages} == {200}

        idle = _idle_connections_of_others()
    finally:
        stop_process(proc)

    assert 1 <= idle <= 2 * 8  # two page processes, at most DB_POOL_SIZE each


def _probe_process(module: str, tmp_path: Path) -> str:
    probe = (
        f"import gc, {module} as app; from django.db import connections; "
        "print(type(app.django_app).__module__, connections['default'].settings_dict['CONN_MAX_AGE'], "
        "gc.get_freeze_count() > 0)"
    )
    return _probe_line(probe, tmp_path)


def _probe_line(probe: str, tmp_path: Path) -> str:
    """The last line `probe` (Python) prints in a fresh process, on a SQLite database of its own."""
    env = process_env(db_name="unused", DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=WAIT_S)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_page_processes_run_django_on_a_thread_pool_keeping_sqlite_connections_frozen_start_up(tmp_path):
    """Page processes serve Django as WSGI on a fixed pool of threads, where a SQLite connection
    per thread is kept between requests, and freeze what start-up loaded out of the collector's
    walks; the demo process (ASGI, a thread per request) keeps no connection, or they would pile up
    one per request."""
    handler, kept_seconds, frozen = _probe_process("webapp.asgi_pages", tmp_path).split()
    assert (handler, frozen) == ("a2wsgi.wsgi", "True") and int(kept_seconds) >= 60
    assert _probe_process("webapp.asgi", tmp_path) == "django.core.handlers.asgi 0 False"


def test_page_processes_keep_djangos_request_state_in_plain_thread_locals(tmp_path):
    """Django's default asgiref Locals take one lock per process on every read: with 32 threads
    under one GIL they formed convoys (p99 spikes of 2–3 s, even for a page from Django's cache).
    The page processes run each request whole in one thread, so theirs are thread-critical; the
    demo process (ASGI, with sync_to_async hops) keeps Django's."""
    probe = (
        "import {module}; from django.core.cache import caches; from django.urls import base; "
        "from django.utils import timezone; from django.utils.translation import trans_real; "
        "print(*(type(local).__name__ for local in (caches._connections, base._prefixes, base._urlconfs, "
        "trans_real._active, timezone._active)))"
    )

    def kinds(module: str) -> set[str]:
        return set(_probe_line(probe.format(module=module), tmp_path).split())

    assert kinds("webapp.asgi_pages") == {"_ThreadCriticalLocal"}
    assert kinds("webapp.asgi") == {"_DefaultLocal"}


def test_page_processes_load_urls_and_compile_templates_before_their_first_request(tmp_path):
    """Loaded lazily, they held the first requests of a fresh process behind module locks (the
    embedded benchmark's first run of a page: p99 7.5 s, against 0.4 s for the runs after it)."""
    probe = (
        "import webapp.asgi_pages; from django.template import engines; from django.urls import get_resolver; "
        "from webapp.warm_up import project_template_names; "
        "kept = engines.all()[0].engine.template_loaders[0].get_template_cache; "
        "print(get_resolver()._populated, len(project_template_names()), "
        "sum(name in kept for name in project_template_names()), 'curriculum/roadmap.html' in kept)"
    )
    populated, templates, compiled, roadmap = _probe_line(probe, tmp_path).split()

    assert (populated, roadmap) == ("True", "True")
    assert int(templates) >= 40 and int(compiled) == int(templates)


def test_page_processes_write_an_access_log_only_when_asked(monkeypatch):
    from webapp.serve import pages_command

    def command() -> list[str]:
        return pages_command(host="127.0.0.1", port=8000, processes=2, proxy_headers=False)

    monkeypatch.delenv("WEB_ACCESS_LOG", raising=False)
    assert "--no-access-log" in command()
    monkeypatch.setenv("WEB_ACCESS_LOG", "true")
    assert "--no-access-log" not in command()
