"""While Redis does not answer, everything in the process that uses it does without it at once: one warning when
it is lost, one when it is back, and Redis tried again at most once per retry period, however many callers."""

from __future__ import annotations

import asyncio
import logging

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from gateway.vendors.redislink import RedisLink, RedisUnavailable


async def test_a_lost_redis_is_tried_once_per_period_with_one_warning_each_way(
        caplog: pytest.LogCaptureFixture) -> None:
    link, tried, down = RedisLink(retry_s=0.3), list[int](), [True]

    async def call() -> str:
        tried.append(1)
        await asyncio.sleep(0)
        if down[0]:
            raise RedisConnectionError("Connection refused")
        return "PONG"

    async def many() -> list[BaseException | str]:
        return await asyncio.gather(*(link.run(call) for _ in range(50)), return_exceptions=True)

    with caplog.at_level(logging.WARNING, logger="campusgraph.redis"):
        first = await many()  # the calls already under way all fail; they mark it lost once
        assert all(isinstance(r, RedisUnavailable) for r in first) and link.up is False
        tried.clear()
        assert all(isinstance(r, RedisUnavailable) for r in await many()) and tried == []  # not asked at all
        await asyncio.sleep(0.35)
        assert all(isinstance(r, RedisUnavailable) for r in await many()) and len(tried) == 1  # one asks again
        down[0] = False
        await asyncio.sleep(0.35)
        assert (await many()).count("PONG") >= 1 and link.up
        assert await many() == ["PONG"] * 50
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2, messages
    assert messages[0].startswith("redis unreachable (ConnectionError)") and messages[1].startswith("redis answers")
