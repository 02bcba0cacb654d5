"""After a spell of HUBmis 429s the client's rate budget comes back with HUBmis' own figure, in this process and
shared through Redis: the first call once the retry-after allows is answered with ``X-RateLimit-Remaining``, and
the budget takes it, instead of refilling from empty at one call per 5 s (40 minutes to HUBmis' 500)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from redis.asyncio import Redis

from gateway.vendors.errors import VendorRateLimited
from gateway.vendors.hubmis import routes as hubmis_routes
from tests.sandboxproc import SandboxProcess

MakeClient = Callable[..., Any]
HUBMIS_STUDENT = "GET /api/v1/students/{id}"


async def _recovers(sandbox: SandboxProcess, make_client: MakeClient, redis: Redis | None) -> None:
    client = await make_client("hubmis", redis=redis)
    await client.prepare()
    sandbox.faults("hubmis", error_rate=1.0, error_status=429)
    with pytest.raises(VendorRateLimited):
        await client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0)
    assert await client.rate.remaining() < 1
    sandbox.faults("hubmis", error_rate=0.0)
    started = time.monotonic()
    answers = await asyncio.gather(*(client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0)
                                     for _ in range(3)))
    assert [a["id"] for a in answers] == [56, 56, 56]
    # The first went once the last 429's retry-after (about a second) had passed; the others right after its
    # answer, not a refill (5 s) apart.
    assert time.monotonic() - started < 3.0
    # HUBmis has spent 3 of its 500 on them (a 429 costs nothing): the budget is its figure, less the calls of
    # the last 2 * in_flight_s it cannot yet tell HUBmis counted (the spell's three and these three).
    assert 490 <= await client.rate.remaining() <= 497
    statuses = [r["status"] for r in sandbox.requests("hubmis")["requests"] if r["route"] == HUBMIS_STUDENT]
    assert statuses == [429, 429, 429, 200, 200, 200]


async def test_the_budget_comes_back_with_hubmis_figure_after_429s(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    await _recovers(sandbox, make_client, None)


async def test_the_shared_budget_comes_back_with_hubmis_figure_after_429s(
        sandbox: SandboxProcess, make_client: MakeClient, redis: Redis) -> None:
    await _recovers(sandbox, make_client, redis)
