"""The ``sandbox`` and ``demo`` commands run on uvloop (installed with ``uvicorn[standard]``)."""

from __future__ import annotations

import asyncio

import pytest

from gateway import eventloop


def test_run_uses_uvloop_when_installed() -> None:
    pytest.importorskip("uvloop")

    async def loop_module() -> str:
        return type(asyncio.get_running_loop()).__module__

    assert eventloop.run(loop_module()).startswith("uvloop")


def test_run_falls_back_to_asyncio_without_uvloop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eventloop, "loop_factory", lambda: None)

    async def loop_module() -> str:
        return type(asyncio.get_running_loop()).__module__

    assert eventloop.run(loop_module()).startswith("asyncio")
