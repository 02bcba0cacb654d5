"""Pure ASGI middleware: a request id for every HTTP request, returned in ``X-Request-ID``, and one JSON
log line per request when it ends.

The line carries the request id, the caller, the GraphQL operation's name, type and outcome, the error
codes, the upstream calls it cost and its duration. What the GraphQL layer learns (operation, errors,
call budget) it writes into this request's ``RequestRecord``, found through ``current_request``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.logs import request_id as log_request_id
from gateway.vendors.budget import CallBudget

log = logging.getLogger("campusgraph.request")

# A client's own request id is kept when it is a plain token; anything else (long, odd characters) is replaced.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Probes and scrapes arrive every few seconds from every load balancer and Prometheus: log them at debug.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def new_request_id(offered: str | None = None) -> str:
    return offered if offered and _SAFE_ID.fullmatch(offered) else uuid.uuid4().hex


@dataclass
class RequestRecord:
    """What one HTTP request did, filled in as it runs and logged when it ends (its id as the line's request_id)."""

    id: str
    method: str
    path: str
    operation: str | None = None
    operation_type: str | None = None
    outcome: str | None = None
    error_codes: list[str] = field(default_factory=list)
    budget: CallBudget | None = None  # this request's upstream call count (cache hits are not calls)

    def line(self, status: int, ms: float, caller: str | None, client: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {"caller": caller, "client": client, "method": self.method,
                               "path": self.path, "status": status, "ms": round(ms, 1)}
        if self.operation_type is not None:
            out.update(operation=self.operation or "anonymous", operation_type=self.operation_type,
                       outcome=self.outcome, errors=self.error_codes)
        if self.budget is not None:
            out.update(upstream_calls=self.budget.total, upstream=dict(self.budget.calls),
                       cache_hits=sum(self.budget.cache_hits.values()))
        return out


current_request: ContextVar[RequestRecord | None] = ContextVar("campusgraph_request", default=None)


def _caller(scope: Scope) -> str | None:
    """The authenticated caller's id, when the access layer set a viewer on this request."""
    viewer = scope.get("state", {}).get("viewer")
    return getattr(viewer, "id", None)


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        record = RequestRecord(id=new_request_id(Headers(scope=scope).get("x-request-id")),
                               method=scope["method"], path=scope["path"])
        tokens = current_request.set(record), log_request_id.set(record.id)
        status = 500  # unless the app starts a response

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", record.id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            ms = (time.perf_counter() - started) * 1000
            if record.budget is not None and record.budget.abandoned:
                status = 499  # the client hung up before the answer (as nginx logs it); nothing reached it
            client = scope.get("client")
            line = record.line(status, ms, _caller(scope), client[0] if client else None)
            level = logging.DEBUG if scope["path"] in QUIET_PATHS else logging.INFO
            log.log(level, "%s %s %s %.1fms", record.method, record.path, status, ms, extra={"request": line})
            current_request.reset(tokens[0])
            log_request_id.reset(tokens[1])
