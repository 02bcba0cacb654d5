"""One frozen Settings, read once from ``CAMPUSGRAPH_*`` environment variables; fails fast on bad input.

The base URL is the only difference between a real vendor and the sandbox. Credentials are held
as ``Secret`` and never appear in a repr, a log line or an error message.
"""

from __future__ import annotations

import difflib
import logging
import os
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from gateway import settingvalues as values
from gateway.auth.apikeys import ApiKey, parse_api_keys
from gateway.auth.tokens import TokenPolicy, load_jwks
from gateway.security.limits import QueryLimits
from gateway.vendors.config import DartmouthConfig, HttpPolicy, HubmisConfig, Secret, StellicConfig
from gateway.vendors.dartmouth import routes as dartmouth_routes
from gateway.vendors.hubmis import routes as hubmis_routes
from gateway.vendors.stellic import routes as stellic_routes

PREFIX = "CAMPUSGRAPH_"
T = TypeVar("T")

# Every HttpPolicy field can be set per vendor as CAMPUSGRAPH_<VENDOR>_<FIELD>.
HTTP_SETTING_DOCS = {
    "connect_timeout_s": "seconds to open a connection",
    "timeout_s": "seconds for a whole call, answer included",
    "max_connections": "open connections at most: a query's widest level of calls (a 200-row roster reads 199 "
                       "people) goes out at once",
    "preconnect": "connections opened at start-up and left idle in the pool (no request is sent), so the first "
                  "queries after a start do not each open their own; 0 opens none",
    "retries": "extra attempts for a failed read or credential exchange, or a PUT/DELETE whose answer was lost "
               "(other writes never); "
               "after a 5xx or no answer one retry at a time per route, none while its circuit is open",
    "backoff_base_s": "first retry waits up to this long (doubling, with jitter)",
    "backoff_max_s": "longest wait between retries",
    "max_retry_wait_s": "longest wait for a rate-limit slot or a 429's retry-after before failing",
    "retry_budget_ratio": "retries may add at most this share of calls",
    "breaker_failures": "consecutive failures of a route that open its circuit; as many across two routes or "
                        "more open every route's",
    "breaker_reset_s": "seconds a route's circuit stays open before one probe call (calls meanwhile wait for it)",
}


# HttpPolicy fields that 0 would break: no call could ever finish, or no connection open.
# A breaker opening after 0 failures would open after the first anyway (and could never tell one route's failures
# from the whole vendor's): refused rather than taken as 1.
ABOVE_ZERO = frozenset({"connect_timeout_s", "timeout_s", "max_connections", "breaker_failures"})


class SettingsError(ValueError):
    """Raised at start-up with every missing or malformed setting listed at once."""


@dataclass(frozen=True)
class AccessSettings:
    """Who may call the gateway and what a request may ask (issue 6)."""

    production: bool = False  # introspection only with graphql:introspect, no "Did you mean" suggestions
    issuer: str = "campusgraph"
    audience: str = "campusgraph"
    dev_key: Secret | None = None  # HS256 development signing key
    jwks: dict[str, Any] | None = None  # RS256 keys of the identity provider
    api_keys: tuple[ApiKey, ...] = ()
    limits: QueryLimits = field(default_factory=QueryLimits)
    max_body_bytes: int = 1_048_576
    max_batch: int = 5
    caller_rate_per_min: int = 600
    caller_burst: int = 60
    persisted: dict[str, str] | None = None  # sha256 -> operation text, when only those are allowed
    cors_origins: tuple[str, ...] = ()  # browser origins whose pages may call the gateway; none by default

    @property
    def tokens(self) -> TokenPolicy | None:
        if self.dev_key is None and self.jwks is None:
            return None
        return TokenPolicy(issuer=self.issuer, audience=self.audience, dev_key=self.dev_key, jwks=self.jwks)


@dataclass(frozen=True)
class Settings:
    stellic: StellicConfig
    hubmis: HubmisConfig
    dartmouth: DartmouthConfig
    redis_url: str | None = None
    cache_enabled: bool = True
    batching_enabled: bool = True  # off only to measure what batching buys (bench/)
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"  # of the campusgraph loggers; `campusgraph serve --log-level` overrides it
    metrics_enabled: bool = True  # GET /metrics in Prometheus' text format
    graphiql_enabled: bool = True  # GraphiQL's page at GET /graphql for a browser (queries by GET work either way)
    otlp_endpoint: str | None = None  # OTLP/HTTP collector; traces are off while unset
    service_name: str = "campusgraph"  # service.name of exported spans
    trace_sample_ratio: float = 1.0  # share of operations traced (parent-based: a caller's decision wins)
    call_budget: int = 500  # upstream calls one GraphQL request may make (a 200-row roster needs 202)
    stellic_username_template: str = "{key}"  # crosswalk: Stellic username from the shared key (netid)
    crosswalk_case_insensitive: bool = True
    hubmis_index_refresh_s: float = 900.0
    hubmis_index_share: float = 0.25  # share of HUBmis' refill rate a background index refresh may spend
    access: AccessSettings = field(default_factory=AccessSettings)
    task_wait_s: float = 10.0  # longest a `wait: true` mutation waits for its task before answering
    task_poll_s: float = 0.5  # first interval between polls of a vendor task (it grows while the task runs)
    task_follow_s: float = 3600.0  # how long the gateway follows a vendor task (or a write it cannot see the end of)
    # What start-up must say of the environment, though it runs: CAMPUSGRAPH_* variables set that are no setting (a
    # typo, most likely, each with the setting it may have meant: one silently ignored leaves its default in force),
    # and values taken for something else than they say (a proxy path, Kubernetes' port link).
    notes: tuple[str, ...] = field(default=(), compare=False)

    def log_notes(self) -> None:
        """Say ``notes`` as start-up warnings (once per process that reads the settings for the others)."""
        for note in self.notes:
            logging.getLogger("campusgraph.settings").warning(note)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        return _Reader(os.environ if env is None else env).settings()


class _Reader:
    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []
        # Every setting asked for, so that a CAMPUSGRAPH_* variable no setting reads can be told apart. Both JWKS
        # sources are settings though only one is read.
        self.asked: set[str] = {"AUTH_JWKS_FILE", "AUTH_JWKS_URL"}
        self.notes: list[str] = []  # values taken for something else than they say, said at start-up

    def raw(self, name: str) -> str | None:
        self.asked.add(name)
        value = self.env.get(PREFIX + name)
        return value.strip() if value is not None and value.strip() != "" else None

    def get(self, name: str, parse: Callable[[str], T], default: T) -> T:
        raw = self.raw(name)
        if raw is None:
            return default
        try:
            return parse(raw)
        except ValueError as exc:
            self.problems.append(f"{PREFIX}{name}: {exc}")
            return default

    def required(self, name: str) -> str:
        raw = self.raw(name)
        if raw is None:
            self.problems.append(f"{PREFIX}{name} is required")
            return ""
        return raw

    def url(self, name: str, routes: frozenset[str] = frozenset()) -> str:
        """A vendor's base URL (its value is not echoed: it may carry a credential)."""
        raw = self.required(name)
        if not raw:
            return raw
        url = urlsplit(raw)
        if url.scheme not in ("http", "https") or not url.hostname:
            self.problems.append(f"{PREFIX}{name}: must be an http(s) URL")
        elif url.username is not None or url.query or url.fragment:
            # A password there would go out with every call and show in each trace's url.full.
            self.problems.append(f"{PREFIX}{name}: must be scheme://host[:port][/path], with no user, query or "
                                 "fragment (the credentials have settings of their own)")
        else:
            path = url.path.rstrip("/")
            given = next((p for p in sorted(routes, key=len, reverse=True) if path.endswith(p)), None)
            if given is not None and (path == given or given.count("/") > 1):
                # Every call would 404 (its credential exchange too): the API path named twice.
                self.problems.append(f"{PREFIX}{name}: ends with {given}, which the gateway adds to every call "
                                     "itself: give the vendor's base URL without it")
            elif given is not None:
                # A path of its own before it (/hubmis/api): a proxy's, named as proxies often are, or the same
                # mistake behind one. Refused, such a proxy could not be used at all; said, the other is found.
                self.notes.append(f"{PREFIX}{name}: ends with {given}, which the gateway adds to every call itself: "
                                  f"taken as a proxy's own path (calls go to ...{given}{given}...); if it is the "
                                  "vendor's, give the base URL without it")
        return raw.rstrip("/")

    def http(self, vendor: str) -> HttpPolicy:
        defaults = HttpPolicy()
        given: dict[str, Any] = {}
        for f in fields(HttpPolicy):
            default = getattr(defaults, f.name)
            parse = values.above_zero if f.name in ABOVE_ZERO else values.positive
            given[f.name] = self.get(f"{vendor}_{f.name.upper()}", parse(type(default)), default)
        return HttpPolicy(**given)

    def text_or_file(self, name: str) -> str | None:
        """A value given inline, or as ``@/path/to/file``."""
        raw = self.raw(name)
        if raw is None or not raw.startswith("@"):
            return raw
        try:
            return Path(raw[1:]).read_text()
        except OSError as exc:
            self.problems.append(f"{PREFIX}{name}: cannot read {raw[1:]}: {exc.strerror}")
            return None

    def access(self) -> AccessSettings:
        jwks_text = None
        if self.raw("AUTH_JWKS_FILE"):
            jwks_text = _read_file(self, "AUTH_JWKS_FILE")
        elif self.raw("AUTH_JWKS_URL"):
            jwks_text = _fetch(self, "AUTH_JWKS_URL")
        dev_key = self.raw("AUTH_DEV_KEY")
        if dev_key is not None and len(dev_key) < 32:
            self.problems.append(f"{PREFIX}AUTH_DEV_KEY: must be at least 32 characters")
        access = AccessSettings(
            production=self.get("ENV", values.environment, "development") == "production",
            issuer=self.get("AUTH_ISSUER", str, "campusgraph"), audience=self.get("AUTH_AUDIENCE", str, "campusgraph"),
            dev_key=Secret(dev_key) if dev_key else None,
            jwks=self._parse("AUTH_JWKS_FILE/URL", load_jwks, jwks_text),
            api_keys=self._parse("AUTH_API_KEYS", parse_api_keys, self.text_or_file("AUTH_API_KEYS")) or (),
            limits=QueryLimits(
                max_depth=self.get("MAX_DEPTH", values.above_zero(int), 10),
                max_aliases=self.get("MAX_ALIASES", values.positive(int), 15),
                max_directives=self.get("MAX_DIRECTIVES", values.positive(int), 50),
                max_tokens=self.get("MAX_TOKENS", values.above_zero(int), 1000),
                max_cost=self.get("MAX_COST", values.above_zero(int), 5000)),
            max_body_bytes=self.get("MAX_BODY_BYTES", values.above_zero(int), 1_048_576),
            max_batch=self.get("MAX_BATCH", values.above_zero(int), 5),
            caller_rate_per_min=self.get("CALLER_RATE_PER_MIN", values.above_zero(int), 600),
            caller_burst=self.get("CALLER_BURST", values.above_zero(int), 60),
            persisted=self._parse("PERSISTED_OPERATIONS", values.persisted_operations,
                                  self.text_or_file("PERSISTED_OPERATIONS")),
            cors_origins=self.get("CORS_ORIGINS", values.origins, ()))
        if access.tokens is None and not access.api_keys:
            self.problems.append(f"{PREFIX}AUTH_DEV_KEY, {PREFIX}AUTH_JWKS_FILE, {PREFIX}AUTH_JWKS_URL or "
                                 f"{PREFIX}AUTH_API_KEYS: configure at least one way for callers to authenticate")
        return access

    def _parse(self, name: str, parse: Callable[[str], T], text: str | None) -> T | None:
        if text is None:
            return None
        try:
            return parse(text)
        except (ValueError, KeyError, TypeError) as exc:
            self.problems.append(f"{PREFIX}{name}: {exc}")
            return None

    def settings(self) -> Settings:
        stellic = StellicConfig(base_url=self.url("STELLIC_BASE_URL", stellic_routes.ROUTES.api_prefixes()),
                                token=Secret(self.required("STELLIC_TOKEN")),
                                http=self.http("STELLIC"))
        hubmis = HubmisConfig(
            base_url=self.url("HUBMIS_BASE_URL", hubmis_routes.ROUTES.api_prefixes()),
            client_id=self.required("HUBMIS_CLIENT_ID"),
            client_secret=Secret(self.required("HUBMIS_CLIENT_SECRET")), realm=self.required("HUBMIS_REALM"),
            academic_year_id=self.get("HUBMIS_ACADEMIC_YEAR_ID", lambda raw: values.number(int, raw), None),
            rate_limit_bucket=self.get("HUBMIS_RATE_LIMIT_BUCKET", values.above_zero(int), 500),
            rate_limit_refill_s=self.get("HUBMIS_RATE_LIMIT_REFILL_S", values.above_zero(float), 5.0),
            page_size=self.get("HUBMIS_PAGE_SIZE", values.above_zero(int), 100), http=self.http("HUBMIS"))
        dartmouth = DartmouthConfig(
            base_url=self.url("DARTMOUTH_BASE_URL", dartmouth_routes.ROUTES.api_prefixes()),
            api_key=Secret(self.required("DARTMOUTH_API_KEY")),
            scopes=tuple(self.get("DARTMOUTH_SCOPES", lambda v: v.replace(",", " ").split(), list(DEFAULT_SCOPES))),
            page_size=self.get("DARTMOUTH_PAGE_SIZE", values.above_zero(int), 1000), http=self.http("DARTMOUTH"))
        settings = Settings(
            stellic=stellic, hubmis=hubmis, dartmouth=dartmouth,
            redis_url=self.get("REDIS_URL", values.redis_url, None),
            cache_enabled=self.get("CACHE_ENABLED", values.boolean, True), host=self.get("HOST", str, "127.0.0.1"),
            batching_enabled=self.get("BATCHING_ENABLED", values.boolean, True),
            port=self.listen_port(),
            log_level=self.get("LOG_LEVEL", values.log_level, "INFO"),
            metrics_enabled=self.get("METRICS_ENABLED", values.boolean, True),
            graphiql_enabled=self.get("GRAPHIQL_ENABLED", values.boolean, True),
            otlp_endpoint=self.get("OTLP_ENDPOINT", values.endpoint, None),
            service_name=self.get("SERVICE_NAME", str, "campusgraph"),
            trace_sample_ratio=self.get("TRACE_SAMPLE_RATIO", values.share, 1.0),
            call_budget=self.get("CALL_BUDGET", values.above_zero(int), 500),
            stellic_username_template=self.get("CROSSWALK_STELLIC_USERNAME", values.template, "{key}"),
            crosswalk_case_insensitive=self.get("CROSSWALK_CASE_INSENSITIVE", values.boolean, True),
            hubmis_index_refresh_s=self.get("HUBMIS_INDEX_REFRESH_S", values.above_zero(float), 900.0),
            hubmis_index_share=self.get("HUBMIS_INDEX_SHARE", values.share, 0.25), access=self.access(),
            task_wait_s=self.get("TASK_WAIT_S", values.positive(float), 10.0),
            task_poll_s=self.get("TASK_POLL_S", values.poll_interval, 0.5),
            task_follow_s=self.get("TASK_FOLLOW_S", values.above_zero(float), 3600.0))
        if self.problems:
            raise SettingsError("invalid configuration:\n  " + "\n  ".join(self.problems))
        return replace(settings, notes=(*self.notes, *self.unread()))

    def listen_port(self) -> int:
        """``CAMPUSGRAPH_PORT``. Kubernetes sets it to ``tcp://<address>:<port>`` in every pod of a namespace holding a
        Service named campusgraph (its service links): that is the service's address, not a port to listen on, so
        it is said and the default taken (a port set in the pod's own spec wins over the link)."""
        raw = self.raw("PORT")
        if raw is not None and raw.lower().startswith("tcp://"):
            self.notes.append(f"{PREFIX}PORT is a Kubernetes service link (tcp://...), not a port: ignored, the "
                              "port is serve's --port or 8000 (set it in the pod's spec, or enableServiceLinks: false)")
            return 8000
        return self.get("PORT", values.port_number, 8000)

    def unread(self) -> list[str]:
        """The CAMPUSGRAPH_* variables set that no setting reads, each said with the setting its name is closest to.
        Said, not refused: an orchestrator may set some of its own (Kubernetes names a service's address
        ``<SERVICE>_SERVICE_HOST``, ``<SERVICE>_PORT_8000_TCP``...)."""
        known = sorted(self.asked)
        notes = []
        for name in sorted(k for k in self.env if k.startswith(PREFIX) and k[len(PREFIX):] not in self.asked):
            close = difflib.get_close_matches(name[len(PREFIX):], known, n=1, cutoff=0.8)
            notes.append(f"{name} is not a setting and is ignored"
                         + (f" (did you mean {PREFIX}{close[0]}?)" if close else ""))
        return notes


def _read_file(reader: _Reader, name: str) -> str | None:
    path = reader.raw(name) or ""
    try:
        return Path(path).read_text()
    except OSError as exc:
        reader.problems.append(f"{PREFIX}{name}: cannot read {path}: {exc.strerror}")
        return None


def _fetch(reader: _Reader, name: str) -> str | None:
    url = reader.raw(name) or ""
    if urlsplit(url).scheme not in ("http", "https"):
        reader.problems.append(f"{PREFIX}{name}: must be an http(s) URL")
        return None
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - scheme checked above
            return str(response.read().decode())
    except OSError as exc:
        reader.problems.append(f"{PREFIX}{name}: cannot fetch the JWKS ({type(exc).__name__})")
        return None


# The Dartmouth scopes the gateway asks for unless CAMPUSGRAPH_DARTMOUTH_SCOPES says otherwise.
DEFAULT_SCOPES = (
    "urn:dartmouth:students:read.sensitive",
    "urn:dartmouth:students:read.highlysensitive",
    "urn:dartmouth:people:private",
    "api:academic:enrollments:read",
    "api:academic:enrollments:read.sensitive",
    "api:academic:enrollments:write",
)
