"""Fixtures for client tests: clients wired to the session's sandbox, and a real Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from redis.asyncio import Redis

from gateway.sandbox import credentials as creds
from gateway.vendors.cache import ResponseCache
from gateway.vendors.config import DartmouthConfig, HttpPolicy, HubmisConfig, Secret, StellicConfig
from gateway.vendors.dartmouth.client import DartmouthClient
from gateway.vendors.hubmis.client import HubmisClient
from gateway.vendors.stellic.client import StellicClient
from tests.redisproc import RedisProcess
from tests.sandboxproc import SandboxProcess

FAST = HttpPolicy(timeout_s=5.0, backoff_base_s=0.02, backoff_max_s=0.1, breaker_failures=50)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisProcess]:
    server = RedisProcess()
    yield server
    server.stop()


@pytest.fixture
async def redis(redis_server: RedisProcess) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_server.url)
    await client.flushdb()
    yield client
    await client.aclose()


def hubmis_config(sandbox: SandboxProcess, **kw: Any) -> HubmisConfig:
    http = replace(FAST, **kw.pop("http", {}))
    return HubmisConfig(base_url=sandbox.url("hubmis"), client_id=creds.HUBMIS_CLIENT_ID,
                        client_secret=Secret(creds.HUBMIS_CLIENT_SECRET), realm=creds.HUBMIS_REALM, http=http, **kw)


def dartmouth_config(sandbox: SandboxProcess, **kw: Any) -> DartmouthConfig:
    http = replace(FAST, **kw.pop("http", {}))
    kw.setdefault("scopes", creds.DARTMOUTH_ALL_SCOPES)
    kw.setdefault("api_key", Secret(creds.DARTMOUTH_API_KEY))
    return DartmouthConfig(base_url=sandbox.url("dartmouth"), http=http, **kw)


def stellic_config(sandbox: SandboxProcess, **kw: Any) -> StellicConfig:
    http = replace(FAST, **kw.pop("http", {}))
    return StellicConfig(base_url=sandbox.url("stellic"), token=Secret(creds.STELLIC_PAT), http=http, **kw)


@pytest.fixture
async def make_client(sandbox: SandboxProcess) -> AsyncIterator[Callable[..., Any]]:
    """``await make_client("hubmis", cache=..., **config)``: a started client, closed after the test."""
    made: list[Any] = []

    async def make(vendor: str, *, cache: ResponseCache | None = None, redis: Redis | None = None,
                   **kw: Any) -> Any:
        cache = cache or ResponseCache.create(None)
        if vendor == "hubmis":
            client: Any = HubmisClient(hubmis_config(sandbox, **kw), cache=cache, redis=redis)
        elif vendor == "dartmouth":
            client = DartmouthClient(dartmouth_config(sandbox, **kw), cache=cache)
        else:
            client = StellicClient(stellic_config(sandbox, **kw), cache=cache)
        await client.start()
        made.append(client)
        return client

    yield make
    for client in made:
        await client.close()
