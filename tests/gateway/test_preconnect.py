"""Connections opened at start-up (``CAMPUSGRAPH_<VENDOR>_PRECONNECT``) are the ones the first queries use.

Counted from outside, as an operator would: the gateway process's established TCP connections to the
sandbox's Dartmouth port, read from Linux's /proc.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

# A page of 3 students, then 3 people, 3 hold lists and 3 enrollment lists from Dartmouth at once.
QUERY = """{ students(first: 3) { edges { node { netid firstName holds { code }
    enrollments(activeOnly: true) { role } } } } }"""


def _connections(pid: int, port: int) -> set[int]:
    """Local ports of ``pid``'s established TCP connections to ``port`` on loopback."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:  # closed meanwhile
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    ports = set()
    with open(f"/proc/{pid}/net/tcp") as table:
        for line in table.readlines()[1:]:
            cells = line.split()
            local, remote, state, inode = cells[1], cells[2], cells[3], cells[9]
            if state == "01" and int(remote.rsplit(":", 1)[1], 16) == port and inode in inodes:
                ports.add(int(local.rsplit(":", 1)[1], 16))
    return ports


def _quiet(sandbox: SandboxProcess) -> None:
    """Wait until the gateway's start-up reads (the crosswalk and FERPA indexes) have stopped."""
    seen = -1
    while True:
        total = sum(sandbox.requests(v)["total"] for v in ("dartmouth", "hubmis", "stellic"))
        if total == seen:
            return
        seen = total
        time.sleep(0.3)


@contextmanager
def _gateway(sandbox: SandboxProcess, preconnect: int) -> Iterator[GatewayProcess]:
    proc = GatewayProcess(sandbox_env(sandbox, dartmouth_preconnect=preconnect)).start()
    try:
        _quiet(sandbox)
        yield proc
    finally:
        proc.stop()


def _dartmouth_port(sandbox: SandboxProcess) -> int:
    port = urlsplit(sandbox.url("dartmouth")).port
    assert port is not None
    return port


def test_first_query_uses_the_connections_opened_at_start_up(sandbox: SandboxProcess) -> None:
    port = _dartmouth_port(sandbox)
    with _gateway(sandbox, preconnect=12) as gateway:
        assert gateway.proc is not None
        before = _connections(gateway.proc.pid, port)
        # The gateway's two Dartmouth clients (full scopes, and FERPA-limited) each hold their 12.
        assert len(before) >= 24
        calls_before = sandbox.requests("dartmouth")["total"]
        data = gateway.query(QUERY)["data"]
        assert len(data["students"]["edges"]) == 3
        assert sandbox.requests("dartmouth")["total"] - calls_before == 10  # the calls were made
        assert _connections(gateway.proc.pid, port) <= before  # over connections already open


def test_without_preconnect_the_first_query_opens_its_own(sandbox: SandboxProcess) -> None:
    port = _dartmouth_port(sandbox)
    with _gateway(sandbox, preconnect=0) as gateway:
        assert gateway.proc is not None
        before = _connections(gateway.proc.pid, port)
        assert len(before) < 12
        gateway.query(QUERY)
        assert _connections(gateway.proc.pid, port) - before  # new connections were opened for it
