"""Pure ASGI guard in front of /graphql: who is calling, how often, how large, and (when configured)
only allow-listed operations. Every refusal is a GraphQL error with a code; none reaches a vendor."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

from graphql import GraphQLError
from graphql.language import Lexer, Source, TokenKind
from redis.asyncio import Redis
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway import jsoncodec
from gateway.auth.authenticator import Authenticator
from gateway.auth.tokens import AuthError
from gateway.observability.requestlog import current_request
from gateway.vendors.ratelimit import LocalBucket, RateBudget, RateWaitTooLong, RedisBucket
from gateway.vendors.redislink import RedisLink

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"  # the GraphQL-over-HTTP media type


def response_media_type(accept: str | None) -> str:
    """The media type to answer in: ``application/graphql-response+json`` when the ``Accept`` header prefers it
    (a higher q than ``application/json`` and the wildcards, or the same q and listed first), else
    ``application/json``, as for a client that sends no Accept or one naming neither."""
    best, best_q = JSON, 0.0
    for part in (accept or "").split(","):
        media, *parameters = (p.strip() for p in part.split(";"))
        media = media.lower()
        if media in ("*/*", "application/*"):
            media = JSON
        if media not in (JSON, GRAPHQL_RESPONSE):
            continue
        q = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = media, q
    return best


async def refuse(scope: Scope, send: Send, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
    """Answers a request refused before it ran with ``status`` and one GraphQL error, coded and carrying the
    request id, as every error of the gateway does, in the media type its Accept header prefers. No ``data``:
    nothing ran (GraphQL's spec leaves "data" out when an error came before execution)."""
    record = current_request.get()
    extensions = {"code": code, **({"requestId": record.id} if record is not None else {})}
    body = json.dumps({"errors": [{"message": message, "extensions": extensions}]}).encode()
    media_type = response_media_type(Headers(scope=scope).get("accept"))
    raw = [(b"content-type", media_type.encode()), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class CallerLimiter:
    """A token bucket per caller (in Redis when configured, so replicas share it); never waits."""

    def __init__(self, per_minute: int, burst: int, redis: Redis | None = None, keep: int = 10_000, *,
                 redis_link: RedisLink | None = None) -> None:
        self.refill_s, self.burst, self.redis = 60.0 / per_minute, burst, redis
        self.redis_link = redis_link or RedisLink()  # one for all the callers' buckets: one warning, not one each
        self._local: OrderedDict[str, RateBudget] = OrderedDict()
        self._keep = keep

    def _bucket(self, caller: str) -> RateBudget:
        bucket = self._local.get(caller)
        if bucket is None:
            bucket = (RedisBucket(self.redis, f"cg:caller:{caller}", self.burst, self.refill_s,
                                  link=self.redis_link) if self.redis
                      else LocalBucket(self.burst, self.refill_s))
            self._local[caller] = bucket
            while len(self._local) > self._keep:
                self._local.popitem(last=False)
        self._local.move_to_end(caller)
        return bucket

    async def allow(self, caller: str) -> float | None:
        """None when the request may go on, else the seconds until it may."""
        try:
            await self._bucket(caller).acquire(max_wait_s=0.0)
        except RateWaitTooLong as exc:
            return exc.wait_s
        return None


@dataclass(frozen=True)
class GuardPolicy:
    authenticator: Authenticator
    max_body_bytes: int
    limiter: CallerLimiter | None = None
    max_batch: int = 5
    max_tokens: int = 1000
    persisted: dict[str, str] | None = None  # sha256 -> allow-listed operation text


def operation_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class GraphQLGuard:
    def __init__(self, app: ASGIApp, policy: GuardPolicy, path: str = "/graphql") -> None:
        self.app, self.policy, self.path = app, policy, path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] == "GET" and "text/html" in headers.get("accept", "") and b"query=" not in scope.get(
                "query_string", b""):
            await self.app(scope, receive, send)  # the GraphiQL page itself; its requests authenticate
            return
        try:
            viewer = self.policy.authenticator.authenticate(headers)
        except AuthError as exc:
            await refuse(scope, send, 401, "UNAUTHENTICATED", str(exc),
                         {"WWW-Authenticate": 'Bearer realm="campusgraph"'})
            return
        if self.policy.limiter is not None:
            wait = await self.policy.limiter.allow(viewer.id)
            if wait is not None:
                await refuse(scope, send, 429, "RATE_LIMITED", "too many requests from this caller",
                             {"Retry-After": str(max(1, round(wait)))})
                return
        if int(headers.get("content-length") or 0) > self.policy.max_body_bytes:
            await refuse(scope, send, 413, "REQUEST_TOO_LARGE",
                         f"request bodies are limited to {self.policy.max_body_bytes} bytes")
            return
        body = await _read(receive, self.policy.max_body_bytes)
        if body is None:
            await refuse(scope, send, 413, "REQUEST_TOO_LARGE",
                         f"request bodies are limited to {self.policy.max_body_bytes} bytes")
            return
        operations = _operations(body, scope)
        if len(operations) > self.policy.max_batch:
            await refuse(scope, send, 400, "BATCH_TOO_LARGE",
                         f"at most {self.policy.max_batch} operations per batch")
            return
        if any(_too_many_tokens(q, self.policy.max_tokens) for q in operations):
            await refuse(scope, send, 400, "TOO_MANY_TOKENS",
                         f"operations are limited to {self.policy.max_tokens} tokens")
            return
        persisted = _persisted_operations(body, scope)
        if _hash_mismatch(persisted):
            await refuse(scope, send, 400, "BAD_REQUEST", "provided sha does not match query")
            return
        if self.policy.persisted is not None:
            if scope["method"] == "GET":
                query_string = _allow_listed_get(scope.get("query_string", b""), self.policy.persisted)
                if query_string is not None:
                    scope = {**scope, "query_string": query_string}
                allowed: bytes | None = body if query_string is not None else None
            else:
                allowed = _allow_listed(body, self.policy.persisted)
            if allowed is None:
                await refuse(scope, send, 400, "OPERATION_NOT_ALLOWED",
                             "only persisted (allow-listed) operations are accepted")
                return
            body = allowed
            operations = _operations(body, scope)  # the allow-listed texts a hash stood for
        elif _hash_only(persisted) and not _batch(body, scope):
            # Automatic persisted queries (Apollo's protocol) are not kept here: the answer its clients (Apollo
            # Client, urql) take as "send the text instead", with Apollo Server's status and message. A batch's
            # are answered so in its array, each in its place (gateway.view), as its clients' batch links expect.
            await refuse(scope, send, 200, "PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported",
                         {"Cache-Control": "private, no-cache, must-revalidate"})
            return
        scope.setdefault("state", {})["viewer"] = viewer
        if operations and all(read_only(q) for q in operations):
            await _watching_the_client(self.app, scope, body, receive, send)
        else:  # a write goes on when its client hangs up: stopping half-way could lose what it started
            await self.app(scope, _replay(body), send)


async def _watching_the_client(app: ASGIApp, scope: Scope, body: bytes, receive: Receive, send: Send) -> None:
    """Runs a read-only request while listening for its client hanging up before the answer: then its call
    budget refuses every vendor call not yet sent (calls in flight finish, and their answers are cached)."""
    left = scope["state"]["client_left"] = asyncio.Event()
    answered = False

    async def send_watched(message: Message) -> None:
        nonlocal answered
        answered = answered or message["type"] == "http.response.start"
        await send(message)

    async def watch() -> None:
        # The body is read: the server answers again only once the client is gone or the response is complete.
        while (await receive())["type"] != "http.disconnect":
            pass
        if not answered:
            left.set()

    watcher = asyncio.ensure_future(watch())
    try:
        await app(scope, _replay(body), send_watched)
    finally:
        watcher.cancel()


async def _read(receive: Receive, limit: int) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Callable[[], Awaitable[Message]]:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _operations(body: bytes, scope: Scope) -> list[str]:
    """The operation texts of a request (POST JSON body, single or batched, or GET ?query=)."""
    if scope["method"] == "GET":
        return [v for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1")) if k == "query"]
    try:
        payload = jsoncodec.loads(body) if body else {}
    except ValueError:
        return []  # not JSON: Strawberry answers that itself
    items = payload if isinstance(payload, list) else [payload]
    return [str(i.get("query") or "") for i in items if isinstance(i, dict)] + [""] * sum(
        1 for i in items if not isinstance(i, dict))


@lru_cache(maxsize=512)
def read_only(query: str) -> bool:
    """Whether no operation of the document is a mutation or subscription (the keyword opening a top-level
    definition); a text that does not lex is left to the parser, and treated as not read-only."""
    lexer, depth = Lexer(Source(query)), 0
    try:
        while (token := lexer.advance()).kind != TokenKind.EOF:
            if token.kind in (TokenKind.BRACE_L, TokenKind.PAREN_L, TokenKind.BRACKET_L):
                depth += 1
            elif token.kind in (TokenKind.BRACE_R, TokenKind.PAREN_R, TokenKind.BRACKET_R):
                depth -= 1
            elif depth == 0 and token.kind == TokenKind.NAME and token.value in ("mutation", "subscription"):
                return False
    except GraphQLError:
        return False
    return True


@lru_cache(maxsize=512)  # as the parse cache: a client sends the same few texts again and again
def _too_many_tokens(query: str, limit: int) -> bool:
    """Counts lexer tokens, stopping at ``limit`` + 1, before anything parses the document."""
    lexer = Lexer(Source(query))
    try:
        for _ in range(limit + 1):
            if lexer.advance().kind == TokenKind.EOF:
                return False
    except GraphQLError:
        return False  # a syntax error: the parser reports it with its position
    return True


def _persisted_query(operation: Any) -> dict[str, Any] | None:
    """An operation's ``extensions.persistedQuery`` (Apollo's protocol), when it is an object."""
    extensions = operation.get("extensions") if isinstance(operation, dict) else None
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    return persisted if isinstance(persisted, dict) else None


def _allowed_text(operation: dict[str, Any], allowed: dict[str, str]) -> str | None:
    """The operation's text if it is allow-listed (sent as text, or by ``persistedQuery.sha256Hash`` alone)."""
    query = operation.get("query")
    if query is not None:
        return str(query) if operation_hash(str(query)) in allowed else None
    sha = (_persisted_query(operation) or {}).get("sha256Hash")
    return allowed.get(sha) if isinstance(sha, str) else None


def _persisted_operations(body: bytes, scope: Scope) -> list[dict[str, Any]]:
    """The operations of the request (a GET's parameters, a POST's body or its batch) that carry
    ``extensions.persistedQuery``; not JSON, or not a GraphQL request, is left to Strawberry to refuse."""
    if scope["method"] == "GET":
        params = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "extensions" not in params:
            return []
        try:
            operations: Any = [{"query": params.get("query"), "extensions": jsoncodec.loads(params["extensions"])}]
        except ValueError:
            return []
    else:
        if b"persistedQuery" not in body:  # most requests: no second parse of the body
            return []
        try:
            operations = jsoncodec.loads(body)
        except ValueError:
            return []
    return [o for o in (operations if isinstance(operations, list) else [operations])
            if isinstance(o, dict) and _persisted_query(o) is not None]


def _batch(body: bytes, scope: Scope) -> bool:
    """Whether the request is a batch: a POST whose JSON body is an array."""
    return scope["method"] == "POST" and body.lstrip()[:1] == b"["


def _hash_only(persisted: list[dict[str, Any]]) -> bool:
    """Whether an operation names its text by ``extensions.persistedQuery`` alone."""
    return any(o.get("query") is None for o in persisted)


def _hash_mismatch(persisted: list[dict[str, Any]]) -> bool:
    """Whether an operation sent with its text carries a ``sha256Hash`` that is not the text's: a client's cache of
    hashes gone wrong, which Apollo Server refuses rather than run one text under another's hash."""
    for operation in persisted:
        sha, query = (_persisted_query(operation) or {}).get("sha256Hash"), operation.get("query")
        if isinstance(sha, str) and isinstance(query, str) and sha.lower() != operation_hash(query):
            return True
    return False


def _allow_listed_get(query_string: bytes, allowed: dict[str, str]) -> bytes | None:
    """A GET's query string to run (a hash-only request gets its text filled in), or None when not allow-listed."""
    params = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    operation: dict[str, Any] = {k: v for k, v in params if k == "query"}
    try:
        operation["extensions"] = jsoncodec.loads(dict(params).get("extensions") or "{}")
    except ValueError:
        return None
    text = _allowed_text(operation, allowed)
    if text is None:
        return None
    return query_string if "query" in operation else urlencode([*params, ("query", text)]).encode("latin-1")


def _allow_listed(body: bytes, allowed: dict[str, str]) -> bytes | None:
    """The body to run (a hash-only request gets its text filled in), or None when not allow-listed."""
    try:
        payload: Any = jsoncodec.loads(body) if body else {}
    except ValueError:
        return None
    for operation in payload if isinstance(payload, list) else [payload]:
        text = _allowed_text(operation, allowed) if isinstance(operation, dict) else None
        if text is None:
            return None
        operation["query"] = text
    return json.dumps(payload).encode()
