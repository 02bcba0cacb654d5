"""create_app(settings) -> Starlette: the GraphQL endpoint (with GraphiQL), health, and the lifespan that
opens the vendor sessions and keeps the crosswalk indexes fresh."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from strawberry.asgi import GraphQL

from gateway.context import Context
from gateway.errors import ErrorFormatter
from gateway.settings import Settings
from gateway.upstreams import Upstreams
from gateway.vendors.budget import CallBudget, current_budget
from resolvers.crosswalk import Crosswalk, IdentityRules
from resolvers.port import Port
from resolvers.query import Query

log = logging.getLogger("campusgraph.app")


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query, extensions=[ErrorFormatter])


class CampusGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI GraphQL app with our per-request context: fresh loaders, a call budget, a request id."""

    def __init__(self, schema: strawberry.Schema, upstreams: Upstreams, crosswalk: Crosswalk,
                 settings: Settings) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self.upstreams, self.crosswalk = upstreams, crosswalk
        self.call_budget, self.batching = settings.call_budget, settings.batching_enabled

    async def get_context(self, request: Any, response: Any) -> Context:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        if response is not None:
            response.headers["X-Request-ID"] = request_id
        budget = CallBudget(self.call_budget)
        current_budget.set(budget)  # this request's task: every upstream call below is counted against it
        return Context(request=request, response=response, request_id=request_id, upstreams=self.upstreams,
                       budget=budget, port=Port(self.upstreams, self.crosswalk, self.batching))


def create_app(settings: Settings) -> Starlette:
    upstreams = Upstreams.create(settings)
    rules = IdentityRules(stellic_username=settings.stellic_username_template,
                          case_insensitive=settings.crosswalk_case_insensitive)
    crosswalk = Crosswalk.create(upstreams.hubmis, upstreams.stellic, rules,
                                 refill_s=settings.hubmis.rate_limit_refill_s,
                                 refresh_s=settings.hubmis_index_refresh_s, share=settings.hubmis_index_share)
    graphql = CampusGraphQL(build_schema(), upstreams, crosswalk, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await upstreams.start()
        indexes = asyncio.create_task(crosswalk.run(), name="crosswalk-indexes")
        try:
            yield
        finally:
            indexes.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await indexes
            await upstreams.close()

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        vendors = await upstreams.status()
        ready = any(v["session_open"] for v in vendors)
        return JSONResponse({"ready": ready, "vendors": vendors,
                             "hubmis_index": {"ready": crosswalk.hubmis_students.ready.is_set(),
                                              "students": len(crosswalk.hubmis_students)}},
                            status_code=200 if ready else 503)

    app = Starlette(routes=[
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ], lifespan=lifespan)
    app.state.upstreams, app.state.crosswalk = upstreams, crosswalk
    return app


def create_app_from_env() -> Starlette:
    """The uvicorn factory behind ``campusgraph serve`` (each worker reads the same environment)."""
    from gateway.logs import configure

    configure()
    return create_app(Settings.from_env())
