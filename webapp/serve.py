"""The web server `make run` and the Docker image start: several page processes for Django behind one
address, and exactly one demo process for the Gradio demos, whose queue lives in that process.

    python -m webapp.serve [--host 127.0.0.1] [--port 8000] [--processes N] [--proxy-headers]

    browser ─▶ uvicorn --workers N (webapp.asgi_pages): /static/, Django pages
                   └─ /demos/<slug>/… ─ streaming proxy ─▶ uvicorn (webapp.asgi), one process,
                                                           on a unix socket in a private folder

The demo process listens on no TCP port: its socket lies in a folder only this user may enter
(mode 0700), so nothing else on the machine reaches Gradio without the page processes' guards.
It starts first (building every demo takes a while), then the page processes; if either stops,
the other is stopped too and the exit status says so. SIGINT and SIGTERM stop both.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from webapp.env import env

UVICORN = str(Path(sys.executable).parent / "uvicorn")
STOP_TIMEOUT_S = 20


def web_processes_default() -> int:
    """WEB_PROCESSES, else one page process per CPU core (at least one)."""
    return env.int("WEB_PROCESSES", default=os.cpu_count() or 1)


def demo_command(socket_path: Path) -> list[str]:
    # Only the page processes can connect, so their X-Forwarded-For/-Proto are believed: Gradio sees
    # the browser's address and scheme as it did when it was served directly.
    return [UVICORN, "webapp.asgi:application", "--uds", str(socket_path), "--proxy-headers",
            "--forwarded-allow-ips", "*", "--no-access-log"]  # fmt: skip


def access_log_wanted() -> bool:
    """WEB_ACCESS_LOG: a line per request on the console, off by default. Formatting and writing
    it, under the handler's lock, was ~15 % of a page process's CPU at 50 users (py-spy, PostgreSQL
    benchmark); a proxy in front keeps its own access log, and Django logs every error either way."""
    return env.bool("WEB_ACCESS_LOG", default=False)


def pages_command(*, host: str, port: int, processes: int, proxy_headers: bool) -> list[str]:
    command = [UVICORN, "webapp.asgi_pages:application", "--host", host, "--port", str(port)]
    if processes > 1:
        command += ["--workers", str(processes)]
    if not access_log_wanted():
        command.append("--no-access-log")
    return command + (["--proxy-headers"] if proxy_headers else [])


def _stop_with_parent() -> None:
    """In the child, before uvicorn starts: Linux sends it SIGTERM if the launcher dies, even by
    SIGKILL, so no orphaned server keeps the port or the socket."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _start(command: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        command, preexec_fn=_stop_with_parent if sys.platform == "linux" else None, **kwargs
    )


def socket_answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def wait_for_socket(proc: subprocess.Popen, path: Path, stopping: list[int]) -> bool:
    """Until the demo process listens (True), exits or a stop signal arrives (False)."""
    while proc.poll() is None and not stopping:
        if path.exists() and socket_answers(path):
            return True
        time.sleep(0.2)
    return False


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def serve(*, host: str, port: int, processes: int, proxy_headers: bool) -> int:
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings.base")
    stopping: list[int] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda signum, _frame: stopping.append(signum))
    procs: list[subprocess.Popen] = []
    folder = Path(tempfile.mkdtemp(prefix="soundpath-demos-"))  # mode 0700: this user only
    pages_env = dict(os.environ)
    try:
        if settings.DEMOS_ENABLED:
            socket_path = folder / "demos.sock"
            print(f"[soundpath] demo process starting on {socket_path}", flush=True)
            procs.append(_start(demo_command(socket_path)))
            if not wait_for_socket(procs[0], socket_path, stopping):
                return 0 if stopping else 1
            pages_env["SOUNDPATH_DEMO_SOCKET"] = str(socket_path)
        # prometheus_client's multiprocess mode: each page process writes its request metrics here,
        # and /metrics adds them up (webapp/ops/metrics.py).
        (folder / "metrics").mkdir()
        pages_env["PROMETHEUS_MULTIPROC_DIR"] = str(folder / "metrics")
        print(f"[soundpath] {processes} page process(es) on http://{host}:{port}", flush=True)
        command = pages_command(host=host, port=port, processes=processes, proxy_headers=proxy_headers)
        procs.append(_start(command, env=pages_env))
        while not stopping and all(proc.poll() is None for proc in procs):
            time.sleep(0.2)
        return 0 if stopping else 1
    finally:
        stop(procs)
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=env("HOST", default="127.0.0.1"))
    parser.add_argument("--port", type=int, default=env.int("PORT", default=8000))
    parser.add_argument("--processes", type=int, default=web_processes_default(), help="page processes")
    parser.add_argument("--proxy-headers", action="store_true", help="believe X-Forwarded-* (behind a proxy)")
    args = parser.parse_args(argv)
    return serve(
        host=args.host, port=args.port, processes=max(1, args.processes), proxy_headers=args.proxy_headers
    )


if __name__ == "__main__":
    sys.exit(main())
