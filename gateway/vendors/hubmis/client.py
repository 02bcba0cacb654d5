"""WCBS HUBmis client: client-credentials token with the Realm header, page-number paging, and a
client-side bucket mirroring the documented limit (500 per client, one more every 5 s)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from redis.asyncio import Redis

from gateway.vendors.auth import ClientCredentials
from gateway.vendors.base import Reply, VendorClient
from gateway.vendors.cache import ResponseCache
from gateway.vendors.config import HubmisConfig
from gateway.vendors.hubmis import routes
from gateway.vendors.ratelimit import LocalBucket, RateBudget, RedisBucket
from gateway.vendors.routes import Route
from gateway.vendors.stats import UpstreamStats

# Seconds a HUBmis answer stays fresh. HUBmis documents no refresh interval; people change more
# often than the school's structure, and every call spends the scarce rate budget.
TTL_PEOPLE_S = 300.0
TTL_STRUCTURE_S = 3600.0


def _items(body: Any) -> list[dict[str, Any]]:
    """A list page: a bare array (every seed sample) or a ``{data: [...]}`` envelope."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        return list(body["data"])
    return []


class HubmisClient(VendorClient):
    vendor = "hubmis"
    routes = routes.ROUTES

    def __init__(self, config: HubmisConfig, *, cache: ResponseCache, stats: UpstreamStats | None = None,
                 redis: Redis | None = None) -> None:
        rate: RateBudget
        if redis is not None:
            rate = RedisBucket(redis, f"cg:rate:hubmis:{config.realm}:{config.client_id}",
                               config.rate_limit_bucket, config.rate_limit_refill_s)
        else:
            rate = LocalBucket(config.rate_limit_bucket, config.rate_limit_refill_s)
        super().__init__(config.base_url, config.http, cache=cache, stats=stats, rate=rate,
                         variant=f"realm={config.realm};year={config.academic_year_id}")
        self.page_size = config.page_size
        self.auth = ClientCredentials(self.token_call, routes.GET_TOKEN, config.client_id, config.client_secret,
                                      config.realm, config.academic_year_id)

    async def fetch(self, route: Route, *, path: Mapping[str, Any] | None = None,
                    params: Mapping[str, Any] | None = None, ttl: float = TTL_PEOPLE_S) -> Any:
        """One cached read of any HUBmis route; the parsed body."""
        reply: Reply = await self.get(route, path=path, params=params, ttl=ttl)
        return reply.body

    async def pages(self, route: Route, *, path: Mapping[str, Any] | None = None,
                    params: Mapping[str, Any] | None = None, page_size: int | None = None,
                    ttl: float = TTL_PEOPLE_S) -> AsyncIterator[list[dict[str, Any]]]:
        """Every page of a list, ``page[number]`` from 1, stopping on a short (or empty) page."""
        size = page_size or self.page_size
        number = 1
        while True:
            query = {**(params or {}), "page[number]": number, "page[size]": size}
            items = _items((await self.get(route, path=path, params=query, ttl=ttl)).body)
            if items:
                yield items
            if len(items) < size:
                return
            number += 1

    async def get_student(self, student_id: int) -> dict[str, Any]:
        """``GET /api/v1/students/{id}``."""
        body: dict[str, Any] = await self.fetch(routes.GET_STUDENT, path={"id": student_id})
        return body
