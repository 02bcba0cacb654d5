"""HUBmis records by id through their list's pages (``resolvers.listpages``), against the sandbox over HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis

from gateway.eager import start
from gateway.vendors.cache import ResponseCache
from gateway.vendors.errors import VendorError
from gateway.vendors.hubmis import routes
from gateway.vendors.hubmis.client import HubmisClient
from resolvers.crosswalk import HubmisIndex, IdentityRules
from resolvers.listpages import ListPageReader
from tests.redisproc import RedisProcess
from tests.sandboxproc import SandboxProcess
from tests.vendors.test_hubmis import MakeClient

RECORD, LISTING = "GET /api/v1/students/{id}", "GET /api/v1/students"


def reads(sandbox: SandboxProcess) -> dict[str, int]:
    return {r: n for r, n in sandbox.requests("hubmis")["by_route"].items() if r.startswith("GET")}


async def indexed(sandbox: SandboxProcess, make_client: MakeClient, cache: ResponseCache | None = None
                  ) -> tuple[HubmisClient, HubmisIndex, list[int]]:
    """A client with a memory cache (the demo's) unless given another, and the students' index built by it; the
    ids in list order."""
    sandbox.reset("hubmis")
    hubmis: HubmisClient = await make_client("hubmis", cache=cache or ResponseCache.create(None))
    index = HubmisIndex(hubmis, IdentityRules(), refill_s=5.0)
    await index.build()
    return hubmis, index, [i for i in range(1, 10_000) if index.lists(i)]


def reader(hubmis: HubmisClient, index: HubmisIndex) -> ListPageReader:
    return ListPageReader(hubmis, index, record_route=routes.GET_STUDENT, list_route=routes.LIST_STUDENTS,
                          read_one=hubmis.get_student, fewest_for_page=2)


async def test_ids_asked_together_are_read_with_their_page_and_one_moved_off_it_alone(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    hubmis, index, ids = await indexed(sandbox, make_client)
    assert len(ids) > 200 and [index.page_of(ids[0]), index.page_of(ids[150])] == [1, 2]
    # The list moved since the build: the index puts the last two students on page 1.
    moved = ids[-2:]
    index._install({i: index.external_id(i) for i in [*moved, *ids[:-2]]}, time.time())
    sandbox.reset("hubmis")
    ours = reader(hubmis, index)
    wanted = [ids[0], ids[5], *moved, ids[150]]
    found = await asyncio.gather(*(start(ours.read(i)) for i in wanted))
    assert [s.id for s in found] == wanted
    # page 1 for the first two and the moved (not on it: a GET each); the one of page 2 alone: its GET
    assert reads(sandbox) == {LISTING: 1, RECORD: 3}
    assert [r["query"] for r in sandbox.requests("hubmis")["requests"] if r["route"] == LISTING] == [
        "page%5Bnumber%5D=1&page%5Bsize%5D=100"]
    # What the page held is answered from memory at once, by a later request's reader too: no task, no call.
    again = start(reader(hubmis, index).read(ids[7]))
    assert again.done() and again.result().id == ids[7]
    assert reads(sandbox) == {LISTING: 1, RECORD: 3}
    assert (await hubmis.get_student(ids[5])) == found[1]  # the page's record is HUBmis' own record


async def test_a_failing_page_fails_each_id_read_with_it(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    hubmis, index, ids = await indexed(sandbox, make_client)
    sandbox.reset("hubmis")
    sandbox.faults("hubmis", route=LISTING, error_rate=1, error_status=400)
    ours = reader(hubmis, index)
    outcomes = await asyncio.gather(*(start(ours.read(i)) for i in ids[:3]), return_exceptions=True)
    assert all(isinstance(o, VendorError) for o in outcomes), outcomes
    assert reads(sandbox) == {LISTING: 1}
    sandbox.reset("hubmis")


@pytest.mark.parametrize("ready", [False, True])
async def test_one_id_alone_is_its_own_get(sandbox: SandboxProcess, make_client: MakeClient, ready: bool) -> None:
    hubmis, index, ids = await indexed(sandbox, make_client)
    if not ready:
        index.ready.clear()  # before the first build, no page is known
    sandbox.reset("hubmis")
    assert (await start(reader(hubmis, index).read(ids[3]))).id == ids[3]
    assert reads(sandbox) == {RECORD: 1}


async def test_with_redis_a_failing_page_still_answers_the_records_the_cache_holds(
        sandbox: SandboxProcess, make_client: MakeClient, redis_server: RedisProcess, redis: Redis) -> None:
    """With Redis this process cannot see at once what the cache holds, so every id waits for its page. When the
    page cannot be read (HUBmis failing, rate limited, the request's call budget spent), a record whose own read
    is cached is still that record, as it was before pages were read: only the others get the page's failure."""
    hubmis, index, ids = await indexed(sandbox, make_client, ResponseCache.create(redis_server.url))
    cached_alone = await hubmis.get_student(ids[1])  # e.g. an earlier request's student(hubmisId:)
    sandbox.reset("hubmis")
    sandbox.faults("hubmis", route=LISTING, error_rate=1, error_status=400)
    ours = reader(hubmis, index)
    outcomes = await asyncio.gather(*(start(ours.read(i)) for i in ids[:3]), return_exceptions=True)
    assert outcomes[1] == cached_alone, outcomes
    assert isinstance(outcomes[0], VendorError) and isinstance(outcomes[2], VendorError), outcomes
    assert reads(sandbox) == {LISTING: 1}
    sandbox.reset("hubmis")


async def test_an_id_asked_while_its_page_is_being_read_waits_for_that_read(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    """Two students of a page are read with it; a third of that page asked a turn later (another field, a root
    field resolved later) joins the read in flight instead of spending a GET of HUBmis' budget alone."""
    hubmis, index, ids = await indexed(sandbox, make_client)
    sandbox.reset("hubmis")
    ours = reader(hubmis, index)
    first = [start(ours.read(i)) for i in ids[:2]]
    for _ in range(3):  # the first two's page read is under way
        await asyncio.sleep(0)
    later = start(ours.read(ids[2]))
    assert [s.id for s in await asyncio.gather(*first, later)] == ids[:3]
    assert reads(sandbox) == {LISTING: 1}


async def test_an_index_pass_a_failure_stopped_goes_on_from_the_page_that_failed(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    """At HUBmis' paced rate a pass over a large list takes an hour; one failing page (the bucket empty, HUBmis
    down for a while) must not make the next pass read the pages already read again."""
    hubmis, whole, ids = await indexed(sandbox, make_client)
    sandbox.reset("hubmis")
    index = HubmisIndex(hubmis, IdentityRules(), refill_s=5.0)
    every_page = hubmis.pages

    async def failing_after_the_first_page(*args: Any, **kwargs: Any) -> AsyncIterator[list[dict[str, Any]]]:
        async for page in every_page(*args, **kwargs):
            yield page
            sandbox.faults("hubmis", route=LISTING, fail_next=1, error_status=400)

    hubmis.pages = failing_after_the_first_page  # type: ignore[method-assign]
    with pytest.raises(VendorError):
        await index.build()
    del hubmis.pages
    assert not index.ready.is_set()
    await index.build()
    asked = [r["query"].split("&")[0] for r in sandbox.requests("hubmis")["requests"] if r["route"] == LISTING]
    last = (len(ids) - 1) // 100 + 1
    assert asked == [f"page%5Bnumber%5D={n}" for n in [1, 2, *range(2, last + 1)]]
    assert [index.page_of(i) for i in ids] == [whole.page_of(i) for i in ids]
    assert [index.external_id(i) for i in ids] == [whole.external_id(i) for i in ids] and len(index) == len(whole)
    sandbox.reset("hubmis")
