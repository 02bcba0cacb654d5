"""create_app(settings) -> Starlette: the GraphQL endpoint (with GraphiQL), health, and the lifespan that
opens the vendor sessions and keeps the crosswalk indexes fresh."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from functools import partial
from typing import Annotated, Any, Literal, cast

import strawberry
from graphql import GraphQLError, GraphQLUnionType
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from strawberry.extensions import MaxTokensLimiter, SchemaExtension
from strawberry.federation.schema import FederationAny
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import ExecutionResult, Info
from strawberry.types.graphql import OperationType

from gateway import directresolvers, gctuning, graphiql
from gateway.auth.audit import AuditExtension
from gateway.auth.authenticator import Authenticator
from gateway.errors import ErrorFormatter, GatewayError
from gateway.idempotency import Idempotency
from gateway.observability.health import readiness
from gateway.observability.metrics import CONTENT_TYPE_LATEST, GatewayMetrics
from gateway.observability.operation import OperationObserver
from gateway.observability.requestlog import RequestLog
from gateway.observability.tracing import Tracing
from gateway.security.guard import (
    CallerLimiter,
    GraphQLGuard,
    GuardPolicy,
    operation_hash,
)
from gateway.security.introspection import IntrospectionRequiresScope
from gateway.security.limits import OperationVariables, validation_rules
from gateway.security.selection import OperationSelection
from gateway.security.validation import AcceptedQueries, CachedParse, Validation, parse_cache, warm
from gateway.settings import AccessSettings, Settings
from gateway.upstreams import Upstreams
from gateway.vendors.base import background_context
from gateway.vendors.errors import MissingScope, VendorAuthError
from gateway.view import CampusGraphQL
from resolvers.crosswalk import Crosswalk, IdentityRules
from resolvers.entities import entity_key
from resolvers.mutation import Mutation
from resolvers.permissions import apply_field_scopes, schema_types
from resolvers.query import Query
from resolvers.subscription import Subscription

log = logging.getLogger("campusgraph.app")
FEDERATION_VERSION: Literal["2.5"] = "2.5"


REPRESENTATIONS = strawberry.argument(description="The entities another subgraph asks for, each `{__typename, id}`: "
                                                  "a Student, Staff, Section, Enrollment or Hold and its global ID, "
                                                  "read as `node(id:)` reads it (the gateway, then the vendor its "
                                                  "type comes from).")


class GatewaySchema(strawberry.federation.Schema):
    @staticmethod
    def remove_field_suggestion(error: GraphQLError) -> None:
        """Production mode (``disable_field_suggestions``) keeps the schema's names out of what a caller without
        introspection is told. Strawberry drops a mistyped field's "Did you mean" only, so an argument's, an enum
        value's, an input field's and a type's suggestion still named them: every one is dropped here (with what
        follows it, such as graphql-core's "Found: …" echo of the value)."""
        if "Did you mean" in error.message:
            error.message = error.message.split("Did you mean")[0].strip()

    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        """Strawberry would log every error at ERROR with a traceback, a refused scope or a vendor's 404 too.
        Those are answers, each with its code; ErrorFormatter logs the unexpected ones, with their traceback,
        under the request id, and the request log line carries every error's code."""

    async def execute(self, query: str | None, variable_values: dict[str, Any] | None = None,
                      context_value: Any | None = None, root_value: Any | None = None,
                      operation_name: str | None = None,
                      allowed_operation_types: Iterable[OperationType] | None = None,
                      operation_extensions: dict[str, Any] | None = None) -> ExecutionResult:
        """Strawberry allows subscriptions over plain HTTP and then runs one here as a query, whose stream cannot
        be returned (an INTERNAL_ERROR). Subscriptions are served over the WebSocket (``stream``) only, so here
        one is Strawberry's InvalidOperationTypeError: a 400 coded BAD_REQUEST (see CampusGraphQL.__call__)."""
        allowed = set(DEFAULT_ALLOWED_OPERATION_TYPES if allowed_operation_types is None else allowed_operation_types)
        return await super().execute(query, variable_values, context_value, root_value, operation_name,
                                     allowed - {OperationType.SUBSCRIPTION}, operation_extensions)

    def entities_resolver(self, info: Info,
                          representations: Annotated[list[FederationAny], REPRESENTATIONS]) -> list[FederationAny]:
        """Strawberry's ``_entities`` resolver, one representation at a time: a bad one (resolvers/entities.py)
        is a BAD_USER_INPUT error in its place and no longer fails the others."""
        entity_types = {t.name for t in cast(GraphQLUnionType, self._schema.type_map["_Entity"]).types}
        results: list[object] = []
        for representation in representations:
            key = entity_key(representation, entity_types)
            results.append(key if isinstance(key, GatewayError) else
                           super().entities_resolver(info, [cast(FederationAny, key)])[0])
        return cast(list[FederationAny], results)


# Federation's own fields, which Strawberry adds undescribed: GraphiQL's docs pane shows them beside ours.
FEDERATION_DESCRIPTIONS = {
    ("Query", "_entities"): "Federation v2: the entities a router asks for by key, each read as `node(id:)` reads "
                            "it, from the vendor its type comes from. Source: gateway.",
    ("Query", "_service"): "Federation v2: this subgraph's description for a composer. Source: gateway.",
    ("_Service", "sdl"): "This subgraph's schema (SDL), as `campusgraph schema` prints it. Source: gateway.",
}


def describe_federation_fields(schema: strawberry.Schema) -> None:
    for (type_name, field_name), description in FEDERATION_DESCRIPTIONS.items():
        graphql_type = schema._schema.type_map.get(type_name)
        field = getattr(graphql_type, "fields", {}).get(field_name)
        if field is not None and not field.description:
            field.description = description


def build_schema(access: AccessSettings | None = None,
                 observer: Callable[[], SchemaExtension] | None = None) -> strawberry.Schema:
    """The schema with its guards: field scopes, query limits, audit, coded errors."""
    access = access or AccessSettings()
    apply_field_scopes(schema_types())
    rules = validation_rules(access.limits) + ([IntrospectionRequiresScope] if access.production else [])
    # Extensions are given as classes or factories: Strawberry makes one of each per request (an instance given
    # here would be shared by concurrent requests). The parse and validation caches are shared on purpose.
    cached_parse, accepted = parse_cache(), AcceptedQueries()
    # A federation schema: also an Apollo Federation v2 subgraph (_service, _entities, @key on the entities),
    # linking a federation version every current composer accepts (Strawberry's default, 2.11, is too new for some).
    schema = GatewaySchema(
        query=Query, mutation=Mutation, subscription=Subscription, federation_version=FEDERATION_VERSION,
        # Strawberry leaves the operation hooks in reverse order: the observer and the audit, listed before
        # ErrorFormatter, see the errors as the caller gets them (coded), not the raw exceptions.
        extensions=[*([observer] if observer else []), AuditExtension,
                    OperationVariables, partial(MaxTokensLimiter, access.limits.max_tokens),
                    partial(CachedParse, cached_parse), OperationSelection, partial(Validation, rules, accepted),
                    # Idempotency before ErrorFormatter: its operation hook then runs last, keeping the result as sent.
                    Idempotency, ErrorFormatter],
        config=StrawberryConfig(disable_field_suggestions=access.production,
                                batching_config={"max_operations": access.max_batch}))
    directresolvers.install(schema)  # after the scopes: a scoped field keeps Strawberry's whole path
    describe_federation_fields(schema)
    # The allow-listed operations are parsed and validated now, not by their first request.
    for text in warm(schema._schema, list((access.persisted or {}).values()), cached_parse, accepted,
                     access.limits.max_tokens):
        log.warning("a persisted operation does not validate against this schema and can never run: sha256 %s",
                    operation_hash(text))
    return schema


def create_app(settings: Settings, graphiql_headers: graphiql.HeaderSource | None = None) -> Starlette:
    upstreams = Upstreams.create(settings)
    rules = IdentityRules(stellic_username=settings.stellic_username_template,
                          case_insensitive=settings.crosswalk_case_insensitive)
    crosswalk = Crosswalk.create(upstreams.hubmis, upstreams.stellic, upstreams.dartmouth,
                                 upstreams.dartmouth_for(private=False), rules,
                                 refill_s=settings.hubmis.rate_limit_refill_s,
                                 refresh_s=settings.hubmis_index_refresh_s, share=settings.hubmis_index_share,
                                 redis=upstreams.redis, redis_link=upstreams.redis_link)
    metrics = GatewayMetrics() if settings.metrics_enabled else None
    if metrics is not None:
        metrics.attach(upstreams.stats)
    tracing = Tracing.from_settings(settings)
    if tracing is not None:
        upstreams.stats.exchange_hook = tracing.upstream_span
    observer = partial(OperationObserver, metrics, tracing)
    graphql = CampusGraphQL(build_schema(settings.access, observer), upstreams, crosswalk, settings,
                            graphiql_headers)
    access = settings.access
    guard = GuardPolicy(
        authenticator=Authenticator(access.tokens, access.api_keys), max_body_bytes=access.max_body_bytes,
        limiter=CallerLimiter(access.caller_rate_per_min, access.caller_burst, upstreams.redis,
                              redis_link=upstreams.redis_link),
        max_batch=access.max_batch, max_tokens=access.limits.max_tokens, persisted=access.persisted)
    graphql.authenticator = guard.authenticator

    refused: list[str] = []  # why start-up stopped, said by StartupRefusal

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            await upstreams.start()
        except VendorAuthError as exc:  # a credential or scope refused: the operator's to fix, not a bug
            check = "CAMPUSGRAPH_DARTMOUTH_API_KEY and CAMPUSGRAPH_DARTMOUTH_SCOPES" if isinstance(exc, MissingScope) \
                else CREDENTIAL_SETTINGS.get(exc.vendor, "the vendor's credentials")
            refused.append(f"cannot start: {exc} (check {check})")
            raise
        gctuning.tune()
        # The gateway's own work, for no request: a failing refresh cannot open a vendor's circuit for users' calls.
        indexes = asyncio.create_task(crosswalk.run(), name="crosswalk-indexes", context=background_context())
        try:
            yield
        finally:
            indexes.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await indexes
            await graphql.tasks.close()
            await upstreams.close()
            if tracing is not None:
                await asyncio.to_thread(tracing.shutdown)  # exports the spans still queued

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        ready, body = await readiness(upstreams)
        body["hubmis_index"] = {"ready": crosswalk.hubmis_students.ready.is_set(),
                                "students": len(crosswalk.hubmis_students), "staff": len(crosswalk.hubmis_staff)}
        return JSONResponse(body, status_code=200 if ready else 503)

    async def serve_metrics(request: Request) -> Response:
        assert metrics is not None
        return Response(await metrics.render(upstreams), media_type=CONTENT_TYPE_LATEST)

    async def root(request: Request) -> Response:
        """The address a browser is given by hand: GraphiQL (and the endpoint) is at /graphql."""
        return RedirectResponse("/graphql", status_code=302)

    app = Starlette(routes=[
        Route("/", root, methods=["GET", "HEAD"]),
        # Every method reaches Strawberry, which refuses all but GET and POST with a 405 that __call__ codes.
        Route("/graphql", graphql),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        *([Route("/metrics", serve_metrics)] if metrics is not None else []),
        Route("/readyz", readyz),
    ], lifespan=lifespan, middleware=[Middleware(GraphQLGuard, policy=guard)])
    app.add_middleware(StartupRefusal, reasons=refused)
    # Answers are JSON that compresses ten to one (a 229-row roster: 92 kB, 8 kB gzipped); every client asks for it.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=5)
    if access.cors_origins:  # outside the guard: a browser's preflight carries no credentials
        app.add_middleware(CORSMiddleware, allow_origins=list(access.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["*"], expose_headers=list(EXPOSED_HEADERS), max_age=600)
    app.add_middleware(RequestLog)  # outermost: every response gets X-Request-ID, every request one log line
    app.state.upstreams, app.state.crosswalk = upstreams, crosswalk
    return app


# Smaller answers go as they are: a small body gains little and costs a compression.
GZIP_MINIMUM_BYTES = 1024

# What a browser page calling from another origin may read of an answer besides its body.
EXPOSED_HEADERS = ("X-Request-ID", "Retry-After", "WWW-Authenticate")

# What to check when a vendor refuses the gateway's credentials at start-up.
CREDENTIAL_SETTINGS = {"stellic": "CAMPUSGRAPH_STELLIC_TOKEN",
                       "hubmis": "CAMPUSGRAPH_HUBMIS_CLIENT_ID, CAMPUSGRAPH_HUBMIS_CLIENT_SECRET and "
                                 "CAMPUSGRAPH_HUBMIS_REALM",
                       "dartmouth": "CAMPUSGRAPH_DARTMOUTH_API_KEY"}


class StartupRefusal:
    """Says why start-up stopped in one line: Starlette reports a lifespan that raised with its traceback, which for a
    refused vendor credential buried the reason at the end of a stack of frames."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Any], reasons: list[str]) -> None:
        self.app, self.reasons = app, reasons

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def say(message: Any) -> None:
            if message["type"] == "lifespan.startup.failed" and self.reasons:
                message = {**message, "message": self.reasons[-1]}
            await send(message)

        await self.app(scope, receive, say)


def create_app_from_env() -> Starlette:
    """The uvicorn factory behind ``campusgraph serve`` (each worker reads the same environment)."""
    from gateway.logs import configure

    settings = Settings.from_env()
    configure(settings.log_level)
    return create_app(settings)
