"""A HUBmis index kept in Redis, so replicas sharing ``CAMPUSGRAPH_REDIS_URL`` build it once between them.

One hash per index (``cg:index:hubmis:<realm;year>:<route>``): ``built_at`` (Unix seconds), ``route`` and
``ids``, the HUBmis ids with the ``external_id`` each carried, as JSON pairs (ids and external ids only: what
the index is). A replica reads ``built_at`` alone to see whether another stored a newer build (one HGET), and
the whole hash only when it did. Rebuilding is one replica's job at a time: whoever holds the index's lock
(SET NX with a TTL, renewed while the build runs, so a replica that dies mid-build frees it) builds and stores.

Redis being unreachable is the caller's to handle: these methods raise ``RedisUnavailable``, through the process's
``RedisLink`` (which logs Redis lost and back once for the whole process, and asks it at most once a second).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import RedisError

from gateway.vendors.redislink import RedisLink

log = logging.getLogger("campusgraph.crosswalk")

LOCK_TTL_S = 60.0  # renewed every third of it while the build runs
KEEP_S = 86_400  # a stored index nobody refreshed for this long is dropped


def _text(value: bytes | str | None) -> str:
    return value.decode() if isinstance(value, bytes) else value or ""


@dataclass(frozen=True)
class StoredIndex:
    built_at: float
    route: str
    by_id: dict[int, str | None]


class IndexStore:
    """One shared HUBmis index in Redis: its latest build and the lock on rebuilding it."""

    def __init__(self, redis: Redis, key: str, *, keep_s: float = KEEP_S, lock_ttl_s: float = LOCK_TTL_S,
                 link: RedisLink | None = None) -> None:
        self.redis, self.key, self.keep_s, self.lock_ttl_s = redis, key, keep_s, lock_ttl_s
        self.link = link or RedisLink()

    async def built_at(self) -> float | None:
        """When the stored index was built; None when none is stored."""
        raw = await self.link.run(lambda: self.redis.hget(self.key, "built_at"))
        try:
            return float(raw) if raw is not None else None
        except ValueError:
            return None

    async def load(self) -> StoredIndex | None:
        built_at, route, ids = await self.link.run(lambda: self.redis.hmget(self.key, ["built_at", "route", "ids"]))
        if built_at is None or ids is None:
            return None
        try:
            pairs = json.loads(ids)
            by_id = {int(hubmis_id): None if external is None else str(external) for hubmis_id, external in pairs}
            return StoredIndex(float(built_at), _text(route), by_id)
        except (ValueError, TypeError) as exc:  # not what save() writes: as if none were stored
            log.warning("stored hubmis index %s unreadable: %s", self.key, exc)
            return None

    async def save(self, index: StoredIndex) -> None:
        await self.link.run(lambda: self._save(index))

    async def _save(self, index: StoredIndex) -> None:
        ids = json.dumps([[hubmis_id, external] for hubmis_id, external in index.by_id.items()],
                         separators=(",", ":"))
        async with self.redis.pipeline(transaction=True) as pipe:  # a reader sees the old build or the new one
            pipe.delete(self.key)
            pipe.hset(self.key, mapping={"built_at": repr(index.built_at), "route": index.route, "ids": ids})
            pipe.expire(self.key, int(self.keep_s))
            await pipe.execute()

    @contextlib.asynccontextmanager
    async def rebuilding(self) -> AsyncIterator[bool]:
        """Take the rebuild lock if free: yields whether this replica holds it (and so should rebuild)."""
        lock = self.redis.lock(f"{self.key}:lock", timeout=self.lock_ttl_s, blocking=False, thread_local=False)
        if not await self.link.run(lock.acquire):
            yield False
            return
        renew = asyncio.create_task(self._renew(lock), name="index-lock-renew")
        try:
            yield True
        finally:
            renew.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renew
            with contextlib.suppress(RedisError):  # expired, or Redis is gone: the TTL frees it either way
                await lock.release()

    async def _renew(self, lock: Lock) -> None:
        while True:
            await asyncio.sleep(self.lock_ttl_s / 3)
            try:
                await lock.reacquire()
            except RedisError as exc:  # the build goes on; at worst another replica also rebuilds
                log.warning("hubmis index lock %s not renewed: %s", self.key, exc)
