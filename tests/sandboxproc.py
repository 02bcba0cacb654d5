"""Run ``campusgraph sandbox`` as a real subprocess on free loopback ports, for tests and benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

VENDORS = ("stellic", "hubmis", "dartmouth")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SandboxProcess:
    """A running sandbox; ``url(vendor)`` is the vendor's base URL."""

    students: int = 300
    seed: int = 7
    extra_args: tuple[str, ...] = ()
    ports: dict[str, int] = field(default_factory=dict)
    proc: subprocess.Popen[str] | None = None
    output: str = ""

    def start(self, timeout: float = 30.0) -> SandboxProcess:
        self.ports = {v: free_port() for v in VENDORS}
        cmd = [sys.executable, "-m", "gateway.cli", "sandbox", "--students", str(self.students),
               "--seed", str(self.seed), *self.extra_args]
        for vendor, port in self.ports.items():
            cmd += [f"--{vendor}-port", str(port)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.output += line
            if "Controls on each" in line:
                return self
        self.stop()
        raise RuntimeError(f"sandbox did not start:\n{self.output}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def url(self, vendor: str) -> str:
        return f"http://127.0.0.1:{self.ports[vendor]}"

    def control(self, vendor: str, method: str, path: str, json: Any = None) -> Any:
        response = httpx.request(method, f"{self.url(vendor)}/_sandbox/{path}", json=json, timeout=30)
        response.raise_for_status()
        return response.json()

    def reset(self, vendor: str | None = None) -> None:
        for v in (vendor,) if vendor else VENDORS:
            self.control(v, "POST", "reset")

    def faults(self, vendor: str, **switches: Any) -> Any:
        return self.control(vendor, "POST", "faults", switches)

    def requests(self, vendor: str) -> dict[str, Any]:
        result: dict[str, Any] = self.control(vendor, "GET", "requests")
        return result

    def records(self, vendor: str, kind: str, record_id: str | None = None) -> Any:
        return self.control(vendor, "GET", f"records/{kind}" + (f"/{record_id}" if record_id else ""))
