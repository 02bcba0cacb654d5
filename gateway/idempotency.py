"""Idempotency-Key for mutations: a repeated key with the same operation gets the first result back, and no
vendor is called a second time.

The key is the ``Idempotency-Key`` header (scoped to the caller when one is authenticated); what it must
match is a fingerprint of the operation: its document, operation name and variables. The first request
takes the key with an atomic set-if-absent, so of two concurrent duplicates only one reaches the vendor:
the other waits for the first to finish and gets its result. Records live 24 h, in Redis when configured
(shared by every replica) or in this process's memory otherwise.

What is kept is the whole GraphQL result. A result that says the write was never sent (the vendor could
not be reached, its circuit was open, a rate limit or the call budget was spent) or not applied (a 5xx other than
502 and 504: the vendor's word that it failed; a 401 or 403: the vendor refused the gateway's credential) is not
kept, so the same key may be tried again, unless another write of the same operation was applied; a
``WRITE_OUTCOME_UNKNOWN`` (a 502 or 504 among them) is kept, since sending again could apply it twice.

While Redis (when configured) does not answer, a mutation with a key is refused, nothing sent, with
``IDEMPOTENCY_UNAVAILABLE``: keeping the key in this process alone would let a retry that reaches another
replica write twice, the very thing the key is sent to prevent. Mutations without a key run as usual. A result
Redis is lost before it can be kept is still answered (its key is freed when its pending record expires).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, print_ast
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from graphql.language import SourceLocation
from redis.asyncio import Redis
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from gateway.vendors.redislink import RedisLink, RedisUnavailable

log = logging.getLogger("campusgraph.idempotency")

KEEP_S = 86400  # how long a result answers for its key
PENDING_S = 120  # a key held by a request still running; freed by then if its process died mid-write
WAIT_S = 30.0  # how long a duplicate waits for the first request with its key to finish
POLL_S = 0.05

# Errors that mean nothing was written (never sent, a 5xx the vendor answered it: VENDOR_UNAVAILABLE, or the vendor
# refusing the gateway's own credential or its privilege, which applies nothing and is put right by an operator, not
# by the client): the key stays free, so the same request may be tried again.
NOT_SENT = frozenset({"VENDOR_UNAVAILABLE", "VENDOR_CIRCUIT_OPEN", "VENDOR_RATE_LIMITED", "VENDOR_AUTH_FAILED",
                      "VENDOR_SCOPE_MISSING", "VENDOR_FORBIDDEN", "UPSTREAM_BUDGET_EXCEEDED", "INTERNAL_ERROR"})


@dataclass(frozen=True)
class Claim:
    """What to do with a request that carries a key: ``run`` it (the key is now ours), ``replay`` the stored
    ``result``, or refuse it because the key belongs to another operation (``mismatch``), is still held
    by a request that did not finish in time (``busy``) or cannot be checked (``unavailable``: Redis)."""

    outcome: str
    result: dict[str, Any] | None = None


class IdempotencyStore:
    """Records by key: ``{"fp": fingerprint, "state": "pending" | "done", "result": {...}}``."""

    def __init__(self, redis: Redis | None = None, *, namespace: str = "cg:idem", keep_s: int = KEEP_S,
                 pending_s: int = PENDING_S, wait_s: float = WAIT_S, link: RedisLink | None = None) -> None:
        self.redis, self.namespace, self.link = redis, namespace, link or RedisLink()
        self.keep_s, self.pending_s, self.wait_s = keep_s, pending_s, wait_s
        self._memory: dict[str, tuple[float, str]] = {}  # key -> (expires at, record), without Redis

    def _key(self, key: str) -> str:
        return f"{self.namespace}:{hashlib.sha256(key.encode()).hexdigest()}"

    async def claim(self, key: str, fingerprint: str) -> Claim:
        """Take the key for this operation, or say why not; waits while another request holds it.
        RedisUnavailable when Redis does not answer."""
        name = self._key(key)
        pending = json.dumps({"fp": fingerprint, "state": "pending"})
        deadline = time.monotonic() + self.wait_s
        while True:
            if await self._set_if_absent(name, pending, self.pending_s):
                return Claim("run")
            raw = await self._get(name)
            if raw is None:
                continue  # it expired or was released between the two calls: try to take it again
            record = json.loads(raw)
            if record.get("fp") != fingerprint:
                return Claim("mismatch")
            if record.get("state") == "done":
                return Claim("replay", record.get("result"))
            if time.monotonic() >= deadline:
                return Claim("busy")
            await asyncio.sleep(POLL_S)

    async def complete(self, key: str, fingerprint: str, result: dict[str, Any]) -> None:
        record = json.dumps({"fp": fingerprint, "state": "done", "result": result}, default=str)
        name = self._key(key)
        if self.redis is not None:
            await self._on_redis(lambda redis: redis.set(name, record, ex=self.keep_s))
        else:
            self._memory[name] = (time.monotonic() + self.keep_s, record)

    async def release(self, key: str) -> None:
        """Free a key whose request wrote nothing, so it can be sent again."""
        name = self._key(key)
        if self.redis is not None:
            await self._on_redis(lambda redis: redis.delete(name))
        else:
            self._memory.pop(name, None)

    async def _on_redis(self, call: Callable[[Redis], Awaitable[Any]]) -> Any:
        """``call(redis)`` through the process's RedisLink: RedisUnavailable when Redis does not answer."""
        redis = self.redis
        assert redis is not None
        return await self.link.run(lambda: call(redis))

    async def _set_if_absent(self, name: str, value: str, ttl_s: int) -> bool:
        if self.redis is not None:
            return bool(await self._on_redis(lambda redis: redis.set(name, value, nx=True, ex=ttl_s)))
        if await self._get(name) is not None:
            return False
        self._memory[name] = (time.monotonic() + ttl_s, value)  # no await since the check: atomic in this loop
        return True

    async def _get(self, name: str) -> str | None:
        if self.redis is not None:
            raw = await self._on_redis(lambda redis: redis.get(name))
            return raw.decode() if isinstance(raw, bytes) else raw
        found = self._memory.get(name)
        if found is None:
            return None
        if found[0] <= time.monotonic():
            del self._memory[name]
            return None
        return found[1]


def fingerprint(document: str, operation_name: str | None, variables: dict[str, Any] | None) -> str:
    """What a replay must match: the operation as printed (layout and comments do not count) and its variables."""
    canonical = json.dumps([document, operation_name, variables or {}], sort_keys=True, separators=(",", ":"),
                           default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def storable(result: GraphQLExecutionResult, writes_applied: int = 0) -> bool:
    """False when nothing was written: no write was applied, no field has data and every error says the write was
    never sent. A failing mutation nulls ``data`` (its payload is non-null), so an earlier mutation of the same
    operation that was applied shows only in ``writes_applied``."""
    if writes_applied:
        return True
    data = result.data or {}
    if any(value is not None for value in data.values()):
        return True
    codes = {(e.extensions or {}).get("code") for e in result.errors or []}
    return not codes or not codes <= NOT_SENT


def _writes_applied(context: Any) -> int:
    """The writes the request has had applied so far (its call budget counts them)."""
    return int(getattr(getattr(context, "budget", None), "writes_applied", 0))


def _error(formatted: dict[str, Any]) -> GraphQLError:
    """A stored error as it was first sent, locations included."""
    error = GraphQLError(formatted["message"], path=formatted.get("path"), extensions=formatted.get("extensions"))
    if formatted.get("locations"):
        error.locations = [SourceLocation(loc["line"], loc["column"]) for loc in formatted["locations"]]
    return error


def _refusal(message: str, code: str) -> GraphQLExecutionResult:
    return GraphQLExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code})])


class Idempotency(SchemaExtension):
    """Applies the store to every mutation sent with an ``Idempotency-Key``. List it before ErrorFormatter:
    its operation hook then runs last, so it keeps (and replays) the result exactly as the client saw it."""

    def __init__(self, *, execution_context: Any = None) -> None:
        self._held: tuple[IdempotencyStore, str, str] | None = None
        self._replay: dict[str, Any] | None = None
        self._writes_before = 0  # the request's writes applied before this operation (a batch runs several)

    async def on_execute(self) -> AsyncIterator[None]:
        ec = self.execution_context
        context = ec.context
        store: IdempotencyStore | None = getattr(context, "idempotency", None)
        header: str | None = getattr(context, "idempotency_key", None)
        if store is None or not header or ec.operation_type is not OperationType.MUTATION:
            yield
            return
        viewer = getattr(getattr(context, "viewer", None), "id", "")
        # In a batch the key covers each operation by its place: one key, sent again with the batch, replays each.
        index = getattr(context, "batch_index", None)
        key = f"{viewer}\n{header}" + ("" if index is None else f"\n{index}")
        self._writes_before = _writes_applied(context)
        assert ec.graphql_document is not None
        fp = fingerprint(print_ast(ec.graphql_document), ec.operation_name, ec.variables)
        try:
            claim = await store.claim(key, fp)
        except RedisUnavailable:
            claim = Claim("unavailable")
        if claim.outcome == "run":
            self._held = (store, key, fp)
        elif claim.outcome == "replay":
            self._replay = claim.result or {}
            ec.result = GraphQLExecutionResult(data=self._replay.get("data"))
        elif claim.outcome == "mismatch":
            ec.result = _refusal("this Idempotency-Key was first used with another operation or other variables; "
                                 "use a new key for a new request", "IDEMPOTENCY_KEY_REUSED")
        elif claim.outcome == "busy":
            ec.result = _refusal("the first request with this Idempotency-Key is still running; ask again when it "
                                 "has answered", "IDEMPOTENCY_KEY_IN_PROGRESS")
        else:
            ec.result = _refusal("Idempotency-Keys cannot be checked just now (their store does not answer): the "
                                 "mutation was not run; try again shortly", "IDEMPOTENCY_UNAVAILABLE")
        yield

    async def on_operation(self) -> AsyncIterator[None]:
        kept = False
        try:
            yield
            result = self.execution_context.result
            if self._replay is not None and isinstance(result, GraphQLExecutionResult):
                result.data = self._replay.get("data")
                result.errors = [_error(e) for e in self._replay.get("errors") or []] or None
            elif self._held is not None and isinstance(result, GraphQLExecutionResult) and storable(
                    result, _writes_applied(self.execution_context.context) - self._writes_before):
                store, key, fp = self._held
                kept = True  # answered either way: a result Redis lost is not worth an error over a write applied
                try:
                    await store.complete(key, fp, {"data": result.data,
                                                   "errors": [e.formatted for e in result.errors or []] or None})
                except RedisUnavailable:
                    log.warning("redis unreachable: a mutation's result was not kept under its Idempotency-Key; a "
                                "retry with the key may run it again once its pending record expires (%d s)",
                                store.pending_s)
        finally:
            if self._held is not None and not kept:
                with contextlib.suppress(RedisUnavailable):  # then the key is freed when its pending record expires
                    await self._held[0].release(self._held[1])
