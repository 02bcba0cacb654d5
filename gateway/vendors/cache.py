"""Cross-request cache of vendor payloads (aiocache: memory, or Redis when configured).

Keys are built from vendor, route, path parameters, query parameters and a credential
``variant`` (the scopes a response was fetched with), so nothing fetched under one credential is
served under another. Concurrent misses for one key share a single upstream call. Writes
invalidate by key, or a whole route at once through a per-route version that is part of every key.

With Redis, the cache degrades rather than fails while Redis does not answer (``RedisLink``: one warning when
it is lost, one line when it is back, tried again at most once a second): a read is a miss, answered by the
vendor, and what this process fetches meanwhile is kept in its memory, under route versions of its own; an
invalidation reaches that memory only (other replicas may serve the old answer until its TTL ends), and its
routes are retired in Redis as soon as Redis answers again. That memory is dropped then: invalidations made
by other replicas meanwhile never reached it.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from aiocache import RedisCache, SimpleMemoryCache
from aiocache.base import BaseCache
from aiocache.serializers import JsonSerializer, NullSerializer
from redis.asyncio import BlockingConnectionPool

from gateway.vendors.redislink import (
    CONNECT_TIMEOUT_S,
    SOCKET_TIMEOUT_S,
    RedisLink,
    RedisUnavailable,
    connection_options,
)

log = logging.getLogger("campusgraph.cache")

T = TypeVar("T")
REDIS_POOL_SIZE = 50
# How long a just-stored answer waits for lookups Redis answered before it landed (see ResponseCache.lookup): their
# answers come within Redis' socket timeout, the rest is for a busy event loop to read them.
HANDOVER_S = 2 * SOCKET_TIMEOUT_S
Call = tuple[str, Mapping[str, Any] | None, Mapping[str, Any] | None]  # route, path parameters, query parameters


def _canonical(params: Mapping[str, Any] | None) -> str:
    """Parameters as one unambiguous text, whatever their order (repr quotes each name and value)."""
    return repr(sorted((str(k), str(v)) for k, v in (params or {}).items()))


@functools.lru_cache(maxsize=16384)
def _digest(path: tuple[tuple[Any, Any], ...], params: tuple[tuple[Any, Any], ...], variant: str) -> str:
    """The part of a call's key its parameters make (a hash: keys stay short whatever the parameters). Kept for
    the calls seen lately: a warm query asks for the same few hundred again and again."""
    text = f"{_canonical(dict(path))}|{_canonical(dict(params))}|{variant}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class MemoryCache(SimpleMemoryCache):  # type: ignore[misc]
    """aiocache's memory backend, also readable without waiting: what it holds is in this process."""

    def peek(self, key: str) -> Any:
        """The value stored under ``key`` (None when there is none); an expired entry is already gone."""
        return self._cache.get(key)


# KEYS[1] = the route's version counter; ARGV = the key before and after its version. Returns the key with
# the current version and the value stored under it: a call's key and its cached answer in one round trip.
# (The value's key cannot be declared in KEYS, as the version is read here: a single Redis, not a cluster.)
_LOOKUP_LUA = """
local key = ARGV[1] .. (redis.call('GET', KEYS[1]) or '0') .. ARGV[2]
return {key, redis.call('GET', key)}
"""


def _counter(raw: Any) -> int | None:
    return None if raw is None else int(raw)


class ResponseCache:
    """Vendor payloads by key, with single-flight misses and versioned route invalidation."""

    def __init__(self, backend: BaseCache, *, enabled: bool = True, namespace: str = "cg",
                 link: RedisLink | None = None) -> None:
        self.backend, self.enabled, self.namespace = backend, enabled, namespace
        self.link = link or RedisLink()
        self._inflight: dict[str, asyncio.Future[Any]] = {}
        # Answers this process just stored in Redis, by key, with when they were stored: for a lookup sent before
        # the store landed, whose miss would otherwise fetch the answer again (see ``lookup``).
        self._just_stored: dict[str, tuple[float, Any]] = {}
        # Route versions: shared through Redis (another replica may bump one), but a memory cache is this
        # process's alone, so its versions live in a plain dict (one backend round trip less per call).
        self._local_versions: dict[str, int] | None = {} if isinstance(backend, SimpleMemoryCache) else None
        self._memory = backend if isinstance(backend, MemoryCache) else None
        # aiocache's Redis backend keeps its redis.asyncio client as ``client``.
        self._shared = isinstance(backend, RedisCache)
        self._lookup_script = backend.client.register_script(_LOOKUP_LUA) if self._shared else None
        # While Redis does not answer: what this process fetched meanwhile and its own route versions (dropped
        # when Redis answers again), and the route versions to bump in Redis then (invalidations it missed).
        self._outage: MemoryCache | None = None
        self._outage_versions: dict[str, int] = {}
        self._unsent: set[str] = set()

    @classmethod
    def create(cls, redis_url: str | None, *, enabled: bool = True, link: RedisLink | None = None) -> ResponseCache:
        if not redis_url:
            # Kept as the parsed objects: decoding JSON on every hit cost a warm 50-student query ~20 ms.
            # Nothing mutates a cached payload (models are built from it, frozen), so sharing it is safe.
            return cls(MemoryCache(serializer=NullSerializer(), timeout=None), enabled=enabled)
        url = urlsplit(redis_url)
        without_connect_timeout = {k: v for k, v in connection_options().items() if k != "socket_connect_timeout"}
        db = int(url.path.strip("/") or 0)
        # timeout=None: aiocache would otherwise wrap every lookup in a wait_for task; Redis' own socket
        # timeouts bound a stuck server (short: see redislink).
        # A blocking pool: a burst of cache operations waits for a free connection (up to 5 s) instead of
        # failing with "too many connections" (redis-py's default pool raises at 100).
        # The URL's user (a Redis ACL user; aiocache itself takes only a password) and rediss:// (TLS) as redis-py
        # reads them for the gateway's other Redis uses, which take the URL whole.
        user = {"username": unquote(url.username)} if url.username else {}
        backend = RedisCache(serializer=JsonSerializer(), endpoint=url.hostname or "127.0.0.1",
                             port=url.port or 6379, db=db, password=unquote(url.password) if url.password else None,
                             ssl=url.scheme == "rediss", timeout=None,
                             create_connection_timeout=CONNECT_TIMEOUT_S, pool_max_size=REDIS_POOL_SIZE,
                             connection_pool_class=BlockingConnectionPool,
                             connection_pool_kwargs={"timeout": 5, **user, **without_connect_timeout})
        return cls(backend, enabled=enabled, link=link)

    @property
    def local(self) -> bool:
        """Whether values live in this process (memory backend): what ``get`` returns is what is stored."""
        return self._local_versions is not None

    async def close(self) -> None:
        await self.backend.close()

    # ---- Redis, or this process while Redis does not answer ------------------------------------------
    async def _redis(self, call: Callable[[], Awaitable[T]]) -> T:
        """``call()`` on the backend; RedisUnavailable while Redis does not answer (memory always answers)."""
        if not self._shared:
            return await call()
        try:
            if self._unsent:
                await self.link.run(self._send_invalidations)
            result = await self.link.run(call)
        except RedisUnavailable:
            if self._outage is None:
                self._outage = MemoryCache(serializer=NullSerializer(), timeout=None)
            raise
        if self._outage is not None:  # Redis answers again; what was kept meanwhile may have changed elsewhere
            self._outage, self._outage_versions = None, {}
        return result

    async def _send_invalidations(self) -> None:
        """Retire in Redis the routes invalidated while it did not answer (every answer cached before)."""
        for version_key in sorted(self._unsent):
            await self.backend.increment(version_key)
            self._unsent.discard(version_key)

    def _outage_key(self, version_key: str, around: tuple[str, str]) -> str:
        """A key of the outage memory: its own route versions, never equal to a Redis key (``o`` + version)."""
        return f"{around[0]}o{self._outage_versions.get(version_key, 0)}{around[1]}"

    def _kept(self, key: str) -> Any:
        return None if self._outage is None else self._outage.peek(key)

    def _route_version_key(self, vendor: str, route: str) -> str:
        return f"{self.namespace}:v:{vendor}:{route}"

    def _around_version(self, vendor: str, route: str, path: Mapping[str, Any] | None,
                        params: Mapping[str, Any] | None, variant: str) -> tuple[str, str]:
        """A call's key is ``before + <the route's version> + after``."""
        try:
            digest = _digest(tuple((path or {}).items()), tuple((params or {}).items()), variant)
        except TypeError:  # a parameter value that cannot be hashed (a list): not kept
            digest = _digest.__wrapped__(tuple((path or {}).items()), tuple((params or {}).items()), variant)
        return f"{self.namespace}:{vendor}:{route}:", f":{digest}"

    def _local_key(self, vendor: str, route: str, path: Mapping[str, Any] | None,
                   params: Mapping[str, Any] | None, variant: str) -> str | None:
        """``key`` without waiting, where the route versions are in this process (memory); None with Redis."""
        if self._local_versions is None:
            return None
        before, after = self._around_version(vendor, route, path, params, variant)
        return f"{before}{self._local_versions.get(self._route_version_key(vendor, route), 0)}{after}"

    async def key(self, vendor: str, route: str, path: Mapping[str, Any] | None, params: Mapping[str, Any] | None,
                  variant: str = "") -> str:
        """The cache key of one call; includes the route's current version."""
        local = self._local_key(vendor, route, path, params, variant)
        if local is not None:
            return local
        # Versions are raw counters (INCR), not JSON: read them as they are stored.
        version_key = self._route_version_key(vendor, route)
        around = self._around_version(vendor, route, path, params, variant)
        try:
            version = await self._redis(lambda: self.backend.get(version_key, loads_fn=_counter)) or 0
        except RedisUnavailable:
            return self._outage_key(version_key, around)
        return f"{around[0]}{version}{around[1]}"

    def lookup_now(self, vendor: str, route: str, path: Mapping[str, Any] | None,
                   params: Mapping[str, Any] | None, variant: str = "") -> tuple[str, Any] | None:
        """``lookup`` without waiting, where the values are in this process (memory); None elsewhere (Redis)."""
        if self._memory is None:
            return None
        key = self._local_key(vendor, route, path, params, variant)
        return None if key is None else (key, self._memory.peek(key))

    async def lookup(self, vendor: str, route: str, path: Mapping[str, Any] | None,
                     params: Mapping[str, Any] | None, variant: str = "") -> tuple[str, Any]:
        """One call's key and its cached value (None when nothing is cached): one round trip with Redis,
        where ``key`` and a ``get`` would take two (the route's version, then the value)."""
        found = self.lookup_now(vendor, route, path, params, variant)
        if found is not None:
            return found
        if self._lookup_script is None:
            key = await self.key(vendor, route, path, params, variant)
            return key, await self.backend.get(key)
        version_key = self._route_version_key(vendor, route)
        around = self._around_version(vendor, route, path, params, variant)
        script = self._lookup_script
        asked = time.monotonic()
        try:
            raw_key, raw = await self._redis(lambda: script(keys=[version_key], args=list(around)))
        except RedisUnavailable:  # a miss, unless this process fetched it since Redis stopped answering
            key = self._outage_key(version_key, around)
            return key, self._kept(key)
        key = raw_key.decode() if isinstance(raw_key, bytes) else str(raw_key)
        if raw is None:
            # Redis answered before a fetch of this key in this process stored it, and that fetch has ended since:
            # too late to join it in flight, so its answer is handed over here instead of fetched a second time.
            stored = self._just_stored.get(key)
            return key, stored[1] if stored is not None and stored[0] >= asked else None
        return key, self.backend.serializer.loads(raw.decode() if isinstance(raw, bytes) else raw)

    async def fetch_missing(self, key: str, ttl: float, fetch: Callable[[], Awaitable[T]],
                            ttl_of: Callable[[T], float] | None = None) -> tuple[T, bool]:
        """For a key found empty: the fetched value (stored for ``ttl`` seconds, or what ``ttl_of`` says for that
        value) and False, or, when another task is already fetching it, that task's value and True."""
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending), True
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            value = await fetch()
            await self._store(key, value, max(1, round(ttl if ttl_of is None else ttl_of(value))))
            if self._shared:
                self._hand_over(key, value)
            future.set_result(value)
            return value, False
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: followers may be none
            raise
        finally:
            self._inflight.pop(key, None)

    def _hand_over(self, key: str, value: Any) -> None:
        """Keep a just-stored answer ``HANDOVER_S`` for lookups that were on their way to Redis meanwhile."""
        entry = (time.monotonic(), value)
        self._just_stored[key] = entry

        def drop() -> None:
            if self._just_stored.get(key) is entry:
                del self._just_stored[key]
        asyncio.get_running_loop().call_later(HANDOVER_S, drop)

    async def _store(self, key: str, value: Any, ttl: int) -> None:
        try:
            await self._redis(lambda: self.backend.set(key, value, ttl=ttl))
        except RedisUnavailable:
            if self._outage is not None:
                await self._outage.set(key, value, ttl=ttl)

    async def exists(self, key: str) -> bool:
        """Whether a fresh answer is cached under ``key``."""
        try:
            return bool(await self._redis(lambda: self.backend.exists(key)))
        except RedisUnavailable:
            return self._kept(key) is not None

    async def forget(self, vendor: str, calls: Sequence[Call], variant: str = "") -> None:
        """Forget the cached answers of these calls of one vendor, so the next read asks the vendor."""
        keys = await asyncio.gather(*(self.key(vendor, route, path, params, variant) for route, path, params in calls))
        for key in keys:
            self._just_stored.pop(key, None)
        if not self._shared:
            for key in keys:
                await self.backend.delete(key)
            return
        try:
            await self._redis(lambda: self.backend.client.delete(*keys))
        except RedisUnavailable:
            if self._outage is not None:
                for key in keys:
                    await self._outage.delete(key)
            self._missed({self._route_version_key(vendor, route) for route, _, _ in calls}, vendor, len(keys))

    async def invalidate_route(self, vendor: str, route: str) -> None:
        """Every cached answer of a route (all parameters) becomes unreachable; it ages out by TTL."""
        version_key = self._route_version_key(vendor, route)
        if self._local_versions is not None:
            self._local_versions[version_key] = self._local_versions.get(version_key, 0) + 1
            return
        try:
            await self._redis(lambda: self.backend.increment(version_key))
        except RedisUnavailable:
            self._outage_versions[version_key] = self._outage_versions.get(version_key, 0) + 1
            self._missed({version_key}, vendor, None)

    def _missed(self, version_keys: set[str], vendor: str, keys: int | None) -> None:
        """An invalidation Redis did not get: its routes are retired there once it answers again."""
        self._unsent |= version_keys
        what = "every answer of one route" if keys is None else f"{keys} answer(s)"
        log.warning("redis unreachable: %s cached from %s forgotten in this process only; other replicas may "
                    "serve them until their TTL ends (their routes are retired in Redis once it is back)", what, vendor)
