"""The ``campusgraph`` command: ``serve`` (the gateway), ``sandbox`` (the vendor simulators), ``demo`` (both,
wired together), ``schema`` (print the SDL), ``token`` (mint a development token) and ``apikey`` (make an API
key)."""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date

from gateway import eventloop
from gateway.sandbox.runner import DEFAULT_PORTS, SandboxConfig
from gateway.sandbox.simulator import SandboxOptions


def _port(raw: str) -> int:
    """A port to listen on (uvicorn took 99999 and said it was running there)."""
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a port number (1 to 65535)")
    return int(raw)


def _duration(raw: str) -> float:
    """A length of time in the unit its option names: a finite number, 0 or more (a negative latency was taken and
    meant none, without a word)."""
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{raw!r} must be a number, 0 or more")
    return value


def _sandbox_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sandbox", help="run the Stellic, HUBmis and Dartmouth simulators on loopback")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    for vendor, port in DEFAULT_PORTS.items():
        p.add_argument(f"--{vendor}-port", type=_port, default=port, help=f"{vendor} port (default {port})")
    p.add_argument("--seed", type=int, default=1, help="data seed: the same seed gives the same data")
    p.add_argument("--students", type=int, default=500, help="number of generated students (default 500)")
    p.add_argument("--latency-ms", type=_duration, default=0.0, help="how long every vendor call takes (ms)")
    p.add_argument("--today", type=date.fromisoformat, default=None,
                   help="the date the data is built around (default: today)")
    p.add_argument("--export-seconds", type=_duration, default=3.0,
                   help="how long a Stellic async export takes to complete (default 3)")
    p.add_argument("--task-seconds", type=_duration, default=1.0,
                   help="how long a Dartmouth PATCH task takes to complete (default 1)")
    p.add_argument("--sync-export-max-rows", type=int, default=50_000,
                   help="Stellic sync exports larger than this hit the vendor's 2-minute limit (default 50000)")


def _run_sandbox(args: argparse.Namespace) -> int:
    from gateway.sandbox.runner import serve

    if args.students < 0:
        raise SystemExit("sandbox: --students must be 0 or more")
    config = SandboxConfig(
        host=args.host,
        ports={v: getattr(args, f"{v}_port") for v in DEFAULT_PORTS},
        students=args.students, today=args.today,
        options=SandboxOptions(seed=args.seed, latency_ms=args.latency_ms, export_seconds=args.export_seconds,
                               task_seconds=args.task_seconds, sync_export_max_rows=args.sync_export_max_rows),
    )
    from gateway.sandbox.runner import SandboxStartError

    try:
        with contextlib.suppress(KeyboardInterrupt):
            eventloop.run(serve(config, on_ready=lambda text: print(text, flush=True)))
    except SandboxStartError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.logs import configure, uvicorn_log_config
    from gateway.settings import Settings, SettingsError

    if args.log_level:  # through the environment, so that every worker process reads it too
        os.environ["CAMPUSGRAPH_LOG_LEVEL"] = args.log_level
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"campusgraph serve: {exc}", file=sys.stderr)
        return 2
    configure(settings.log_level)
    settings.log_notes()  # once, here: not once per worker
    with _shared_metrics(args.workers, settings.metrics_enabled):
        uvicorn.run("gateway.app:create_app_from_env", factory=True, host=args.host or settings.host,
                    port=args.port or settings.port, workers=args.workers, log_level=settings.log_level.lower(),
                    log_config=uvicorn_log_config(settings.log_level), access_log=False, timeout_graceful_shutdown=30)
    return 0


@contextlib.contextmanager
def _shared_metrics(workers: int, enabled: bool) -> Iterator[None]:
    """Several workers count into one directory, so that ``/metrics`` on any of them shows them all: one made
    for this run (through the environment the workers inherit) and removed after it. A directory the operator
    named in ``PROMETHEUS_MULTIPROC_DIR`` is used as it is, one worker or many."""
    from gateway.observability.metrics import MULTIPROCESS_DIR, multiprocess_dir

    if workers <= 1 or not enabled or multiprocess_dir() is not None:
        yield
        return
    path = tempfile.mkdtemp(prefix="campusgraph-metrics-")
    os.environ[MULTIPROCESS_DIR] = path
    try:
        yield
    finally:
        os.environ.pop(MULTIPROCESS_DIR, None)
        shutil.rmtree(path, ignore_errors=True)


def _run_schema(args: argparse.Namespace) -> int:
    from gateway.app import build_schema

    print(build_schema().as_str())
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from gateway.demo import run_demo

    ports = {v: getattr(args, f"{v}_port") for v in DEFAULT_PORTS}
    with contextlib.suppress(KeyboardInterrupt):
        return eventloop.run(run_demo(students=args.students, port=args.port, latency_ms=args.latency_ms,
                                    sandbox_ports=ports, today=args.today))
    return 0


def _run_token(args: argparse.Namespace) -> int:
    """Mint a development token against CAMPUSGRAPH_AUTH_DEV_KEY (issuer and audience as configured)."""
    import os

    from gateway.auth.tokens import TokenPolicy
    from gateway.auth.viewer import SCOPES
    from gateway.vendors.config import Secret

    key = os.environ.get("CAMPUSGRAPH_AUTH_DEV_KEY", "")
    if len(key) < 32:
        print("campusgraph token: set CAMPUSGRAPH_AUTH_DEV_KEY (at least 32 characters) first", file=sys.stderr)
        return 2
    scopes = list(SCOPES) if args.all_scopes else list(args.scopes or [])
    unknown = sorted(set(scopes) - SCOPES.keys())
    if unknown or not scopes:
        print(f"campusgraph token: give --all-scopes or --scopes from {sorted(SCOPES)}"
              + (f" (unknown: {unknown})" if unknown else ""), file=sys.stderr)
        return 2
    if not args.ttl_hours > 0:  # a token already expired would be refused by the gateway it was made for
        print("campusgraph token: --ttl-hours must be above 0", file=sys.stderr)
        return 2
    policy = TokenPolicy(issuer=os.environ.get("CAMPUSGRAPH_AUTH_ISSUER", "campusgraph"),
                         audience=os.environ.get("CAMPUSGRAPH_AUTH_AUDIENCE", "campusgraph"), dev_key=Secret(key))
    print(policy.mint(args.subject, scopes, ttl_s=max(1, int(args.ttl_hours * 3600))))
    return 0


def _run_apikey(args: argparse.Namespace) -> int:
    import json

    from gateway.auth.apikeys import new_key
    from gateway.auth.viewer import SCOPES

    unknown = sorted(set(args.scopes) - SCOPES.keys())
    if unknown:  # its entry would stop `campusgraph serve` from starting (CAMPUSGRAPH_AUTH_API_KEYS: unknown scopes)
        print(f"campusgraph apikey: unknown scopes {unknown}; give --scopes from {sorted(SCOPES)}", file=sys.stderr)
        return 2
    key, entry = new_key(args.id, list(args.scopes))
    print(f"API key (give it to the caller; it is not stored): {key}")
    print(f"entry for CAMPUSGRAPH_AUTH_API_KEYS: {json.dumps(entry)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="campusgraph", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the gateway from CAMPUSGRAPH_* settings")
    serve.add_argument("--host", default=None, help="listen address (default CAMPUSGRAPH_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=None, help="port (default CAMPUSGRAPH_PORT or 8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (share state through Redis)")
    serve.add_argument("--log-level", choices=["debug", "info", "warning", "error"],
                       help="overrides CAMPUSGRAPH_LOG_LEVEL (default info)")
    _sandbox_parser(sub)
    demo = sub.add_parser("demo", help="run the sandbox and the gateway on 127.0.0.1:8000, wired together")
    demo.add_argument("--port", type=_port, default=8000, help="gateway port (default 8000)")
    demo.add_argument("--students", type=int, default=500, help="sandbox students (default 500)")
    demo.add_argument("--latency-ms", type=_duration, default=0.0, help="sandbox latency per vendor call")
    demo.add_argument("--today", type=date.fromisoformat, default=None,
                      help="the date the sandbox's data is built around (default: today); the README's examples "
                           "were written against 2026-11-23")
    for vendor, default_port in DEFAULT_PORTS.items():
        demo.add_argument(f"--{vendor}-port", type=_port, default=default_port,
                          help=f"{vendor} sandbox port (default {default_port})")
    sub.add_parser("schema", help="print the GraphQL schema (SDL)")
    token = sub.add_parser("token", help="mint a development token against CAMPUSGRAPH_AUTH_DEV_KEY")
    which = token.add_mutually_exclusive_group(required=True)
    which.add_argument("--scopes", nargs="+", help="the scopes to grant")
    which.add_argument("--all-scopes", action="store_true", help="grant every scope")
    token.add_argument("--subject", default="developer", help="the caller id (sub claim)")
    token.add_argument("--ttl-hours", type=float, default=8.0, help="lifetime (default 8 hours)")
    apikey = sub.add_parser("apikey", help="make a server-to-server API key and the hashed entry to store")
    apikey.add_argument("id", help="a name for the caller, e.g. registrar-sync")
    apikey.add_argument("--scopes", nargs="+", required=True)
    args = parser.parse_args(argv)
    runners = {"serve": _run_serve, "sandbox": _run_sandbox, "demo": _run_demo, "schema": _run_schema,
               "token": _run_token, "apikey": _run_apikey}
    return runners[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
