"""Bearer JWTs from the institution's identity provider (RS256 via JWKS) or a development key (HS256).

``verify`` checks signature, expiry, issuer and audience and returns the caller; ``mint`` makes a
development token against the configured development key (``campusgraph token``).

A client sends the same token with every request until it expires, so a verified token is remembered
(by its whole text, signature included) until its expiry: checking it again cost 80 µs (HS256) to
130 µs (RS256) a request, a few percent of a query answered from the cache.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt

from gateway.auth.viewer import Viewer
from gateway.vendors.config import Secret

LEEWAY_S = 30  # clock skew allowed on exp (and nbf) against the identity provider
VERIFIED_MAX = 4096  # tokens remembered at most; the oldest is forgotten first


class AuthError(Exception):
    """Raised when credentials are missing, malformed, expired or not signed by a trusted key."""


@dataclass(frozen=True)
class TokenPolicy:
    issuer: str
    audience: str
    dev_key: Secret | None = None
    jwks: dict[str, Any] | None = None  # a JWKS document (from a file, or fetched from a URL at start-up)
    # token -> (its caller, the time it stops being accepted); never in a repr: the keys are credentials
    _verified: dict[str, tuple[Viewer, float]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def verify(self, token: str) -> Viewer:
        known = self._verified.get(token)
        if known is not None:
            viewer, until = known
            if time.time() < until:
                return viewer
            del self._verified[token]
        viewer, until = self._check(token)
        if len(self._verified) >= VERIFIED_MAX:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = (viewer, until)
        return viewer

    def _check(self, token: str) -> tuple[Viewer, float]:
        """The caller a token names and when it expires (with the leeway), or AuthError."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthError("the bearer token is not a JWT") from None
        alg = header.get("alg")
        if alg == "HS256" and self.dev_key:
            key: Any = self.dev_key.reveal()
        elif alg == "RS256" and self.jwks:
            key = self._jwks_key(header.get("kid"))
        else:
            raise AuthError(f"tokens signed with {alg!r} are not accepted here")
        try:
            claims = jwt.decode(token, key, algorithms=[alg], audience=self.audience, issuer=self.issuer,
                                options={"require": ["exp", "sub"]}, leeway=LEEWAY_S)
        except jwt.ExpiredSignatureError:
            raise AuthError("the bearer token has expired") from None
        except jwt.PyJWTError as exc:
            raise AuthError(f"the bearer token was refused: {type(exc).__name__}") from None
        if not str(claims["sub"]).strip():  # it names the caller in the log, the audit trail and the rate limit
            raise AuthError("the bearer token's sub claim is malformed")
        return Viewer(id=str(claims["sub"]), kind="user", scopes=_scopes(claims)), float(claims["exp"]) + LEEWAY_S

    def _jwks_key(self, kid: str | None) -> Any:
        keys = (self.jwks or {}).get("keys", [])
        match = [k for k in keys if kid is None or k.get("kid") == kid]
        if not match:
            raise AuthError("the bearer token was signed by an unknown key")
        return jwt.PyJWK(match[0]).key

    def mint(self, subject: str, scopes: list[str], ttl_s: int = 8 * 3600) -> str:
        if not self.dev_key:
            raise AuthError("no development key is configured (CAMPUSGRAPH_AUTH_DEV_KEY)")
        now = int(time.time())
        claims = {"sub": subject, "iss": self.issuer, "aud": self.audience, "iat": now, "exp": now + ttl_s,
                  "jti": uuid.uuid4().hex, "scope": " ".join(scopes)}
        return jwt.encode(claims, self.dev_key.reveal(), algorithm="HS256")


def _scopes(claims: dict[str, Any]) -> frozenset[str]:
    """OAuth's space-separated ``scope``, or a ``scp`` list as some identity providers send it; a claim of
    another type (null, a number) is refused as the token's, not left to fail the request."""
    name = "scope" if "scope" in claims else "scp"
    raw = claims.get(name, "")
    if isinstance(raw, str):
        return frozenset(raw.split())
    if isinstance(raw, list):
        return frozenset(str(s) for s in raw)
    raise AuthError(f"the bearer token's {name} claim is malformed")


def load_jwks(text: str) -> dict[str, Any]:
    document = json.loads(text)
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("a JWKS document is an object with a 'keys' list")
    return document
