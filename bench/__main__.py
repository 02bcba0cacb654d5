"""``make bench``: run the benchmarks and write their results to bench/results/ (see bench/README.md).

``python -m bench [--only sandbox|graphql] [--latency-ms N]``: the sandbox benchmark, then the GraphQL
one with N ms of upstream latency on every vendor call (default 20).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def _commit() -> dict[str, Any]:
    """The commit measured, and any uncommitted change to the code under it (the run reads the working tree)."""
    root = Path(__file__).parent.parent

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    changed = git("status", "--porcelain", "--", "gateway", "resolvers", "schema").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD") or None,
            "uncommitted": [line.split(maxsplit=1)[-1] for line in changed]}


def _write(name: str, result: dict[str, Any]) -> None:
    stamped = {"when": datetime.now(UTC).isoformat(timespec="seconds"),
               "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}, "
                          f"{os.cpu_count()} cores",
               **_commit(), **result}
    (RESULTS / f"{name}.json").write_text(json.dumps(stamped, indent=2) + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=("sandbox", "graphql"), help="run one benchmark only")
    parser.add_argument("--latency-ms", type=float, default=20.0,
                        help="upstream latency the sandbox adds to every vendor call (default 20)")
    args = parser.parse_args(argv)
    if args.latency_ms < 0:
        parser.error("--latency-ms must not be negative")
    RESULTS.mkdir(exist_ok=True)
    if args.only in (None, "sandbox"):
        from bench import sandbox_bench

        result = sandbox_bench.run()
        _write("sandbox", result)
        print(json.dumps(result, indent=2), flush=True)
    if args.only in (None, "graphql"):
        from bench import graphql_bench, report

        result = graphql_bench.run(args.latency_ms, log=lambda line: print(line, flush=True))
        _write("graphql", result)
        print(report.markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
