"""The HUBmis index replicas share through a real redis-server: refreshed by one replica at a time and taken by
the others; with Redis gone, each keeps its own. HUBmis here is a stand-in that counts the passes over its list."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import pytest
from redis.asyncio import Redis

from gateway.vendors.hubmis.client import HubmisClient
from resolvers.crosswalk import HubmisIndex, IdentityRules
from resolvers.indexstore import IndexStore
from tests.redisproc import RedisProcess


class ListOnly:
    """The one thing an index asks of HUBmis: its paged list (here one page), counting the passes."""

    def __init__(self, people: dict[int, str | None]) -> None:
        self.people, self.passes = people, 0

    async def pages(self, route: Any, **_: Any) -> AsyncIterator[list[dict[str, Any]]]:
        self.passes += 1
        yield [{"id": i, "external_id": e} for i, e in self.people.items()]


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisProcess]:
    server = RedisProcess()
    yield server
    server.stop()


def replica(hubmis: ListOnly, url: str, refresh_s: float) -> HubmisIndex:
    store = IndexStore(Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5), "cg:index:test")
    return HubmisIndex(cast(HubmisClient, hubmis), IdentityRules(), refill_s=0.0, refresh_s=refresh_s, store=store,
                       check_s=0.05)


async def test_one_replica_refreshes_at_a_time_and_the_other_takes_its_build(redis_server: RedisProcess) -> None:
    await Redis.from_url(redis_server.url).flushdb()
    hubmis = ListOnly({1: "F00ABC1", 2: None})
    a, b = replica(hubmis, redis_server.url, 0.5), replica(hubmis, redis_server.url, 0.5)
    tasks = [asyncio.create_task(a.run()), asyncio.create_task(b.run())]
    try:
        await asyncio.wait_for(asyncio.gather(a.ready.wait(), b.ready.wait()), 5)
        assert hubmis.passes == 1 and a.built_at == b.built_at
        hubmis.people[3] = "f00xyz9"  # a student added: the next refresh lists them, on both
        await asyncio.sleep(1.3)  # two refreshes due
        assert 2 <= hubmis.passes <= 3, hubmis.passes  # one pass per refresh, not one per replica
        assert a.lookup("F00XYZ9") == b.lookup("f00xyz9") == 3 and a.lists(2) and b.external_id(2) is None
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_without_redis_a_replica_builds_its_own(caplog: pytest.LogCaptureFixture) -> None:
    hubmis = ListOnly({1: "F00ABC1"})
    gone = RedisProcess()
    gone.stop()  # a port where Redis no longer answers
    index = replica(hubmis, gone.url, 900.0)
    task = asyncio.create_task(index.run())
    try:
        await asyncio.wait_for(index.ready.wait(), 5)
        assert hubmis.passes == 1 and index.lookup("f00abc1") == 1
        assert "redis unreachable" in caplog.text
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
