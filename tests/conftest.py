"""Shared fixtures: one real sandbox process per test session, reset before each test that uses it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sandboxproc import SandboxProcess


@pytest.fixture(scope="session")
def sandbox_process() -> Iterator[SandboxProcess]:
    proc = SandboxProcess(students=300, seed=7,
                          extra_args=("--export-seconds", "1.5", "--task-seconds", "0.5")).start()
    yield proc
    proc.stop()


@pytest.fixture
def sandbox(sandbox_process: SandboxProcess) -> SandboxProcess:
    """The session's sandbox with fresh data, no faults and an empty request log."""
    sandbox_process.reset()
    return sandbox_process
