"""The one small tree of vendor errors; nothing from aiohttp escapes the vendors package.

Every error carries the vendor, the upstream HTTP status where there was one, and a stable
``code`` the GraphQL layer puts in ``extensions.code``. Messages never hold a credential, a
vendor URL or a response body: those go to the log only.
"""

from __future__ import annotations


class VendorError(Exception):
    """Base of every failure of an upstream call."""

    code = "VENDOR_ERROR"
    # Set on a vendor's refusal of a DELETE sent again after the answer to an earlier attempt was lost: that
    # attempt may have deleted the record, which is why this one was refused. The vendor's client knows which
    # refusals of which route mean "not there".
    after_lost_answer = False

    def __init__(self, vendor: str, message: str, *, status: int | None = None, route: str | None = None) -> None:
        super().__init__(message)
        self.vendor, self.status, self.route, self.message = vendor, status, route, message

    def __str__(self) -> str:
        where = f" ({self.route})" if self.route else ""
        status = f" HTTP {self.status}" if self.status is not None else ""
        return f"{self.vendor}{where}{status}: {self.message}"


class VendorUnavailable(VendorError):
    """Raised when the vendor cannot be reached, times out, or answers 5xx after the retries allowed."""

    code = "VENDOR_UNAVAILABLE"


class CircuitOpen(VendorUnavailable):
    """Raised without calling the vendor while its circuit breaker is open after repeated failures."""

    code = "VENDOR_CIRCUIT_OPEN"


class WriteOutcomeUnknown(VendorUnavailable):
    """Raised when a write was sent but its answer was lost (timeout or dropped connection after sending)."""

    code = "WRITE_OUTCOME_UNKNOWN"


class VendorRateLimited(VendorError):
    """Raised on a 429 the client could not wait out; ``retry_after_s`` is the vendor's own estimate."""

    code = "VENDOR_RATE_LIMITED"

    def __init__(self, vendor: str, message: str, *, retry_after_s: float | None = None, **kw: object) -> None:
        super().__init__(vendor, message, **kw)  # type: ignore[arg-type]
        self.retry_after_s = retry_after_s


class VendorAuthError(VendorError):
    """Raised when the vendor rejects the gateway's credentials: a 401 after one renewal, a 401 on a credential
    that cannot be renewed (Stellic's token; nothing is sent again), or a failed exchange."""

    code = "VENDOR_AUTH_FAILED"


class MissingScope(VendorAuthError):
    """Raised when a token exchange grants fewer scopes than configured (Dartmouth ``accepted_scopes``)."""

    code = "VENDOR_SCOPE_MISSING"

    def __init__(self, vendor: str, missing: list[str]) -> None:
        super().__init__(vendor, f"the API key was not granted the configured scopes: {', '.join(missing)}")
        self.missing = missing


class VendorForbidden(VendorError):
    """Raised on 403: the gateway's credential lacks the privilege for this call."""

    code = "VENDOR_FORBIDDEN"


class VendorNotFound(VendorError):
    """Raised on 404: the record does not exist (or is hidden from the gateway's credential); ``detail`` is the
    vendor's parsed body (which field named the missing record, where the vendor says)."""

    code = "NOT_FOUND"

    def __init__(self, vendor: str, message: str, *, detail: object = None, **kw: object) -> None:
        super().__init__(vendor, message, **kw)  # type: ignore[arg-type]
        self.detail = detail


class VendorBadRequest(VendorError):
    """Raised on 400/413/422: the vendor refused the request; ``detail`` is its parsed error body."""

    code = "VENDOR_BAD_REQUEST"

    def __init__(self, vendor: str, message: str, *, detail: object = None, **kw: object) -> None:
        super().__init__(vendor, message, **kw)  # type: ignore[arg-type]
        self.detail = detail


class VendorProtocolError(VendorError):
    """Raised when the answer is not what the contract says: malformed JSON, an unexpected status or shape."""

    code = "VENDOR_PROTOCOL_ERROR"


class WriteAnswerUnreadable(VendorProtocolError):
    """Raised for a write the vendor accepted (2xx) whose answer does not fit its contract: it is most likely
    applied, so it must not be taken for a failure and sent again."""

    code = "WRITE_ANSWER_UNREADABLE"

    @classmethod
    def after(cls, exc: VendorProtocolError) -> WriteAnswerUnreadable:
        accepted = f" (HTTP {exc.status})" if exc.status is not None else ""
        return cls(exc.vendor, f"the write was accepted{accepted} but its answer does not fit the vendor's contract "
                               f"({exc.message}): it is most likely applied; read the record back rather than "
                               "sending the write again", status=exc.status, route=exc.route)


def accepted_write(exc: VendorProtocolError) -> bool:
    """Whether a write that failed so was accepted: its answer was a 2xx (a status None: a model could not read
    what a 2xx answer held), not a status outside the contract."""
    return exc.status is None or 200 <= exc.status < 300


class CallBudgetExceeded(VendorError):
    """Raised before calling when the current GraphQL request has spent its upstream call budget."""

    code = "UPSTREAM_BUDGET_EXCEEDED"


class ClientClosedRequest(VendorError):
    """Raised before calling when the client of the current (read-only) request has hung up: no one would read
    the answer. Logged only; the client is gone."""

    code = "CLIENT_CLOSED_REQUEST"
