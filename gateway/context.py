"""The per-request context every resolver sees: request id, upstreams, data port and call budget."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.auth.audit import AuditTrail
from gateway.auth.viewer import Viewer
from gateway.idempotency import IdempotencyStore
from gateway.upstreams import Upstreams
from gateway.vendors.budget import CallBudget


@dataclass
class Context:
    request: Any
    response: Any
    request_id: str
    upstreams: Upstreams
    budget: CallBudget
    port: Any  # resolvers.port.Port, built fresh for this request (its loaders hold no state across requests)
    viewer: Viewer
    audit: AuditTrail
    tasks: Any = None  # resolvers.tasks.TaskTracker, shared by every request of this process
    idempotency: IdempotencyStore | None = None
    idempotency_key: str | None = None  # the request's Idempotency-Key header
    batch_index: int | None = None  # the operation's place in a batched request (None: not a batch)
    connection_params: dict[str, Any] | None = None  # a WebSocket's connection_init payload (its credentials)
