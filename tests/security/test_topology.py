"""Attack: reach Gradio without the page processes in front. `make run` serves the demos from one
process behind the page processes' proxy (webapp/serve.py); that process must listen on no network
port, only on a unix socket in a folder no other user may enter, and a dot-segment path must not
walk out of /demos/<slug>/ on its way through the proxy."""

import os
import stat
from pathlib import Path

import psutil
import pytest

from tests.processes import server_processes
from tests.webapp.test_demo_proxy import raw_get

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


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
