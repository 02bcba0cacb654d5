"""Eager starts: run a coroutine at once, and make a task of it only if it has to wait.

A warm read is answered from this process's memory, yet as a coroutine it still costs a task and a
trip round the event loop before its value is there; a GraphQL query of 50 students makes hundreds
of them. ``start`` runs the coroutine in the caller's turn instead (what Python 3.12's eager tasks
do): one that finishes without waiting gives an already-done future, which awaits without
suspending, so a field whose data is at hand resolves at once. One that has to wait goes on in a
task of its own, from where it stopped.

Before anything that may wait on a connection, code awaits ``leave_eager_step()``: inside an eager
step the rest of the coroutine then moves to its task first, so the I/O runs in a task of its own
(aiohttp's and Redis' timeouts cancel ``asyncio.current_task()``, which must be that task, not the
caller's). Elsewhere it costs nothing.
"""

from __future__ import annotations

import asyncio
import threading
import types
from collections.abc import Coroutine, Generator
from typing import Any, TypeVar, cast

T = TypeVar("T")


class _Steps(threading.local):
    depth = 0  # eager steps running now in this thread's event loop (nested when one starts another)


_steps = _Steps()


@types.coroutine
def leave_eager_step() -> Generator[None, None, None]:
    """Awaited before I/O: in an eager step, hands the rest of the coroutine to its own task; else nothing."""
    if _steps.depth:
        yield  # a bare yield: ``start`` sees it and continues the coroutine in a task


def start(coro: Coroutine[Any, Any, T]) -> asyncio.Future[T]:
    """Run ``coro`` now, up to its first wait. A done future when it finished (its value or its exception);
    otherwise a task that goes on from where it stopped."""
    loop = asyncio.get_running_loop()
    _steps.depth += 1
    try:
        waiting = coro.send(None)
    except StopIteration as stop:
        done: asyncio.Future[T] = loop.create_future()
        done.set_result(stop.value)
        return done
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # the future carries it, as a task would
        failed: asyncio.Future[T] = loop.create_future()
        if isinstance(exc, asyncio.CancelledError):
            failed.cancel()
        else:
            failed.set_exception(exc)
        return failed
    finally:
        _steps.depth -= 1
    if waiting is not None:
        # Taken here, as a task takes what its coroutine yields: another eager step may await the same future
        # before our task first runs, and a future still marked as yielded would refuse it.
        waiting._asyncio_future_blocking = False
    return loop.create_task(_Resumed(coro, waiting).run())


def settle(coro: Coroutine[Any, Any, T]) -> T | asyncio.Future[T]:
    """``start``, giving the value itself when the coroutine finished with one: a field that returns it resolves
    without an awaitable. Otherwise the future, which reports a failure where it is awaited."""
    future = start(coro)
    if future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return future


class _Resumed:
    """The rest of a coroutine that an eager step left waiting on ``waiting`` (None: it only stepped aside)."""

    __slots__ = ("_coro", "_waiting")

    def __init__(self, coro: Coroutine[Any, Any, Any], waiting: Any) -> None:
        self._coro, self._waiting = coro, waiting

    async def run(self) -> Any:
        return await self

    def __await__(self) -> Generator[Any, Any, Any]:
        # What ``yield from coro`` does, for a coroutine that has already run up to ``waiting``: the task waits
        # on what the coroutine waits on and sends back (or throws in: a cancellation) what it gets. One that
        # stepped aside for I/O (None) goes on at once: it is in its own task now.
        coro, first = self._coro, self._waiting
        sent, value = True, cast(Any, None)
        if first is not None and not first.done():  # once done, the coroutine's await reads its outcome itself
            first._asyncio_future_blocking = True  # as the coroutine's own await had marked it
            sent, value = yield from _wait_on(first, coro)
        while True:
            try:
                waiting = coro.send(value) if sent else coro.throw(value)
            except StopIteration as stop:
                return stop.value
            sent, value = yield from _wait_on(waiting, coro)


def _wait_on(waiting: Any, coro: Coroutine[Any, Any, Any]) -> Generator[Any, Any, tuple[bool, Any]]:
    """Yield ``waiting`` to the task; (True, what was sent) or (False, the exception thrown in)."""
    try:
        return True, (yield waiting)
    except GeneratorExit:
        coro.close()
        raise
    except BaseException as exc:  # thrown in by the task: passed on
        return False, exc
