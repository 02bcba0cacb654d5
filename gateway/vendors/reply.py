"""A vendor's answer as the clients see it: status, kept headers and parsed body (``Reply``), and what its
status and headers mean: the error a refusal stands for, when a rate-limited vendor asks to be called again."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gateway import jsoncodec
from gateway.vendors.errors import (
    VendorAuthError,
    VendorBadRequest,
    VendorError,
    VendorForbidden,
    VendorNotFound,
    VendorProtocolError,
    VendorRateLimited,
)
from gateway.vendors.routes import Route

T = TypeVar("T")

# Response headers worth keeping (and caching) with a payload.
KEPT_HEADERS = ("content-type", "location", "x-request-id", "x-total-count", "x-ratelimit-limit",
                "x-ratelimit-remaining", "retry-after", "x-ratelimit-retry-after")

Params = Mapping[str, Any] | list[tuple[str, Any]]


@dataclass(frozen=True)
class Reply:
    """A vendor's answer: status, the kept headers (lower-case names) and the parsed body.

    ``models`` is where the typed models built from a cached answer are kept beside it (memory cache
    only): a warm read then reuses them instead of building them again. Models are frozen, so sharing
    them between requests is safe."""

    status: int
    headers: dict[str, str]
    body: Any
    models: dict[Any, Any] | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "headers": self.headers, "body": self.body}

    def parse(self, model: Callable[[Any], T]) -> T:
        """``model(body)``, built once per cached answer."""
        built: T = self._kept(model, lambda: model(self.body))
        return built

    def parse_each(self, model: Callable[[Any], T], items: Callable[[Any], list[Any]]) -> list[T]:
        """``model`` applied to each of ``items(body)``, built once per cached answer."""
        built: list[T] = self._kept((model, items), lambda: [model(item) for item in items(self.body)])
        return built

    def _kept(self, key: Any, build: Callable[[], Any]) -> Any:
        if self.models is None:
            return build()
        found = self.models.get(key, _NOTHING)
        if found is _NOTHING:
            found = self.models[key] = build()
        return found


_NOTHING = object()


class Malformed(VendorProtocolError):
    """A 2xx/3xx answer whose body is not the JSON it claims: raised as is, and counted by the breaker as a
    failure (a vendor answering garbage is unwell). ``size`` is the body's length, for the log line the client
    writes naming the route (which parse_body does not know)."""

    def __init__(self, vendor: str, message: str, *, size: int, **kw: object) -> None:
        super().__init__(vendor, message, **kw)  # type: ignore[arg-type]
        self.size = size


def retry_at(headers: Mapping[str, str]) -> float | None:
    """Unix time the vendor asks us to wait until: HUBmis' Unix timestamp or a standard Retry-After."""
    raw = headers.get("x-ratelimit-retry-after")
    if raw:
        try:
            return float(raw)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw:
        try:
            return time.time() + float(raw)
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(raw)
            return parsed.timestamp() if parsed else None
    return None


def parse_body(vendor: str, raw: bytes, content_type: str, status: int) -> Any:
    """The body as JSON when it is (or claims to be) JSON, else text; ``Malformed`` for a 2xx/3xx answer whose
    JSON does not parse."""
    if not raw:
        return None
    if "json" in content_type or raw[:1] in (b"{", b"["):
        try:
            return jsoncodec.loads(raw)
        except ValueError:
            if status < 400:
                raise Malformed(vendor, "the vendor answered with malformed JSON", status=status,
                                size=len(raw)) from None
            return raw.decode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def client_error(vendor: str, route: Route, reply: Reply) -> VendorError:
    """The error a 4xx answer the client does not handle itself stands for."""
    status, kw = reply.status, {"status": reply.status, "route": route.key}
    if status == 401:
        return VendorAuthError(vendor, "the vendor refused the gateway's credentials", **kw)  # type: ignore[arg-type]
    if status == 403:
        return VendorForbidden(vendor, "the gateway's credential lacks the privilege", **kw)  # type: ignore[arg-type]
    if status == 404 and route.record:
        return VendorNotFound(vendor, "no such record", detail=reply.body, **kw)
    if status == 404:  # a list or an export is always there: the vendor is failing, nothing is "not found"
        return VendorProtocolError(vendor, "the vendor answered 404 for a list or export it always has",
                                   **kw)  # type: ignore[arg-type]
    if status in (400, 409, 413, 422):
        return VendorBadRequest(vendor, vendor_message(reply.body), detail=reply.body, **kw)
    if status == 429:  # a call the request path does not wait out (a credential exchange): the vendor's limit
        until = retry_at(reply.headers)
        return VendorRateLimited(vendor, "the vendor's rate limit was reached",
                                 retry_after_s=None if until is None else max(0.0, until - time.time()), **kw)
    return VendorProtocolError(vendor, f"unexpected HTTP {status}", **kw)  # type: ignore[arg-type]


def vendor_message(body: Any) -> str:
    """A short human message from a vendor's 4xx body, without echoing the whole body."""
    if isinstance(body, dict):
        for key in ("message", "error", "detail"):
            if isinstance(body.get(key), str):
                return str(body[key])[:300]
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            return str(errors[0])[:300]
    return "the vendor refused the request"
