"""The three vendor clients and what they share (cache, Redis, stats), opened and closed together."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from gateway.settings import Settings
from gateway.vendors.base import VendorClient
from gateway.vendors.cache import ResponseCache
from gateway.vendors.dartmouth.client import DartmouthClient
from gateway.vendors.errors import MissingScope, VendorAuthError, VendorError
from gateway.vendors.hubmis.client import HubmisClient
from gateway.vendors.stats import UpstreamStats
from gateway.vendors.stellic.client import StellicClient

log = logging.getLogger("campusgraph.upstreams")


@dataclass
class Upstreams:
    stellic: StellicClient
    hubmis: HubmisClient
    dartmouth: DartmouthClient
    cache: ResponseCache
    stats: UpstreamStats
    redis: Redis | None = None

    @classmethod
    def create(cls, settings: Settings) -> Upstreams:
        stats = UpstreamStats()
        cache = ResponseCache.create(settings.redis_url, enabled=settings.cache_enabled)
        redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
        return cls(
            stellic=StellicClient(settings.stellic, cache=cache, stats=stats),
            hubmis=HubmisClient(settings.hubmis, cache=cache, stats=stats, redis=redis),
            dartmouth=DartmouthClient(settings.dartmouth, cache=cache, stats=stats),
            cache=cache, stats=stats, redis=redis,
        )

    @property
    def clients(self) -> dict[str, VendorClient]:
        return {"stellic": self.stellic, "hubmis": self.hubmis, "dartmouth": self.dartmouth}

    async def start(self) -> None:
        """Open the sessions and obtain credentials. A vendor that is down does not stop the gateway
        (the others still serve); a refused credential or a missing scope does, with a clear message."""
        for client in self.clients.values():
            await client.start()
        results = await asyncio.gather(*(c.prepare() for c in self.clients.values()), return_exceptions=True)
        for vendor, result in zip(self.clients, results, strict=True):
            if isinstance(result, MissingScope | VendorAuthError):
                await self.close()
                raise result
            if isinstance(result, VendorError):
                log.warning("%s is not reachable at start-up: %s", vendor, result)
            elif isinstance(result, BaseException):
                raise result

    async def close(self) -> None:
        for client in self.clients.values():
            await client.close()
        await self.cache.close()
        if self.redis is not None:
            await self.redis.aclose()

    async def status(self) -> list[dict[str, Any]]:
        """Each vendor as this gateway sees it: session, credentials, breaker, rate budget."""
        out = []
        for vendor, client in self.clients.items():
            out.append({
                "vendor": vendor, "session_open": client.session_open, "credentials_ready": client.auth.ready,
                "breaker": str(client.breaker.state),
                "rate_remaining": None if client.rate is None else await client.rate.remaining(),
            })
        return out
