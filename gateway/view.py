"""The GraphQL endpoint over HTTP and WebSocket: Strawberry's ASGI view with the gateway's per-request context
(fresh loaders, a call budget, a request id), batches run operation by operation, the media type a client
prefers, and requests Strawberry cannot run answered as coded GraphQL errors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

import strawberry
from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler, Operation
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from gateway import graphiql, jsoncodec
from gateway.auth.audit import AuditTrail
from gateway.auth.authenticator import Authenticator
from gateway.auth.tokens import AuthError
from gateway.auth.viewer import ANONYMOUS, Viewer
from gateway.context import Context
from gateway.errors import REQUEST_ERRORS, request_error_code
from gateway.idempotency import IdempotencyStore
from gateway.observability.requestlog import current_request, new_request_id
from gateway.security.guard import GRAPHQL_RESPONSE, read_only, refuse, response_media_type
from gateway.security.introspection import current_viewer
from gateway.settings import Settings
from gateway.upstreams import Upstreams
from gateway.vendors.budget import CallBudget, current_budget
from resolvers.crosswalk import Crosswalk
from resolvers.port import Port
from resolvers.tasks import TaskTracker
from resolvers.taskstore import TaskStore

PLAIN_ACK: UnsetType = UNSET  # on_ws_connect's answer for a connection_ack without a payload


# A request's fields and what each may be besides null, worded as Strawberry words the three it checks (only in a
# request that is not a batch: in a batch a wrong type was an uncoded error naming a Python type, or ignored).
REQUEST_FIELDS: dict[str, tuple[Callable[[object], bool], str]] = {
    "query": (lambda v: isinstance(v, str), "a string"),
    "operationName": (lambda v: isinstance(v, str), "a string"),
    "variables": (lambda v: isinstance(v, dict), "an object"),
    "extensions": (lambda v: isinstance(v, dict), "an object"),
}


class RequestAdapter(StarletteRequestAdapter):
    """The request as Strawberry reads it, its media type in lower case: media types are case-insensitive
    (RFC 9110), and Strawberry compares them as sent, so ``APPLICATION/JSON`` was an unsupported content type."""

    @property
    def content_type(self) -> str | None:
        sent = super().content_type
        if sent is None:
            return None
        media_type, semicolon, parameters = sent.partition(";")
        return media_type.strip().lower() + semicolon + parameters


# The context of the graphql-transport-ws operation the running task serves (None outside one: the connection's).
_ws_operation: ContextVar[Context | None] = ContextVar("campusgraph_ws_operation", default=None)


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws, each operation (a query or mutation sent over the socket, as a subscription) run as a
    request of its own: its own data port (fresh loaders, its own failures to report), call budget, audit record and
    request id (``CampusGraphQL.operation_context``). Strawberry runs every operation of a socket over the one
    context its connection got: a record one operation read, or failed to read, was every later operation's answer
    without a call, and the socket's operations together spent one request's budget."""

    @property
    def context(self) -> Context:
        own = _ws_operation.get()
        return own if own is not None else self._connection_context

    @context.setter
    def context(self, value: Context) -> None:
        self._connection_context = value

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        # Each operation is a task of its own (handle_subscribe): what is set here is that task's alone.
        view = self.view
        assert isinstance(view, CampusGraphQL)
        _ws_operation.set(view.operation_context(self._connection_context))
        await super().run_operation(operation)


class CampusGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI GraphQL app with our per-request context: fresh loaders, a call budget, a request id."""

    request_adapter_class = RequestAdapter
    graphql_transport_ws_handler_class = TransportWSHandler

    def __init__(self, schema: strawberry.Schema, upstreams: Upstreams, crosswalk: Crosswalk,
                 settings: Settings, graphiql_headers: graphiql.HeaderSource | None = None) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql_enabled else None)
        self.upstreams, self.crosswalk = upstreams, crosswalk
        self._graphiql_headers = graphiql_headers
        self.call_budget, self.batching = settings.call_budget, settings.batching_enabled
        self.tasks = TaskTracker(upstreams, TaskStore(upstreams.redis, link=upstreams.redis_link),
                                 wait_s=settings.task_wait_s, poll_s=settings.task_poll_s,
                                 follow_s=settings.task_follow_s)
        self.idempotency = IdempotencyStore(upstreams.redis, link=upstreams.redis_link)
        self.authenticator: Authenticator | None = None  # WebSocket callers authenticate in connection_init

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """As Strawberry's, except that a request it cannot run as sent (no query, a body that is not JSON, no
        single operation to run, a mutation sent with GET, a method other than GET or POST) is answered as a GraphQL
        error with a code, not with Strawberry's plain-text reason; the HTTP status stays its 400 (405), except for
        a mutation sent with GET: 405 and ``Allow: POST``, as the GraphQL-over-HTTP spec has it."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as exc:
            cause = exc.__cause__
            code = request_error_code(cause) if isinstance(cause, REQUEST_ERRORS) else "BAD_REQUEST"
            status, allow = exc.status_code, {"Allow": "GET, POST"} if exc.status_code == 405 else None
            if _mutation_by_get(cause):  # GraphQL over HTTP: the method is what is wrong, and POST is the one
                status, allow = 405, {"Allow": "POST"}
            await refuse(scope, send, status, code, exc.reason, allow)
            return
        await response(scope, receive, send)

    async def execute_operation(self, request: Any, request_adapter: AsyncHTTPRequestAdapter,
                                request_data: GraphQLRequestData | list[GraphQLRequestData], context: Context,
                                root_value: None, sub_response: Any) -> Any:
        """As Strawberry's, except for a batch: each of its operations is run as a request of its own would be, with
        its own data port (fresh loaders, its own failures to report) and audit record, and its place in the batch
        (``Context.batch_index``, which an Idempotency-Key covers it by); and a batch that holds a mutation runs its
        operations one after another in the order sent, so that a read after a write shows it. Strawberry runs them
        side by side over one context: a read after a write was answered before the write, or from the loaders of
        a read before it, and a vendor failure one operation reported showed in the others' errors too. An operation
        that cannot run as sent (no query, no single operation to run, a subscription) or that names its text by an
        automatic persisted query's hash alone is answered in its place, with a coded error and no ``data``, as the
        request would be on its own: Strawberry refused the whole batch with one 400, the answers of the operations
        that ran (a write applied among them) lost, and a client's batch link could not match it to its operations."""
        if not isinstance(request_data, list):
            return await super().execute_operation(request, request_adapter, request_data, context, root_value,
                                                   sub_response)

        async def run(index: int, data: GraphQLRequestData) -> ExecutionResult:
            own = replace(context, port=self._port(context.viewer), audit=AuditTrail(), batch_index=index)
            if data.query is None and isinstance((data.extensions or {}).get("persistedQuery"), dict):
                # Apollo's automatic persisted queries, as the guard answers a request that is not a batch
                return _refused(own, "PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported")
            try:
                return await self.execute_single(request=request, request_adapter=request_adapter,
                                                 sub_response=sub_response, context=own, root_value=root_value,
                                                 request_data=data)
            except HTTPException as exc:  # this operation's answer: the others ran (a write among them applied)
                cause = exc.__cause__
                code = request_error_code(cause) if isinstance(cause, REQUEST_ERRORS) else "BAD_REQUEST"
                return _refused(own, code, exc.reason)

        if all(read_only(data.query or "") for data in request_data):
            return await asyncio.gather(*(run(i, data) for i, data in enumerate(request_data)))
        return [await run(i, data) for i, data in enumerate(request_data)]

    async def get_sub_response(self, request: Request) -> Response:  # type: ignore[override]
        """Strawberry's, carrying the media type the request's Accept header prefers (create_response answers in it)."""
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = response_media_type(request.headers.get("accept"))
        return sub_response

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Strawberry's, but a request refused before execution (a document that does not parse or validate, or
        variables that do not fit it: a PreExecutionError) has no ``data``, not ``"data": null``: GraphQL's spec
        leaves it out when nothing ran, and a client tells a refusal from a result by it."""
        processed = await super().process_result(request, result)
        if isinstance(result, PreExecutionError):
            processed.pop("data", None)
        return processed

    def create_response(self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
                        sub_response: Response) -> Response:
        """Strawberry's, in the media type the request prefers. In ``application/graphql-response+json`` (the
        GraphQL-over-HTTP spec's), a request refused before execution (no ``data``) is a 400 (500 for an
        unexpected failure); a result, partial or not, stays a 200, as every answer is in ``application/json``.
        A batch is a 200 either way: each of its answers says for itself."""
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type != GRAPHQL_RESPONSE:
            return response
        response.headers["content-type"] = GRAPHQL_RESPONSE
        if isinstance(response_data, dict) and "data" not in response_data and response.status_code == 200:
            codes = {(e.get("extensions") or {}).get("code") for e in response_data.get("errors") or []
                     if isinstance(e, dict)}
            response.status_code = 500 if "INTERNAL_ERROR" in codes else 400
        return response

    def encode_json(self, data: object) -> str:
        return jsoncodec.dumps(data)  # text, as Strawberry's streaming answers need

    def decode_json(self, data: str | bytes) -> object:
        return jsoncodec.loads(data)  # not JSON: json's JSONDecodeError, which Strawberry answers with a 400

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
        """As Strawberry's, but a POST that is not JSON (curl's ``-d`` alone sends a form) is told what to send,
        where Strawberry only says "Unsupported content type"."""
        try:
            return await super().parse_http_body(request)
        except HTTPException as exc:
            if exc.reason != "Unsupported content type":
                raise
            sent = request.headers.get("content-type") or "none"  # as sent, not as lower-cased for Strawberry
            raise HTTPException(400, f"unsupported content type ({sent}): send the request as JSON, with "
                                     "Content-Type: application/json") from None

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        """As Strawberry's, but GET's ``variables`` and ``extensions`` that are not a JSON object are refused
        naming the parameter (Strawberry's reason spoke of a request body a GET does not have). An empty
        ``operationName`` names no operation (an empty form field; it was looked for as an operation named '')."""
        parsed = dict(params)
        if parsed.get("operationName") == "":
            del parsed["operationName"]
        for name in ("variables", "extensions"):
            if not parsed.get(name):
                continue
            try:
                value = self.decode_json(parsed[name])
            except ValueError:
                raise HTTPException(400, f"the {name} parameter is not valid JSON") from None
            if not isinstance(value, dict):
                raise HTTPException(400, f"the {name} parameter must be a JSON object")
            parsed[name] = value
        return parsed

    def parse_json(self, data: str | bytes) -> object:
        """A request body (like GET's ``variables`` and ``extensions``) is a JSON object, or for a batch an array
        of them: Strawberry reads any other JSON body with ``.get`` and fails with a 500, so it is refused here
        as a 400 (BAD_REQUEST, see __call__). So is a field of the wrong type (REQUEST_FIELDS) in any of them: an
        ``operationName`` that is not a string was looked for as an operation of that name."""
        payload = super().parse_json(data)
        if payload == []:  # Strawberry would answer an empty batch with an empty array and a 200
            raise HTTPException(400, "an empty batch: send at least one operation")
        items = payload if isinstance(payload, list) else [payload]
        if not all(isinstance(item, dict) for item in items):
            raise HTTPException(400, "expected a JSON object (or, for a batch, an array of JSON objects)")
        for item in items:
            if item.get("operationName") == "":  # names no operation, as null does (some clients send it so)
                item["operationName"] = None
            for name, (fits, what) in REQUEST_FIELDS.items():
                if item.get(name) is not None and not fits(item[name]):
                    raise HTTPException(400, f"The GraphQL operation's `{name}` must be {what} or null, if provided.")
        return payload

    def should_render_graphql_ide(self, request: Any) -> bool:
        """As Strawberry's (a GET with no query that accepts HTML: a browser), except that with GraphiQL turned off
        such a GET is told so, where Strawberry said only "Not Found"."""
        render = super().should_render_graphql_ide(request)
        if render and not self.graphql_ide:
            raise HTTPException(404, "GraphiQL is turned off on this gateway (CAMPUSGRAPH_GRAPHIQL_ENABLED=false): "
                                     "send queries as a POST of JSON, or a GET with ?query=")
        return render

    async def render_graphql_ide(self, request: Request) -> Response:
        """Strawberry's page as ``graphiql.page`` makes it ours, with the demo's token only for a page asked for by a
        loopback name (another name is told to paste the token the demo printed), never cached or framed."""
        headers = self._graphiql_headers if graphiql.asked_by_loopback_name(request.headers.get("host", "")) \
            else None
        return HTMLResponse(graphiql.page(str(self.graphql_ide_html), headers), headers=graphiql.PAGE_HEADERS)

    async def get_context(self, request: Any, response: Any) -> Context:
        record = current_request.get()  # set by the RequestLog middleware, which also sends X-Request-ID
        request_id = record.id if record is not None else new_request_id(request.headers.get("x-request-id"))
        # Set by the GraphQLGuard; only the GraphiQL page itself is served without one.
        state = request.scope.get("state", {})
        viewer: Viewer = state.get("viewer") or ANONYMOUS
        current_viewer.set(viewer)
        budget = CallBudget(self.call_budget, client_left=state.get("client_left"))
        current_budget.set(budget)  # this request's task: every upstream call below is counted against it
        if record is not None:
            record.budget = budget
        return Context(request=request, response=response, request_id=request_id, upstreams=self.upstreams,
                       budget=budget, port=self._port(viewer),
                       viewer=viewer, audit=AuditTrail(), tasks=self.tasks, idempotency=self.idempotency,
                       idempotency_key=request.headers.get("idempotency-key"))

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket (subscriptions) authenticates once, when it opens: credentials in the connection_init
        payload (``{"Authorization": "Bearer ..."}``, as browsers cannot set headers) or the handshake's headers."""
        if self.authenticator is None:
            return PLAIN_ACK
        params = {str(k).lower(): str(v) for k, v in (context.connection_params or {}).items()}
        try:
            viewer = self.authenticator.authenticate({**{k.lower(): v for k, v in context.request.headers.items()},
                                                      **params})
        except AuthError:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED", "requestId": context.request_id}) from None
        current_viewer.set(viewer)
        context.viewer, context.port = viewer, self._port(viewer)
        return PLAIN_ACK

    def operation_context(self, connection: Context) -> Context:
        """A WebSocket operation's context, as an HTTP request's: the connection's caller, with a data port (fresh
        loaders), call budget, audit record and request id of its own. Set in the operation's task."""
        budget = CallBudget(self.call_budget)
        current_budget.set(budget)
        current_viewer.set(connection.viewer)
        return replace(connection, request_id=new_request_id(), budget=budget, port=self._port(connection.viewer),
                       audit=AuditTrail())

    def _port(self, viewer: Viewer) -> Port:
        """The request's data port, with its own loaders (tasks read through them too)."""
        return Port(self.upstreams, self.crosswalk, self.batching, viewer, read_task=self.tasks.get)


def _refused(context: Context, code: str, message: str) -> ExecutionResult:
    """A batch operation's answer when it was refused before it ran: one coded error carrying the request id, no
    ``data`` (``process_result`` leaves it out of a PreExecutionError)."""
    error = GraphQLError(message, extensions={"code": code, "requestId": context.request_id})
    return PreExecutionError(data=None, errors=[error])


def _mutation_by_get(cause: BaseException | None) -> bool:
    """Whether Strawberry refused a mutation because it came by GET (the only method it refuses one for)."""
    return isinstance(cause, InvalidOperationTypeError) and cause.operation_type is OperationType.MUTATION
