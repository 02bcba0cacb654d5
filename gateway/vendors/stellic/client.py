"""Stellic client: a personal access token as a bearer header; Partner API writes and reads, exports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.vendors.auth import StaticBearer
from gateway.vendors.base import VendorClient
from gateway.vendors.cache import ResponseCache
from gateway.vendors.config import StellicConfig
from gateway.vendors.routes import Route
from gateway.vendors.stats import UpstreamStats
from gateway.vendors.stellic import routes

TTL_READS_S = 300.0  # engagement score, audit, planner: recomputed by Stellic, not pushed


class StellicClient(VendorClient):
    vendor = "stellic"
    routes = routes.ROUTES

    def __init__(self, config: StellicConfig, *, cache: ResponseCache, stats: UpstreamStats | None = None) -> None:
        super().__init__(config.base_url, config.http, cache=cache, stats=stats, variant="pat")
        self.auth = StaticBearer(config.token)

    async def fetch(self, route: Route, *, path: Mapping[str, Any] | None = None,
                    params: Mapping[str, Any] | None = None, ttl: float = TTL_READS_S) -> Any:
        return (await self.get(route, path=path, params=params, ttl=ttl)).body

    async def get_student_property(self, username: str, prop: str = "engagement_score") -> dict[str, Any]:
        """``GET /partnerapi/v1/students/{student_username}/{property}``."""
        body: dict[str, Any] = await self.fetch(routes.GET_STUDENT_PROPERTY,
                                                path={"student_username": username, "property": prop})
        return body
