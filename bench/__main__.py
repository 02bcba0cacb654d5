"""``make bench``: run the benchmarks and write their results to bench/results/ (see bench/README.md)."""

from __future__ import annotations

import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import sandbox_bench

RESULTS = Path(__file__).parent / "results"


def main(argv: list[str]) -> int:
    RESULTS.mkdir(exist_ok=True)
    result = sandbox_bench.run()
    result["when"] = datetime.now(UTC).isoformat(timespec="seconds")
    result["machine"] = f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}"
    (RESULTS / "sandbox.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
