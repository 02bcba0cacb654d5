"""run(coro): asyncio.run on uvloop where it is installed (it comes with ``uvicorn[standard]``).

``campusgraph serve`` gets uvloop from uvicorn itself; the ``sandbox`` and ``demo`` commands start their
servers inside a loop of their own, which was asyncio's pure-Python one: on it each simulated vendor call
cost the sandbox about twice the CPU, and the sandbox shares the machine with the gateway it serves.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:
        return None
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory


def run(main: Coroutine[Any, Any, T]) -> T:
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(main)
