"""Two client instances (as two gateway replicas would have) sharing one real Redis."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis

from gateway.vendors.cache import ResponseCache
from gateway.vendors.hubmis import routes as hubmis_routes
from tests.redisproc import RedisProcess
from tests.sandboxproc import SandboxProcess

MakeClient = Callable[..., Any]
HUBMIS_STUDENT = "GET /api/v1/students/{id}"


async def test_replicas_share_the_cache_and_its_invalidation(
        sandbox: SandboxProcess, make_client: MakeClient, redis: Redis, redis_server: RedisProcess) -> None:
    one = await make_client("dartmouth", cache=ResponseCache.create(redis_server.url))
    two = await make_client("dartmouth", cache=ResponseCache.create(redis_server.url))
    assert (await one.get_student("d59951y")).netid == "d59951y"
    assert (await two.get_student("d59951y")).netid == "d59951y"  # served from what replica one fetched
    assert sandbox.requests("dartmouth")["by_route"]["GET /api/students/{netid}"] == 1
    await one.invalidate_route(one.routes["get_student"])  # a write on replica one...
    await two.get_student("d59951y")  # ...is seen by replica two
    assert sandbox.requests("dartmouth")["by_route"]["GET /api/students/{netid}"] == 2
    await one.cache.close()
    await two.cache.close()


def _count_round_trips(cache: ResponseCache) -> list[str]:
    """The commands the cache sends to Redis from now on (a script's own commands run inside Redis)."""
    sent: list[str] = []
    client = cache.backend.client
    execute = client.execute_command

    async def counted(*args: Any, **kw: Any) -> Any:
        sent.append(str(args[0]))
        return await execute(*args, **kw)

    client.execute_command = counted
    return sent


async def test_a_cached_read_costs_one_redis_round_trip_and_a_miss_one_more(
        sandbox: SandboxProcess, make_client: MakeClient, redis: Redis, redis_server: RedisProcess) -> None:
    client = await make_client("dartmouth", cache=ResponseCache.create(redis_server.url))  # ``redis``: flushed
    sent = _count_round_trips(client.cache)
    await client.get_student("d59951y")  # a miss: the route's version and the value at once, then the answer stored
    assert sent == ["EVALSHA", "SETEX"]
    sent.clear()
    await client.get_student("d59951y")  # a hit
    assert sent == ["EVALSHA"]
    await client.invalidate_route(client.routes["get_student"])
    sent.clear()
    await client.get_student("d59951y")  # the route moved on: a miss again
    assert sent == ["EVALSHA", "SETEX"]
    assert sandbox.requests("dartmouth")["by_route"]["GET /api/students/{netid}"] == 2
    await client.cache.close()


async def test_replicas_share_the_hubmis_rate_bucket(
        sandbox: SandboxProcess, make_client: MakeClient, redis: Redis) -> None:
    # A bucket of 20 refilling one every 0.25 s at the vendor; each replica alone would send 20 at once.
    sandbox.faults("hubmis", rate_limit_bucket=20, rate_limit_refill_s=0.25)
    one = await make_client("hubmis", redis=redis, rate_limit_bucket=20, rate_limit_refill_s=0.25)
    two = await make_client("hubmis", redis=redis, rate_limit_bucket=20, rate_limit_refill_s=0.25)
    await asyncio.gather(one.prepare(), two.prepare())
    started = time.monotonic()
    await asyncio.gather(*(client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0)
                           for client in (one, two) for _ in range(14)))
    elapsed = time.monotonic() - started
    log = sandbox.requests("hubmis")
    assert log["by_route"][HUBMIS_STUDENT] == 28
    assert not [r for r in log["requests"] if r["status"] == 429]
    assert elapsed >= (28 - 20) * 0.25 * 0.9  # together they waited for the vendor's refills
    assert await one.rate.remaining() < 1.0 and await two.rate.remaining() < 1.0  # one bucket, seen by both


def _hold_first_lookup(cache: ResponseCache) -> asyncio.Event:
    """The cache's next lookup reaches Redis at once, but its answer is held until the returned event is set."""
    script, release = cache._lookup_script, asyncio.Event()
    held = False

    async def held_back(**kw: Any) -> Any:
        nonlocal held
        answer = await script(**kw)  # type: ignore[misc]
        if not held:
            held = True
            await release.wait()
        return answer

    cache._lookup_script = held_back  # type: ignore[assignment]
    return release


async def _reaches_held_lookup(task: asyncio.Task[Any]) -> None:
    for _ in range(100):
        await asyncio.sleep(0.01)
    assert not task.done()


async def test_a_lookup_answered_empty_just_before_a_fetch_stored_takes_that_fetchs_answer(
        sandbox: SandboxProcess, make_client: MakeClient, redis: Redis, redis_server: RedisProcess) -> None:
    """Two reads of one record: the first one's lookup finds Redis empty, but its answer comes back only after
    the second read has fetched and stored the record. It then takes that answer, not a call of its own (two
    identical calls for one page of a roster, once in 40 runs, before)."""
    client = await make_client("dartmouth", cache=ResponseCache.create(redis_server.url))
    release = _hold_first_lookup(client.cache)
    late = asyncio.create_task(client.get_student("d59951y"))
    await _reaches_held_lookup(late)
    assert (await client.get_student("d59951y")).netid == "d59951y"  # fetched and stored meanwhile
    release.set()
    assert (await late).netid == "d59951y"
    assert sandbox.requests("dartmouth")["by_route"]["GET /api/students/{netid}"] == 1
    await client.cache.close()


async def test_a_lookup_sent_after_another_replica_forgot_a_stored_answer_asks_the_vendor(
        sandbox: SandboxProcess, make_client: MakeClient, redis: Redis, redis_server: RedisProcess) -> None:
    """The answer kept for lookups already on their way is not served to one sent after an invalidation."""
    one = await make_client("dartmouth", cache=ResponseCache.create(redis_server.url))
    two = await make_client("dartmouth", cache=ResponseCache.create(redis_server.url))
    await one.get_student("d59951y")
    await two.invalidate(two.routes["get_student"], path={"netid": "d59951y"})  # a write on replica two
    await one.get_student("d59951y")
    assert sandbox.requests("dartmouth")["by_route"]["GET /api/students/{netid}"] == 2
    await one.cache.close()
    await two.cache.close()
