"""Start the three simulators on loopback: one uvicorn server, one socket per vendor."""

from __future__ import annotations

import asyncio
import importlib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial

import uvicorn
from starlette.types import Receive, Scope, Send

from gateway.logs import quiet_cut_off_requests
from gateway.sandbox import credentials as creds
from gateway.sandbox.population import build_world
from gateway.sandbox.simulator import SandboxOptions, Simulator
from gateway.sandbox.world import World

SIMULATORS: dict[str, str] = {
    "stellic": "gateway.sandbox.stellic:StellicSimulator",
    "hubmis": "gateway.sandbox.hubmis:HubmisSimulator",
    "dartmouth": "gateway.sandbox.dartmouth:DartmouthSimulator",
}
DEFAULT_PORTS = {"stellic": 8101, "hubmis": 8102, "dartmouth": 8103}


@dataclass(frozen=True)
class SandboxConfig:
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    students: int = 500
    today: date | None = None
    options: SandboxOptions = field(default_factory=SandboxOptions)

    def base_url(self, vendor: str) -> str:
        return f"http://{self.host}:{self.ports[vendor]}"


def _simulator_class(vendor: str) -> type[Simulator]:
    module, _, name = SIMULATORS[vendor].partition(":")
    cls: type[Simulator] = getattr(importlib.import_module(module), name)
    return cls


class _SharedFirstWorld:
    """Builds the world once for the first load of every simulator (start-up time at 20,000 students
    is dominated by building it); each later call (a reset) builds a fresh copy for that simulator."""

    def __init__(self, build: Callable[[], World], users: int) -> None:
        self._build, self._left = build, users
        self._first: World | None = None

    def __call__(self) -> World:
        if self._left > 0:
            self._left -= 1
            if self._first is None:
                self._first = self._build()
            world = self._first
            self._first = world if self._left else None
            return world
        return self._build()


def build_simulators(config: SandboxConfig) -> dict[str, Simulator]:
    """One simulator per vendor over the same deterministic world (each reset rebuilds its own copy)."""
    factory = _SharedFirstWorld(partial(build_world, config.options.seed, config.students, config.today),
                                len(SIMULATORS))
    # Listening on every address (a container): absolute URLs in bodies follow the Host each request came to.
    wildcard = config.host in ("0.0.0.0", "::")  # noqa: S104 - compared, not bound
    return {
        vendor: _simulator_class(vendor)(factory, replace(config.options,
                                                          base_url="" if wildcard else config.base_url(vendor)))
        for vendor in SIMULATORS
    }


class SandboxStartError(RuntimeError):
    """Raised when a simulator's port cannot be bound (another process holds it)."""


class PortMux:
    """Routes each connection to the simulator listening on the port it arrived at."""

    def __init__(self, by_port: dict[int, Simulator]) -> None:
        self.by_port = by_port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            message = await receive()
            while message["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
                message = await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        _host, port = scope.get("server") or (None, 0)
        await self.by_port[port](scope, receive, send)


def bind(config: SandboxConfig) -> list[socket.socket]:
    """Bind every vendor's port first, so a busy port fails before any data is built."""
    sockets: list[socket.socket] = []
    for vendor in SIMULATORS:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Without it a response body waits for the client's delayed ACK (~40 ms on Linux) when the
        # headers went out in a separate segment; vendors' front ends do not add that delay.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.bind((config.host, config.ports[vendor]))
        except OSError as exc:
            where = f"{config.host}:{config.ports[vendor]}"
            for bound in sockets:
                bound.close()
            sock.close()
            raise SandboxStartError(f"sandbox: cannot listen on {where} ({vendor}): {exc.strerror}") from None
        sock.listen(2048)
        sock.set_inheritable(True)
        sockets.append(sock)
    return sockets


def banner(config: SandboxConfig, seconds: float) -> str:
    return "\n".join([
        f"campusgraph sandbox ready in {seconds:.1f}s: {config.students} students, seed {config.options.seed}",
        f"  Stellic    {config.base_url('stellic')}   (Partner API under /partnerapi/v1, exports under /exports)",
        f"             PAT {creds.STELLIC_PAT} (all scopes), {creds.STELLIC_READONLY_PAT} (read only)",
        f"  HUBmis     {config.base_url('hubmis')}   (API under /api/v1)",
        f"             client_id={creds.HUBMIS_CLIENT_ID} client_secret={creds.HUBMIS_CLIENT_SECRET} "
        f"Realm: {creds.HUBMIS_REALM}",
        f"  Dartmouth  {config.base_url('dartmouth')}   (API under /api)",
        f"             API key {creds.DARTMOUTH_API_KEY} (every scope), {creds.DARTMOUTH_BASIC_KEY} (basic scopes)",
        "  Controls on each: GET /_sandbox/requests, POST /_sandbox/reset, POST /_sandbox/faults",
    ])


async def serve(config: SandboxConfig, on_ready: Callable[[str], None] = print) -> None:
    started = time.perf_counter()
    sockets = bind(config)
    simulators = build_simulators(config)
    mux = PortMux({config.ports[v]: sim for v, sim in simulators.items()})
    # A simulator stops when asked: a call it is holding (a latency fault) is cut off after a second, not waited for.
    server = uvicorn.Server(uvicorn.Config(mux, log_level="warning", access_log=False, lifespan="on",
                                           timeout_keep_alive=30, timeout_graceful_shutdown=1))
    quiet_cut_off_requests()  # after uvicorn's Config, which sets its loggers up
    task = asyncio.ensure_future(server.serve(sockets=sockets))
    while not server.started and not task.done():  # noqa: ASYNC110 - uvicorn exposes no started event
        await asyncio.sleep(0.02)
    if server.started:
        on_ready(banner(config, time.perf_counter() - started))
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:  # stopped from outside (the demo on Ctrl-C): shut down as on a signal, quietly
        server.should_exit = True
        await task
        raise
