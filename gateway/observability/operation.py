"""The schema extension that observes each GraphQL operation once, as a whole (never per field): its
name, type, outcome and error codes go to the operation metrics, the operation span and the request log.

It must come before ``ErrorFormatter`` in the schema's extensions, so it sees the coded errors.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from gateway.errors import request_error_code
from gateway.observability.metrics import GatewayMetrics
from gateway.observability.requestlog import current_request
from gateway.observability.tracing import Tracing


def _operation(execution_context: Any) -> tuple[str | None, str]:
    """(name, type) of the operation that ran; a name the document does not define is no name at all."""
    document = execution_context.graphql_document
    if document is None:
        return None, "unknown"
    wanted = execution_context.operation_name
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    for op in operations:
        name = op.name.value if op.name else None
        if wanted is None or name == wanted:
            return name, op.operation.value
    return None, operations[0].operation.value if operations else "unknown"


def outcome(data: Any, errors: list[GraphQLError] | None) -> str:
    """ok: no errors; partial: data with errors (e.g. one vendor down); error: no data at all."""
    if not errors:
        return "ok"
    return "partial" if data else "error"


def error_codes(errors: list[GraphQLError] | None) -> list[str]:
    return sorted({str((e.extensions or {}).get("code", "INTERNAL_ERROR")) for e in errors or []})


class OperationObserver(SchemaExtension):
    def __init__(self, metrics: GatewayMetrics | None = None, tracing: Tracing | None = None, *,
                 execution_context: Any = None) -> None:
        super().__init__(execution_context=execution_context)
        self.metrics, self.tracing = metrics, tracing

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        span = token = None
        if self.tracing is not None:
            request = getattr(self.execution_context.context, "request", None)
            span, token = self.tracing.start_operation(getattr(request, "headers", None))
        ended: Exception | None = None
        try:
            yield
        except Exception as exc:
            ended = exc
            raise
        finally:
            self._observe(time.perf_counter() - started, span, token, ended)

    def _observe(self, seconds: float, span: Any, token: Any, ended: Exception | None = None) -> None:
        ctx = self.execution_context
        result = ctx.result
        data, errors = (getattr(result, "data", None), getattr(result, "errors", None)) if result else (None, None)
        errors = errors or ctx.pre_execution_errors
        name, type_ = _operation(ctx)
        result_outcome, codes = outcome(data, errors), error_codes(errors)
        if ended is not None:  # no result: Strawberry refused the request as sent (or a bug)
            result_outcome, codes = "error", [request_error_code(ended)]
        if self.metrics is not None:
            self.metrics.observe_operation(name, type_, result_outcome, seconds)
        record = current_request.get()
        if record is not None:
            record.operation, record.operation_type = name, type_
            record.outcome, record.error_codes = result_outcome, codes
        if span is not None:
            budget = getattr(ctx.context, "budget", None)
            self.tracing.end_operation(span, token, {  # type: ignore[union-attr]
                "graphql.operation.name": name or "anonymous", "graphql.operation.type": type_,
                "campusgraph.request_id": getattr(ctx.context, "request_id", None),
                "campusgraph.outcome": result_outcome, "campusgraph.error_codes": codes,
                "campusgraph.upstream_calls": budget.total if budget is not None else None,
            }, failed=result_outcome == "error")
