"""Before the test suite: are PostgreSQL and Redis answering? One clear line per missing service, exit 3."""

import os
import socket
import sys
from urllib.parse import urlsplit

SERVICES = [
    ("PostgreSQL", "TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic", 5432),
    ("Redis", "TEST_REDIS_URL", "redis://127.0.0.1:6379/1", 6379),
]


def reachable(url, default_port):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def main():
    missing = []
    for name, variable, default, port in SERVICES:
        url = os.environ.get(variable) or default
        if not reachable(url, port):
            parts = urlsplit(url)
            missing.append(
                f"{name} is not answering at {parts.hostname}:{parts.port or port}; "
                f"start it or point {variable} at one."
            )
    for line in missing:
        print(line, file=sys.stderr)
    return 3 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
