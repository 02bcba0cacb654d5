"""``campusgraph demo``: the vendor sandbox and the gateway in one process, wired to each other."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import socket
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

import uvicorn

from gateway.app import create_app
from gateway.auth.viewer import BASIC_SCOPES, SCOPES
from gateway.logs import configure, quiet_cut_off_requests
from gateway.sandbox import credentials as creds
from gateway.sandbox.runner import SandboxConfig, serve
from gateway.sandbox.simulator import SandboxOptions
from gateway.settings import Settings, SettingsError

# What the demo wires to its sandbox: taken from the environment, these would point the gateway elsewhere.
WIRED = frozenset(f"CAMPUSGRAPH_{vendor}_{name}" for vendor, names in (
    ("STELLIC", ("BASE_URL", "TOKEN")), ("HUBMIS", ("BASE_URL", "CLIENT_ID", "CLIENT_SECRET", "REALM")),
    ("DARTMOUTH", ("BASE_URL", "API_KEY"))) for name in names)


# How long Ctrl-C (or SIGTERM) lets requests still running finish before the demo stops: a demo in a terminal stops
# when asked. Without a limit it waited for every one, a query on a slow vendor or a sandbox latency for as long as
# they took. `campusgraph serve` drains its requests for up to 30 s instead (gateway/cli.py).
STOP_GRACE_S = 1  # uvicorn takes whole seconds


def from_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The ``CAMPUSGRAPH_*`` settings a demo takes from its environment: any but the vendors' base URLs and
    credentials, which are the sandbox's (``CAMPUSGRAPH_CALL_BUDGET=20 make demo``)."""
    return {k: v for k, v in environ.items() if k.startswith("CAMPUSGRAPH_") and k not in WIRED}


def sandbox_settings(config: SandboxConfig, environ: Mapping[str, str] | None = None,
                     **overrides: object) -> Settings:
    """Gateway settings pointing at a running sandbox: only base URLs and credentials differ from production.
    ``environ``: ``CAMPUSGRAPH_*`` settings to take besides (``from_environment``); ``overrides`` win over both."""
    env = {
        **from_environment(environ or {}),
        "CAMPUSGRAPH_STELLIC_BASE_URL": config.base_url("stellic"),
        "CAMPUSGRAPH_STELLIC_TOKEN": creds.STELLIC_PAT,
        "CAMPUSGRAPH_HUBMIS_BASE_URL": config.base_url("hubmis"),
        "CAMPUSGRAPH_HUBMIS_CLIENT_ID": creds.HUBMIS_CLIENT_ID,
        "CAMPUSGRAPH_HUBMIS_CLIENT_SECRET": creds.HUBMIS_CLIENT_SECRET,
        "CAMPUSGRAPH_HUBMIS_REALM": creds.HUBMIS_REALM,
        "CAMPUSGRAPH_DARTMOUTH_BASE_URL": config.base_url("dartmouth"),
        "CAMPUSGRAPH_DARTMOUTH_API_KEY": creds.DARTMOUTH_API_KEY,
        **{f"CAMPUSGRAPH_{k.upper()}": str(v) for k, v in overrides.items()},
    }
    return Settings.from_env(env)


async def _serve(server: uvicorn.Server, listener: socket.socket) -> bool:
    """``server.serve``, its start-up failure returned (False) rather than raised: uvicorn ends a failed start-up
    with ``sys.exit``, which out of a task ended the demo in "Task exception was never retrieved" and a traceback
    (``campusgraph serve``, through ``uvicorn.run``, exits with the logged reason alone)."""
    try:
        await server.serve(sockets=[listener])
    except SystemExit:
        return False
    return True


async def run_demo(students: int = 500, port: int = 8000, latency_ms: float = 0.0,
                   sandbox_ports: dict[str, int] | None = None, today: date | None = None) -> int:
    config = SandboxConfig(students=students, today=today, options=SandboxOptions(latency_ms=latency_ms))
    if sandbox_ports:
        config = replace(config, ports=sandbox_ports)
    # New for every demo run, so its tokens open only this demo; unless one is set, for `campusgraph token` to mint
    # tokens this demo takes (with the scopes a test needs, say).
    dev_key = os.environ.get("CAMPUSGRAPH_AUTH_DEV_KEY") or secrets.token_urlsafe(48)
    try:
        settings = sandbox_settings(config, os.environ, auth_dev_key=dev_key)
    except SettingsError as problem:  # a CAMPUSGRAPH_* setting from the environment: said before anything starts
        print(f"campusgraph demo: {problem}", flush=True)
        return 2
    # Quiet beside the printed tokens, unless CAMPUSGRAPH_LOG_LEVEL asks for more (or less), as for serve.
    configure(settings.log_level if os.environ.get("CAMPUSGRAPH_LOG_LEVEL", "").strip() else "WARNING")
    settings.log_notes()
    # The gateway's port is taken before anything starts, so one in use is said in a line, as a sandbox port is
    # (uvicorn, binding it itself, ended the whole demo in a SystemExit with the sandbox's traceback).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(("127.0.0.1", port))
    except OSError as taken:
        listener.close()
        print(f"campusgraph demo: cannot listen on 127.0.0.1:{port} for the gateway: {taken.strerror} "
              "(another demo running? give another --port)", flush=True)
        return 2
    ready = asyncio.Event()

    def sandbox_ready(text: str) -> None:
        print(text, flush=True)
        ready.set()

    sandbox = asyncio.create_task(serve(config, on_ready=sandbox_ready))
    waiting = asyncio.create_task(ready.wait())
    await asyncio.wait({sandbox, waiting}, return_when=asyncio.FIRST_COMPLETED)
    if sandbox.done():  # it could not start (a port in use): say why and stop
        waiting.cancel()
        exc = sandbox.exception()
        print(f"campusgraph demo: {exc}" if exc else "campusgraph demo: the sandbox stopped", flush=True)
        listener.close()
        return 2
    assert settings.access.tokens is not None
    full = settings.access.tokens.mint("demo-admin", list(SCOPES))
    basic = settings.access.tokens.mint("demo-basic", list(BASIC_SCOPES))
    tokens = settings.access.tokens
    # GraphiQL's token is minted for each page load: a page opened after the printed tokens expire still works.
    app = create_app(settings, graphiql_headers=lambda: {
        "Authorization": f"Bearer {tokens.mint('demo-admin', list(SCOPES))}"})
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                                           timeout_graceful_shutdown=STOP_GRACE_S))
    quiet_cut_off_requests()  # after uvicorn's Config, which sets its loggers up
    gateway = asyncio.create_task(_serve(server, listener))
    while not server.started and not gateway.done():  # noqa: ASYNC110 - uvicorn exposes no started event
        await asyncio.sleep(0.05)
    if not server.started:  # its start-up failed (uvicorn has logged why: a scope Dartmouth did not grant, say)
        listener.close()
        sandbox.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sandbox
        print("campusgraph demo: the gateway could not start (its reason is above)", flush=True)
        return 2
    print(f"\ncampusgraph gateway ready: GraphiQL at http://127.0.0.1:{port}/graphql "
          "(it opens with the every-scope token in its headers)", flush=True)
    print(f"\nToken with every scope:\n  Authorization: Bearer {full}", flush=True)
    print(f"Token with basic read scopes only ({', '.join(BASIC_SCOPES)}):\n  Authorization: Bearer {basic}",
          flush=True)
    try:
        await gateway
        return 0
    finally:
        listener.close()
        sandbox.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sandbox
