"""Before the tests: is PostgreSQL reachable, and Redis? If not, say which and how to start it."""

import os
import socket
import sys
from urllib.parse import urlparse

HOW_TO_START = {
    "PostgreSQL": "start it (Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) "
    "or point TEST_DATABASE_URL at a server where user 'postgres' may create databases",
    "Redis": "start it (redis-server --daemonize yes --port 6379) or point TEST_CELERY_BROKER_URL at one",
}


def reachable(url: str, default_port: int) -> tuple[str, int, bool]:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=3):
            return host, port, True
    except OSError:
        return host, port, False


def main() -> int:
    missing = []
    for name, var, port in (("PostgreSQL", "DATABASE_URL", 5432), ("Redis", "CELERY_BROKER_URL", 6379)):
        host, port, ok = reachable(os.environ[var], port)
        if not ok:
            missing.append(f"  - {name} is not answering at {host}:{port}: {HOW_TO_START[name]}.")
    if missing:
        print("The tests need real services, and these are missing:", *missing, sep="\n", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
