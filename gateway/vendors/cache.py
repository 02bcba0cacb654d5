"""Cross-request cache of vendor payloads (aiocache: memory, or Redis when configured).

Keys are built from vendor, route, path parameters, query parameters and a credential
``variant`` (the scopes a response was fetched with), so nothing fetched under one credential is
served under another. Concurrent misses for one key share a single upstream call. Writes
invalidate by key, or a whole route at once through a per-route version that is part of every key.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

from aiocache import RedisCache, SimpleMemoryCache
from aiocache.base import BaseCache
from aiocache.serializers import JsonSerializer, NullSerializer
from redis.asyncio import BlockingConnectionPool

T = TypeVar("T")
REDIS_POOL_SIZE = 50


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

    def __init__(self, backend: BaseCache, *, enabled: bool = True, namespace: str = "cg") -> None:
        self.backend, self.enabled, self.namespace = backend, enabled, namespace
        self._inflight: dict[str, asyncio.Future[Any]] = {}
        # Route versions: shared through Redis (another replica may bump one), but a memory cache is this
        # process's alone, so its versions live in a plain dict (one backend round trip less per call).
        self._local_versions: dict[str, int] | None = {} if isinstance(backend, SimpleMemoryCache) else None
        self._memory = backend if isinstance(backend, MemoryCache) else None
        # aiocache's Redis backend keeps its redis.asyncio client as ``client``.
        self._lookup_script = (backend.client.register_script(_LOOKUP_LUA) if isinstance(backend, RedisCache)
                               else None)

    @classmethod
    def create(cls, redis_url: str | None, *, enabled: bool = True) -> ResponseCache:
        if not redis_url:
            # Kept as the parsed objects: decoding JSON on every hit cost a warm 50-student query ~20 ms.
            # Nothing mutates a cached payload (models are built from it, frozen), so sharing it is safe.
            return cls(MemoryCache(serializer=NullSerializer(), timeout=None), enabled=enabled)
        url = urlsplit(redis_url)
        db = int(url.path.strip("/") or 0)
        # timeout=None: aiocache would otherwise wrap every lookup in a wait_for task; Redis' own socket
        # timeouts bound a stuck server.
        # A blocking pool: a burst of cache operations waits for a free connection (up to 5 s) instead of
        # failing with "too many connections" (redis-py's default pool raises at 100).
        backend = RedisCache(serializer=JsonSerializer(), endpoint=url.hostname or "127.0.0.1",
                             port=url.port or 6379, db=db, password=url.password, timeout=None,
                             create_connection_timeout=2.0, pool_max_size=REDIS_POOL_SIZE,
                             connection_pool_class=BlockingConnectionPool,
                             connection_pool_kwargs={"timeout": 5})
        return cls(backend, enabled=enabled)

    @property
    def local(self) -> bool:
        """Whether values live in this process (memory backend): what ``get`` returns is what is stored."""
        return self._local_versions is not None

    async def close(self) -> None:
        await self.backend.close()

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
        version = await self.backend.get(self._route_version_key(vendor, route), loads_fn=_counter) or 0
        before, after = self._around_version(vendor, route, path, params, variant)
        return f"{before}{version}{after}"

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
        raw_key, raw = await self._lookup_script(keys=[self._route_version_key(vendor, route)],
                                                 args=list(self._around_version(vendor, route, path, params, variant)))
        key = raw_key.decode() if isinstance(raw_key, bytes) else str(raw_key)
        if raw is None:
            return key, None
        return key, self.backend.serializer.loads(raw.decode() if isinstance(raw, bytes) else raw)

    async def fetch_missing(self, key: str, ttl: float, fetch: Callable[[], Awaitable[T]]) -> tuple[T, bool]:
        """For a key found empty: the fetched value (stored for ``ttl`` seconds) and False, or, when another
        task is already fetching it, that task's value and True."""
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending), True
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            value = await fetch()
            await self.backend.set(key, value, ttl=max(1, round(ttl)))
            future.set_result(value)
            return value, False
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: followers may be none
            raise
        finally:
            self._inflight.pop(key, None)

    async def invalidate(self, *keys: str) -> None:
        for key in keys:
            await self.backend.delete(key)

    async def invalidate_route(self, vendor: str, route: str) -> None:
        """Every cached answer of a route (all parameters) becomes unreachable; it ages out by TTL."""
        version_key = self._route_version_key(vendor, route)
        if self._local_versions is not None:
            self._local_versions[version_key] = self._local_versions.get(version_key, 0) + 1
        else:
            await self.backend.increment(version_key)
