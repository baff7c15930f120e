"""Starting and stopping the real processes that integration tests talk to."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
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
    *,
    db_name: str,
    queues: str = "cpu,gpu",
    name: str = "test",
    extra_env: dict[str, str] | None = None,
    beat: bool = False,
) -> Iterator[subprocess.Popen]:
    """A real worker like production's CPU worker: prefork with one child (time limits work there)."""
    from workers.celery import app

    extra_env = {"CELERY_BROKER_URL": app.conf.broker_url, **(extra_env or {})}
    with app.connection_for_write() as conn:  # a clean queue: nothing left over from earlier runs
        for queue in queues.split(","):
            with contextlib.suppress(Exception):
                conn.default_channel.queue_purge(queue)
    log = open(ROOT / "var" / f"celery-{name}.log", "wb")  # noqa: SIM115 - closed below
    cmd = [str(VENV_BIN / "celery"), "-A", "workers.celery", "worker", "--pool=prefork", "--concurrency=1", "-Q", queues,
           "-n", f"{name}@%h", "--without-mingle", "--without-gossip", "-l", "INFO"]  # fmt: skip
    if beat:  # the periodic sweeper, embedded in this worker
        cmd += ["-B", "--schedule", str(ROOT / "var" / f"celerybeat-{name}")]
    env = process_env(db_name=db_name, **extra_env)
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
def uvicorn_process(
    *,
    db_name: str,
    timeout: float = 120,
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    name: str = "test",
    processes: int = 2,
) -> Iterator[str]:
    """The real web server as `make run` starts it (webapp/serve.py: `processes` page processes
    and the one demo process behind them); yields its base URL. `database_url` points it at
    another address of the test database (a TcpProxy, say)."""
    import httpx

    port = free_port()
    log_name = f"var/uvicorn-{name}.log"
    log = open(ROOT / log_name, "wb")  # noqa: SIM115 - closed below
    cmd = [sys.executable, "-m", "webapp.serve", "--host", "127.0.0.1", "--port", str(port),
           "--processes", str(processes)]  # fmt: skip
    overrides = {**({"DATABASE_URL": database_url} if database_url else {}), **(extra_env or {})}
    # Its own process group, so whatever the server leaves behind is stopped with it.
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=process_env(db_name=db_name, **overrides),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {proc.returncode}; see {log_name}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/roadmap/", timeout=2).status_code < 500:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not answer in time; see {log_name}")
            time.sleep(0.5)
        yield base
    finally:
        stop_process(proc)
        log.close()


def server_processes(base: str):
    """(a page process listening at `base`, the demo process its launcher started), as psutil
    processes, for a server started by `uvicorn_process`."""
    import psutil

    port = int(base.rsplit(":", 1)[1])
    listening = {
        c.pid
        for c in psutil.net_connections("tcp")
        if c.laddr.port == port and c.status == psutil.CONN_LISTEN
    }
    page = psutil.Process(min(pid for pid in listening if pid))
    launcher = next(p for p in [page, *page.parents()] if "webapp.serve" in p.cmdline())
    [demo] = [p for p in launcher.children(recursive=True) if "webapp.asgi:application" in p.cmdline()]
    return page, demo


def demo_process_client(base: str, **kwargs):
    """An httpx client talking straight to the demo process of the server at `base` (its unix
    socket), for tests that must ask that process itself."""
    import httpx

    _, demo = server_processes(base)
    socket_path = demo.cmdline()[demo.cmdline().index("--uds") + 1]
    return httpx.Client(transport=httpx.HTTPTransport(uds=socket_path), base_url="http://127.0.0.1", **kwargs)


@contextlib.contextmanager
def private_redis(port: int | None = None, *, appendonly: bool = False) -> Iterator[tuple[str, callable]]:
    """A Redis server of the test's own on a free port (no persistence unless asked), so a test may
    restart it without touching the machine's. Yields (broker URL, restart function)."""
    import shutil

    port = port or free_port()
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    folder = ROOT / "var" / f"redis-{port}"
    folder.mkdir(parents=True, exist_ok=True)
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder),
            "--appendonly", "yes" if appendonly else "no"]  # fmt: skip
    state = {"proc": None}

    def start() -> None:
        state["proc"] = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
            time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def restart() -> None:
        stop_process(state["proc"], sig=signal.SIGKILL)
        start()

    start()
    try:
        yield f"redis://127.0.0.1:{port}/0", restart
    finally:
        stop_process(state["proc"], sig=signal.SIGKILL)


@contextlib.contextmanager
def celery_client_broker(url: str) -> Iterator[None]:
    """Point this process's Celery client at another broker for the duration."""
    from workers.celery import app

    def reset_pools() -> None:  # connections and producers are pooled per broker URL: pick anew
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    app.conf.broker_url = url
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        reset_pools()


def database_url(*, db_name: str, host: str, port: int) -> str:
    """The test database's URL (its user and password) at another address."""
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{host}:{port}/{db_name}"


class TcpProxy:
    """Forwards 127.0.0.1:<port> to `target`, and can be switched off (new connections refused,
    open ones cut, as when a database server goes away) and on again on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def on(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), name="tcp-proxy", daemon=True).start()

    def off(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            _close(listener)  # nothing listens: connecting is refused at once
        with self._lock:
            cut, self._open = self._open, set()
        for sock in cut:
            _close(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # switched off
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open -= {source, sink}
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in accept() or recv() on it
    sock.close()


@contextlib.contextmanager
def tcp_proxy(target: tuple[str, int]) -> Iterator[TcpProxy]:
    proxy = TcpProxy(target)
    proxy.on()
    try:
        yield proxy
    finally:
        proxy.off()
