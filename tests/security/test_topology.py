"""Attack: reach Gradio without the page processes in front. `make run` serves the demos from one
process behind the page processes' proxy (webapp/serve.py); that process must listen on no network
port, only on a unix socket in a folder no other user may enter, and a dot-segment path must not
walk out of /demos/<slug>/ on its way through the proxy."""

import os
import stat
from pathlib import Path

import psutil
import pytest

from tests.webapp.test_demo_proxy import raw_get

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def server_processes(base: str) -> tuple[psutil.Process, psutil.Process]:
    """(a page process listening at `base`, the demo process started by the same launcher)."""
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


def test_demo_process_listens_only_on_a_private_unix_socket(server):
    page, demo = server_processes(server)

    assert demo.pid != page.pid
    assert [c for c in demo.net_connections("inet") if c.status == psutil.CONN_LISTEN] == []
    socket_path = Path(demo.cmdline()[demo.cmdline().index("--uds") + 1])
    assert stat.S_ISSOCK(socket_path.stat().st_mode)
    folder = socket_path.parent.stat()
    assert stat.S_IMODE(folder.st_mode) == 0o700 and folder.st_uid == os.getuid()


@pytest.mark.parametrize(
    "target",
    [
        "/demos/fundamentals/../../../../etc/passwd",
        "/demos/fundamentals/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/demos/fundamentals/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/demos/fundamentals/gradio_api/file=/etc/passwd",
    ],
)
def test_path_traversal_through_the_proxy_is_refused(server, target):
    status, body = raw_get(server, target)

    assert status in (403, 404) and b"root:" not in body
