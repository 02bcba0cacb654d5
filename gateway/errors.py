"""Error codes of the GraphQL API and the extension that turns exceptions into coded, safe errors.

Vendor failures become one GraphQL error each with ``extensions.code``, ``extensions.vendor`` and
``extensions.status`` (null when the vendor gave no answer); anything unexpected is masked to
``INTERNAL_ERROR`` with the request id, and its details go to the log only. No stack trace, vendor URL
or credential reaches a client.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from gateway.errorpaths import field_nodes_at
from gateway.vendors.errors import VendorError, VendorRateLimited

log = logging.getLogger("campusgraph.errors")

# code -> meaning, rendered into the README's error table.
ERROR_CODES: dict[str, str] = {
    "VENDOR_UNAVAILABLE": "the vendor could not be reached, timed out or failed (5xx) after the retries allowed, "
                          "or its circuit opened while this request ran; status is the upstream status. A write "
                          "it answered 5xx (not 502 or 504) was not applied, by that answer, nor sent again",
    "VENDOR_CIRCUIT_OPEN": "calls of this vendor route (of every route, when the vendor failed on several) are "
                           "suspended for a few seconds after repeated failures (nothing was sent); status is the "
                           "upstream status of the failure that opened the circuit",
    "VENDOR_RATE_LIMITED": "the vendor's rate limit (or the gateway's share of it) is spent; see retryAfterS",
    "VENDOR_AUTH_FAILED": "the vendor refused the gateway's credentials",
    "VENDOR_SCOPE_MISSING": "the gateway's Dartmouth key lacks a configured scope",
    "VENDOR_FORBIDDEN": "the gateway's credential lacks the privilege for this call",
    "VENDOR_BAD_REQUEST": "the vendor refused the request as invalid",
    "VENDOR_PROTOCOL_ERROR": "the vendor answered outside its contract (malformed body, unexpected status)",
    "NOT_FOUND": "no such record",
    "WRITE_OUTCOME_UNKNOWN": "a write was sent but its answer was lost (no answer, or a 502 or 504 from the "
                             "vendor's front end, with its `status`): it may or may not have been applied",
    "WRITE_ANSWER_UNREADABLE": "the vendor accepted a write (2xx) but its answer does not fit its contract: the write "
                               "is most likely applied; read the record back rather than sending it again",
    "TASK_NOT_FOLLOWED": "the gateway stopped following a task that had not ended (after "
                         "`CAMPUSGRAPH_TASK_FOLLOW_S`): the last event of its `taskUpdates`; ask `task(id:)` later",
    "UPSTREAM_BUDGET_EXCEEDED": "the request needed more upstream calls than its budget allows",
    "CLIENT_CLOSED_REQUEST": "in the log only: the client of a query hung up before its answer, so the calls it had "
                             "not yet sent were not sent (status 499 in the request line)",
    "BAD_USER_INPUT": "an argument is malformed (e.g. an ID or `after` cursor this gateway did not issue, another "
                      "type's ID, a cursor of another list or arguments, an empty or whitespace-only filter, a filter "
                      "the list's source cannot apply or a status it does not know, a read's text argument over 1,000 "
                      "characters, or a variable of the wrong type)",
    "IDEMPOTENCY_KEY_REUSED": "the Idempotency-Key was first used with another operation or other variables",
    "IDEMPOTENCY_KEY_IN_PROGRESS": "the first request with this Idempotency-Key is still running; ask again later",
    "IDEMPOTENCY_UNAVAILABLE": "Idempotency-Keys cannot be checked just now (Redis does not answer): the mutation "
                               "was not run, nothing was sent; try again shortly",
    "UNAUTHENTICATED": "no valid bearer token or API key came with the request (HTTP 401)",
    "FORBIDDEN": "the caller lacks the scope the field or mutation needs (`extensions.scope` names it)",
    "QUERY_TOO_DEEP": "the operation nests deeper than allowed (counted through fragments)",
    "TOO_MANY_ALIASES": "the operation uses more aliases than allowed",
    "TOO_MANY_DIRECTIVES": "the operation uses more directives than allowed",
    "TOO_MANY_TOKENS": "the operation text is longer than allowed (HTTP 400)",
    "QUERY_TOO_COMPLEX": "the operation's cost (list sizes multiplied) exceeds the limit",
    "BATCH_TOO_LARGE": "more operations in one batched request than allowed (HTTP 400)",
    "REQUEST_TOO_LARGE": "the request body exceeds the limit (HTTP 413)",
    "RATE_LIMITED": "this caller sent too many requests; see the Retry-After header (HTTP 429)",
    "OPERATION_NOT_ALLOWED": "only persisted (allow-listed) operations are accepted here (HTTP 400)",
    "PERSISTED_QUERY_NOT_SUPPORTED": "an operation sent as `extensions.persistedQuery` alone (Apollo's automatic "
                                     "persisted queries), with no allow-list configured: send its text (HTTP 200, "
                                     "message `PersistedQueryNotSupported`, as Apollo Client and urql expect)",
    "INTROSPECTION_DISABLED": "introspection needs the graphql:introspect scope in production mode",
    "GRAPHQL_PARSE_FAILED": "the query is not GraphQL: a syntax error (`locations` point at it)",
    "GRAPHQL_VALIDATION_FAILED": "the query does not fit the schema",
    "OPERATION_RESOLUTION_FAILURE": "the request does not name one operation of its document to run: several and no "
                                    "`operationName`, a name the document lacks, or none at all (HTTP 400)",
    "BAD_REQUEST": "the request is not a GraphQL request: no query, a body that is not JSON (or not UTF-8, or nested "
                   "too deeply to read) or not a JSON object (an array of them for a batch, not an empty one), a "
                   "`query`, `operationName`, `variables` or `extensions` of the wrong type, a content type other than "
                   "`application/json`, a subscription sent over HTTP rather than the WebSocket (or a query or "
                   "mutation over its older `graphql-ws` protocol, which runs subscriptions only), a text sent with a "
                   "`persistedQuery.sha256Hash` that is not its own (HTTP 400), a "
                   "mutation sent with GET (HTTP 405, `Allow: POST`), a method other than GET and POST (HTTP 405), "
                   "or a browser's GET of the GraphiQL page where it is turned off (HTTP 404)",
    "INTERNAL_ERROR": "an unexpected failure; the log has the details under the request id",
}


class GatewayError(Exception):
    """An expected failure raised by a resolver, with its code."""

    def __init__(self, message: str, code: str = "BAD_USER_INPUT", **extensions: Any) -> None:
        super().__init__(message)
        self.code, self.extensions = code, extensions


def vendor_extensions(exc: VendorError) -> dict[str, Any]:
    # status is always there: null when the vendor gave no answer (a timeout, no connection) or the gateway held
    # the call back itself, so every vendor failure has the same keys and a client reads each one alike.
    ext: dict[str, Any] = {"code": exc.code, "vendor": exc.vendor, "status": exc.status}
    if isinstance(exc, VendorRateLimited) and exc.retry_after_s is not None:
        ext["retryAfterS"] = round(exc.retry_after_s, 1)
    return ext


def format_error(error: GraphQLError, request_id: str) -> GraphQLError:
    """The client-safe form of one error."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):  # parsing, validation, or variables that do not fit
        default = "TOO_MANY_TOKENS" if "Document contains more than" in error.message else \
            "GRAPHQL_PARSE_FAILED" if isinstance(error, GraphQLSyntaxError) else \
            "GRAPHQL_VALIDATION_FAILED" if original is None else "BAD_USER_INPUT"
        extensions = {"code": (error.extensions or {}).get("code", default)}
        return GraphQLError(error.message, nodes=error.nodes, source=error.source, positions=error.positions,
                            path=error.path, extensions={**(error.extensions or {}), **extensions,
                                                         "requestId": request_id})
    if isinstance(original, VendorError):
        message, extensions = f"{original.vendor}: {original.message}", vendor_extensions(original)
    elif isinstance(original, GatewayError):
        message, extensions = str(original), {"code": original.code, **original.extensions}
    elif isinstance(original, InvalidOperationTypeError):  # a query or mutation over graphql-ws, which streams only
        kind = original.operation_type.value
        message = (f"{kind} operations are not run over the graphql-ws protocol (subscriptions only): send them "
                   "over HTTP, or use graphql-transport-ws")
        extensions = {"code": "BAD_REQUEST"}
    else:
        log.error("unexpected error in %s (request %s)", ".".join(map(str, error.path or [])), request_id,
                  exc_info=original)
        message, extensions = "Unexpected error.", {"code": "INTERNAL_ERROR"}
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, extensions={**extensions, "requestId": request_id})


# What Strawberry raises for a request it cannot run as sent, instead of answering with errors (its view turns
# them into plain-text 400s; gateway.view answers them as GraphQL errors).
REQUEST_ERRORS = (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)


def request_error_code(exc: BaseException) -> str:
    """The code of an exception that ended a request before any result: one of REQUEST_ERRORS, or a bug."""
    if isinstance(exc, CannotGetOperationTypeError):
        return "OPERATION_RESOLUTION_FAILURE"
    return "BAD_REQUEST" if isinstance(exc, REQUEST_ERRORS) else "INTERNAL_ERROR"


class ErrorFormatter(SchemaExtension):
    """Rewrites every error of a result into its coded, client-safe form."""

    def on_operation(self) -> Iterator[None]:
        yield
        result: Any = self.execution_context.result
        errors = [*(getattr(result, "errors", None) or []), *self._take_incomplete()]
        if not errors or result is None:
            return
        request_id = getattr(self.execution_context.context, "request_id", "-")
        result.errors = [format_error(e, request_id) for e in errors]

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """Each result a subscription streams is formatted the same way. A query or mutation sent over the WebSocket
        streams its one result before the operation ends (and ``on_operation`` would report its vendors that failed
        under a field that still answered too late, once the result had gone): they are reported with it."""
        errors = [*(getattr(result, "errors", None) or []), *self._take_incomplete()]
        if errors:
            request_id = getattr(self.execution_context.context, "request_id", "-")
            result.errors = [format_error(e, request_id) for e in errors]
        yield

    def _take_incomplete(self) -> list[GraphQLError]:
        """Vendors that failed under a field that still answered (``sources`` without them): one error each, with
        the field's place in the query text, taken from the request's port so that none is reported twice."""
        port = getattr(self.execution_context.context, "port", None)
        incomplete: list[Any] = getattr(port, "incomplete", None) or []
        document, name = self.execution_context.graphql_document, self.execution_context.operation_name
        taken = [GraphQLError(str(exc), nodes=field_nodes_at(document, name, at) or None, path=at, original_error=exc)
                 for at, exc in incomplete]
        incomplete.clear()
        return taken
