"""The request's fan-out loaders (resolvers/loaders.py): one read per distinct key, started when first asked for;
one answered at once is at hand for the field without a task, and a 404 loads as None."""

from __future__ import annotations

import asyncio

from gateway.vendors.errors import VendorNotFound
from resolvers.loaders import MISSING, FanOutLoader, peek


class Vendor:
    """Reads that answer at once (``known``), fail with a 404 (``absent``), or wait for ``gate``."""

    def __init__(self) -> None:
        self.known = {"a": "record a"}
        self.absent = {"gone"}
        self.gate: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.reads: list[str] = []

    async def read(self, key: str) -> str:
        self.reads.append(key)
        if key in self.known:
            return self.known[key]
        if key in self.absent:
            raise VendorNotFound("dartmouth", "no such record", status=404)
        return await self.gate


async def test_a_key_answered_at_once_is_at_hand_and_read_once() -> None:
    vendor = Vendor()
    loader = FanOutLoader(vendor.read)
    assert peek(loader, "a") == "record a"  # no await: the field resolves without a task
    assert await loader.load("a") == "record a"
    assert peek(loader, "gone") is None and await loader.load("gone") is None
    assert vendor.reads == ["a", "gone"]


async def test_a_key_that_must_wait_is_read_once_beside_the_others() -> None:
    vendor = Vendor()
    loader = FanOutLoader(vendor.read)
    assert peek(loader, "slow") is MISSING  # the read has started; the field awaits it
    waiting = asyncio.gather(loader.load("slow"), loader.load("slow"), loader.load("a"))
    await asyncio.sleep(0)
    vendor.gate.set_result("record slow")
    assert await waiting == ["record slow", "record slow", "record a"]
    assert vendor.reads == ["slow", "a"]
    assert peek(loader, "slow") == "record slow"


async def test_a_failed_read_is_reported_where_the_field_awaits_it() -> None:
    vendor = Vendor()
    loader = FanOutLoader(vendor.read)
    assert peek(loader, "slow") is MISSING
    vendor.gate.set_exception(RuntimeError("vendor down"))
    results = await asyncio.gather(loader.load("slow"), return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert peek(loader, "slow") is MISSING  # a failure is not a value: the field awaits and reports it


async def test_without_batching_every_load_is_its_own_read() -> None:
    vendor = Vendor()
    loader = FanOutLoader(vendor.read, batching=False)
    assert peek(loader, "a") is MISSING  # nothing is remembered within the request
    assert await asyncio.gather(loader.load("a"), loader.load("a")) == ["record a", "record a"]
    assert vendor.reads == ["a", "a"]
