"""Per-vendor connection settings, and a Secret type that never shows its value in a repr or a log."""

from __future__ import annotations

from dataclasses import dataclass, field


class Secret:
    """A credential: ``str()`` and ``repr()`` show asterisks; ``reveal()`` is the only way to the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class HttpPolicy:
    """How one vendor is called: timeouts, connections, retries, breaker."""

    connect_timeout_s: float = 3.0
    timeout_s: float = 10.0
    max_connections: int = 200
    preconnect: int = 16  # connections opened at start-up, before the first call needs them
    retries: int = 2  # extra attempts for reads
    backoff_base_s: float = 0.1
    backoff_max_s: float = 2.0
    max_retry_wait_s: float = 10.0  # the longest one call waits, over its attempts, for rate slots and 429s
    retry_budget_ratio: float = 0.2  # retries may add at most this share of calls (plus a small reserve)
    breaker_failures: int = 5  # consecutive failures that open the circuit
    breaker_reset_s: float = 10.0  # how long it stays open before one probe is let through


@dataclass(frozen=True)
class StellicConfig:
    base_url: str
    token: Secret = field(default_factory=lambda: Secret(""))
    http: HttpPolicy = field(default_factory=HttpPolicy)


@dataclass(frozen=True)
class HubmisConfig:
    base_url: str
    client_id: str = ""
    client_secret: Secret = field(default_factory=lambda: Secret(""))
    realm: str = ""
    academic_year_id: int | None = None
    rate_limit_bucket: int = 500
    rate_limit_refill_s: float = 5.0
    page_size: int = 100
    http: HttpPolicy = field(default_factory=HttpPolicy)


@dataclass(frozen=True)
class DartmouthConfig:
    base_url: str
    api_key: Secret = field(default_factory=lambda: Secret(""))
    scopes: tuple[str, ...] = ()
    page_size: int = 1000
    http: HttpPolicy = field(default_factory=HttpPolicy)
