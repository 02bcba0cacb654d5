"""Dartmouth API client: API key exchanged for a JWT with exactly the configured scopes, and
``pagesize`` + ``continuation_key`` paging over a found set."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Mapping
from typing import Any

from gateway.vendors.auth import ApiKeyJwt
from gateway.vendors.base import VendorClient
from gateway.vendors.cache import ResponseCache
from gateway.vendors.config import DartmouthConfig
from gateway.vendors.dartmouth import routes
from gateway.vendors.routes import Route
from gateway.vendors.stats import UpstreamStats

# Dartmouth refreshes its own caches at these intervals (seed 003 and each API page): asking more
# often only returns the same data.
TTL_STUDENTS_S = 300.0  # students, people
TTL_ACADEMIC_S = 1800.0  # enrollments, courses, sections
TTL_TERMS_S = 86400.0  # terms, students' terms
TTL_VALUE_LISTS_S = 14400.0  # schools, section types, hold types


class DartmouthClient(VendorClient):
    vendor = "dartmouth"
    routes = routes.ROUTES

    def __init__(self, config: DartmouthConfig, *, cache: ResponseCache, stats: UpstreamStats | None = None) -> None:
        # Answers depend on the JWT's scopes (GPA, FERPA, grades), so the scopes are part of every cache key.
        scopes = hashlib.sha256(" ".join(sorted(config.scopes)).encode()).hexdigest()[:16]
        super().__init__(config.base_url, config.http, cache=cache, stats=stats, variant=f"scopes={scopes}")
        self.page_size = config.page_size
        self.auth = ApiKeyJwt(self.token_call, routes.GET_JWT, config.api_key, config.scopes)

    async def fetch(self, route: Route, *, path: Mapping[str, Any] | None = None,
                    params: Mapping[str, Any] | None = None, ttl: float = TTL_STUDENTS_S) -> Any:
        """One cached read of any Dartmouth route; the parsed body."""
        return (await self.get(route, path=path, params=params, ttl=ttl)).body

    async def pages(self, route: Route, *, params: Mapping[str, Any] | None = None, page_size: int | None = None,
                    ttl: float = TTL_STUDENTS_S) -> AsyncIterator[list[dict[str, Any]]]:
        """Every page of a filtered collection: the first answer's ``X-Request-ID`` is the
        ``continuation_key`` that keeps later pages on the same found set; a short page ends it."""
        size = page_size or self.page_size
        first = await self.get(route, params={**(params or {}), "pagesize": size}, ttl=ttl)
        items = first.body if isinstance(first.body, list) else []
        if items:
            yield items
        key = first.headers.get("x-request-id")
        page = 2
        while len(items) >= size and key:
            reply = await self.get(route, params={**(params or {}), "pagesize": size, "continuation_key": key,
                                                  "page": page}, ttl=ttl)
            items = reply.body if isinstance(reply.body, list) else []
            if items:
                yield items
            page += 1

    async def get_student(self, netid: str) -> dict[str, Any]:
        """``GET /api/students/{netid}``."""
        body: dict[str, Any] = await self.fetch(routes.GET_STUDENT, path={"netid": netid})
        return body
