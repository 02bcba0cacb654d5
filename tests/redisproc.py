"""A real redis-server on a free loopback port, for tests that need a shared cache or bucket."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time

from tests.sandboxproc import free_port
from tests.scratch import scratch_dir


class RedisProcess:
    def __init__(self, *args: str) -> None:
        """``args``: more redis-server options, e.g. ``--user`` to require an ACL user."""
        self.args = args
        self.port = free_port()
        self.dir = str(scratch_dir("redis-"))
        self.start()

    def start(self) -> None:
        """Start it (again, after ``stop``: on the same port, empty)."""
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed; `make test` installs it")
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir, *self.args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def freeze(self) -> None:
        """SIGSTOP: connections are still accepted, but nothing is answered (a hung server, or a lost network)."""
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT: it answers again, with what it held (and runs what was sent to it meanwhile)."""
        self.proc.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.thaw()  # a frozen process would not act on SIGTERM
            self.proc.terminate()
            self.proc.wait(timeout=10)
