"""Every GraphQL example in the README runs as written against a gateway over the sandbox, as a user
would paste it into GraphiQL: reads answer without an error, writes without a GraphQL error (a write's
refused items are its ``userErrors``, as the README shows)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

README = Path(__file__).resolve().parents[2] / "README.md"
# The world `make demo` serves (seed 1, 500 students), on the day the examples' term and ids were taken from:
# the current term is then 202609 and the large COSC lecture is COSC.010.01-202609-U-10275.
DEMO_SEED, DEMO_STUDENTS, EXAMPLES_DAY = 1, 500, "2026-11-23"
_STARTS = re.compile(r"^(?={|query\b|mutation\b)", re.M)


def examples() -> list[str]:
    """Each operation of each ```graphql block (a block may hold several, one after the other)."""
    found = []
    for block in re.findall(r"```graphql\n(.*?)```", README.read_text(), re.S):
        code = "\n".join(line for line in block.splitlines() if not line.lstrip().startswith("#"))
        found += [op.strip() for op in _STARTS.split(code) if op.strip()]
    return found


def test_the_readme_has_examples() -> None:
    assert len(examples()) >= 8


@pytest.fixture(scope="module")
def demo_gateway() -> Iterator[GatewayProcess]:
    sandbox = SandboxProcess(students=DEMO_STUDENTS, seed=DEMO_SEED,
                             extra_args=("--today", EXAMPLES_DAY)).start(timeout=120)
    try:
        gateway = GatewayProcess(sandbox_env(sandbox)).start()
        yield gateway
        gateway.stop()
    finally:
        sandbox.stop()


@pytest.mark.parametrize("operation", examples(), ids=lambda op: " ".join(op.split())[:60])
def test_each_readme_example_runs_as_written(demo_gateway: GatewayProcess, operation: str) -> None:
    result = demo_gateway.query(operation)
    assert not result.get("errors"), result["errors"]
    assert result["data"] and all(value is not None for value in result["data"].values()), result["data"]
