"""Eager starts (gateway/eager.py): a coroutine that needs no wait is done at once; one that waits goes on in a
task of its own, from where it stopped, and does its I/O there."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from gateway.eager import leave_eager_step, settle, start


async def test_a_coroutine_that_never_waits_is_done_at_once() -> None:
    ran: list[str] = []

    async def answer() -> int:
        ran.append("ran")
        return 42

    future = start(answer())
    assert ran == ["ran"] and future.done() and future.result() == 42  # no trip round the event loop


async def test_an_error_raised_before_any_wait_is_in_the_done_future() -> None:
    async def refuse() -> None:
        raise ValueError("no")

    future = start(refuse())
    assert future.done()
    with pytest.raises(ValueError, match="no"):
        await future


async def test_a_coroutine_that_waits_goes_on_in_a_task_from_where_it_stopped() -> None:
    gate: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    ran: list[str] = []

    async def two_halves() -> str:
        ran.append("before")
        value = await gate
        ran.append("after")
        return value + "!"

    future = start(two_halves())
    assert ran == ["before"] and not future.done()
    gate.set_result("opened")
    assert await future == "opened!" and ran == ["before", "after"]


async def test_an_error_the_wait_ends_with_reaches_the_coroutine() -> None:
    gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def handles() -> str:
        try:
            await gate
        except KeyError:
            return "handled"
        return "not reached"

    future = start(handles())
    gate.set_exception(KeyError("k"))
    assert await future == "handled"


async def test_io_after_leaving_the_eager_step_runs_in_the_coroutines_own_task() -> None:
    # aiohttp's and Redis' timeouts cancel asyncio.current_task(): it must be the task doing the I/O.
    caller = asyncio.current_task()
    seen: dict[str, Any] = {}

    async def read() -> str:
        seen["eager"] = asyncio.current_task()
        await leave_eager_step()
        seen["io"] = asyncio.current_task()
        await asyncio.sleep(0)  # an ordinary wait still waits
        return "read"

    future = start(read())
    assert not future.done() and "io" not in seen
    assert await future == "read"
    assert seen["eager"] is caller and seen["io"] is future and future is not caller


async def test_leaving_outside_an_eager_step_costs_no_wait() -> None:
    async def plain() -> str:
        await leave_eager_step()
        return "done"

    coroutine = plain()
    with pytest.raises(StopIteration) as stop:
        coroutine.send(None)  # finishes in one step: nothing was yielded to the event loop
    assert stop.value.value == "done"


async def test_cancelling_the_task_cancels_the_coroutine_where_it_waits() -> None:
    gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    cleaned: list[str] = []

    async def waits() -> None:
        try:
            await gate
        finally:
            cleaned.append("cleaned")

    future = start(waits())
    await asyncio.sleep(0)
    future.cancel()
    with pytest.raises(asyncio.CancelledError):
        await future
    assert cleaned == ["cleaned"] and gate.cancelled()


async def test_an_eager_step_inside_another_leaves_the_outer_one_eager() -> None:
    async def inner() -> str:
        return "inner"

    async def outer() -> str:
        value = await start(inner())  # done at once: awaiting it does not wait
        await leave_eager_step()  # still inside the outer eager step: moves to a task
        return value + " then outer"

    future = start(outer())
    assert not future.done()
    assert await future == "inner then outer"


async def test_settle_gives_the_value_itself_or_a_future_to_await() -> None:
    gate: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def at_hand() -> str:
        return "value"

    async def waits() -> str:
        return await gate

    async def fails() -> str:
        raise LookupError("reported where awaited")

    assert settle(at_hand()) == "value"  # a field returning it resolves without an awaitable
    later = settle(waits())
    assert isinstance(later, asyncio.Future)
    gate.set_result("later")
    assert await later == "later"
    failed = settle(fails())
    assert isinstance(failed, asyncio.Future)
    with pytest.raises(LookupError):
        await failed


async def test_eager_steps_that_wait_on_the_same_future_all_go_on() -> None:
    # Several fields wait on one read in flight (a loader's deduplicated key): each eager step yields the same
    # future before any of their tasks has run.
    shared: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def field(n: int) -> str:
        return f"{await shared} {n}"

    futures = [start(field(n)) for n in range(3)]
    shared.set_result("read")
    assert await asyncio.gather(*futures) == ["read 0", "read 1", "read 2"]
    failing: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def fails_with_it() -> str:
        return await failing

    waiting = [start(fails_with_it()) for _ in range(2)]
    failing.set_exception(LookupError("gone"))
    assert all(isinstance(r, LookupError) for r in await asyncio.gather(*waiting, return_exceptions=True))


def test_an_eager_step_in_one_threads_loop_does_not_reach_anothers() -> None:
    # The sandbox and a gateway may each run an event loop in a thread of one process (tests, the demo).
    inside = threading.Event()
    release = threading.Event()
    seen: list[bool] = []

    async def holds_a_step_open() -> None:
        async def step() -> None:
            inside.set()
            release.wait(5)  # stays inside its eager step while the other thread looks

        start(step())

    async def plain() -> None:
        coroutine = leave_outside()
        try:
            coroutine.send(None)
        except StopIteration:
            seen.append(True)  # no eager step of its own: leaving cost no wait

    async def leave_outside() -> None:
        await leave_eager_step()

    other = threading.Thread(target=lambda: asyncio.run(holds_a_step_open()))
    other.start()
    assert inside.wait(5)
    asyncio.run(plain())
    release.set()
    other.join(5)
    assert seen == [True]
