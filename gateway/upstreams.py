"""The three vendor clients and what they share (cache, Redis, stats), opened and closed together."""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass, field, replace
from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis

from gateway.settings import Settings
from gateway.vendors.base import VendorClient
from gateway.vendors.cache import REDIS_POOL_SIZE, ResponseCache
from gateway.vendors.dartmouth.client import DartmouthClient
from gateway.vendors.errors import MissingScope, VendorAuthError, VendorError
from gateway.vendors.hubmis.client import HubmisClient
from gateway.vendors.redislink import RedisLink, connection_options
from gateway.vendors.stats import UpstreamStats
from gateway.vendors.stellic.client import StellicClient

log = logging.getLogger("campusgraph.upstreams")

PRIVATE_SCOPE = "urn:dartmouth:people:private"


@dataclass
class Upstreams:
    stellic: StellicClient
    hubmis: HubmisClient
    dartmouth: DartmouthClient
    cache: ResponseCache
    stats: UpstreamStats
    redis: Redis | None = None
    # Whether Redis answers, as every user of it in this process sees it (cache, buckets, idempotency, tasks).
    redis_link: RedisLink = field(default_factory=RedisLink)
    # Dartmouth as a caller without ``people:private`` sees it: FERPA-protected people answer 404.
    dartmouth_public: DartmouthClient | None = None

    @classmethod
    def create(cls, settings: Settings) -> Upstreams:
        stats, link = UpstreamStats(), RedisLink()
        cache = ResponseCache.create(settings.redis_url, enabled=settings.cache_enabled, link=link)
        # Blocking pool: a burst waits for a connection instead of failing (see gateway/vendors/cache.py); short
        # socket timeouts, so a Redis that does not answer costs no request a long wait (see redislink).
        redis = Redis(connection_pool=BlockingConnectionPool.from_url(
            settings.redis_url, max_connections=REDIS_POOL_SIZE, timeout=5,
            **connection_options())) if settings.redis_url else None
        dartmouth = DartmouthClient(settings.dartmouth, cache=cache, stats=stats)
        public_scopes = tuple(s for s in settings.dartmouth.scopes if s != PRIVATE_SCOPE)
        return cls(
            stellic=StellicClient(settings.stellic, cache=cache, stats=stats),
            hubmis=HubmisClient(settings.hubmis, cache=cache, stats=stats, redis=redis, redis_link=link),
            dartmouth=dartmouth, cache=cache, stats=stats, redis=redis, redis_link=link,
            # The same vendor behind another JWT: the same breakers, so a route's circuit opened by either
            # caller's failures holds for both, and /readyz, /metrics and `vendors` (which read the first client)
            # show it.
            dartmouth_public=DartmouthClient(replace(settings.dartmouth, scopes=public_scopes), cache=cache,
                                             stats=stats, breakers=dartmouth.breakers)
            if public_scopes != settings.dartmouth.scopes else dartmouth,
        )

    def dartmouth_for(self, private: bool) -> DartmouthClient:
        """The Dartmouth client whose JWT matches what the caller may see."""
        return self.dartmouth if private or self.dartmouth_public is None else self.dartmouth_public

    @property
    def clients(self) -> dict[str, VendorClient]:
        return {"stellic": self.stellic, "hubmis": self.hubmis, "dartmouth": self.dartmouth}

    @property
    def _lifecycle(self) -> dict[str, VendorClient]:
        extra = {} if self.dartmouth_public in (None, self.dartmouth) else {"dartmouth (public)": self.dartmouth_public}
        return {**self.clients, **extra}  # type: ignore[dict-item]

    async def start(self) -> None:
        """Open the sessions and obtain credentials. A vendor that is down does not stop the gateway
        (the others still serve); a refused credential or a missing scope does, with a clear message."""
        clients = self._lifecycle
        for client in clients.values():
            await client.start()
        results = await asyncio.gather(*(c.prepare() for c in clients.values()), return_exceptions=True)
        for vendor, result in zip(clients, results, strict=True):
            if isinstance(result, MissingScope | VendorAuthError):
                await self.close()
                raise result
            if isinstance(result, VendorError):
                log.warning("%s is not reachable at start-up: %s", vendor, result)
            elif isinstance(result, BaseException):
                raise result
        # After the credential exchanges, so the first queries find their connections open; not to a vendor that
        # could not be reached just now (its first call reports that, without start-up waiting on it twice).
        reached = [c for c, result in zip(clients.values(), results, strict=True) if result is None]
        await asyncio.gather(*(c.preconnect() for c in reached))

    async def close(self) -> None:
        for client in self._lifecycle.values():
            await client.close()
        await self.cache.close()
        if self.redis is not None:
            await self.redis.aclose()

    def _last_error(self, vendor: str, client: VendorClient) -> dict[str, Any] | None:
        """The vendor's latest failure, Dartmouth's under either of its credentials."""
        seen = [c.last_error for c in (client, self.dartmouth_public if vendor == "dartmouth" else None)
                if c is not None and c.last_error is not None]
        return max(seen, key=lambda error: float(error["at"]), default=None)

    async def status(self) -> list[dict[str, Any]]:
        """Each vendor as this gateway sees it: session, credentials, breaker, rate budget, latest failure. The budget
        is whole requests (the floor of the bucket's tokens, never below 0): the part of the next token that has
        refilled is no request yet. Every reader (``vendors``, ``/readyz``, ``/metrics``) takes it from here."""
        out = []
        for vendor, client in self.clients.items():
            remaining = None
            if client.rate is not None:
                try:
                    remaining = max(0, math.floor(await client.rate.remaining()))
                except Exception as exc:  # a shared bucket in an unreachable Redis: readiness reports Redis itself
                    log.warning("rate budget of %s unreadable: %s", vendor, type(exc).__name__)
            out.append({
                "vendor": vendor, "session_open": client.session_open, "credentials_ready": client.auth.ready,
                "breaker": str(client.breakers.state), "all_circuits_open": client.breakers.all_open(),
                "circuits": {route: str(state) for route, state in client.breakers.not_closed().items()},
                "rate_remaining": remaining,
                "last_error": self._last_error(vendor, client),
            })
        return out
