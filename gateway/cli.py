"""The ``campusgraph`` command: ``sandbox`` now; ``serve``, ``demo`` and ``schema`` join it as they land."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Sequence
from datetime import date

from gateway.sandbox.runner import DEFAULT_PORTS, SandboxConfig
from gateway.sandbox.simulator import SandboxOptions


def _sandbox_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sandbox", help="run the Stellic, HUBmis and Dartmouth simulators on loopback")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    for vendor, port in DEFAULT_PORTS.items():
        p.add_argument(f"--{vendor}-port", type=int, default=port, help=f"{vendor} port (default {port})")
    p.add_argument("--seed", type=int, default=1, help="data seed: the same seed gives the same data")
    p.add_argument("--students", type=int, default=500, help="number of generated students (default 500)")
    p.add_argument("--latency-ms", type=float, default=0.0, help="latency added to every vendor call")
    p.add_argument("--today", type=date.fromisoformat, default=None,
                   help="the date the data is built around (default: today)")
    p.add_argument("--export-seconds", type=float, default=3.0,
                   help="how long a Stellic async export takes to complete (default 3)")
    p.add_argument("--task-seconds", type=float, default=1.0,
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
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(config, on_ready=lambda text: print(text, flush=True)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="campusgraph", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _sandbox_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "sandbox":
        return _run_sandbox(args)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
