"""Compact HS256 JSON Web Tokens, so the sandbox's Dartmouth JWTs decode like real ones (claims readable)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

_HEADER = {"alg": "HS256", "typ": "JWT"}


class InvalidToken(ValueError):
    """Raised by ``decode`` when a token is not three parts, not ours, or not JSON."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(claims: dict[str, Any], secret: bytes) -> str:
    signing_input = ".".join(_b64(json.dumps(part, separators=(",", ":")).encode()) for part in (_HEADER, claims))
    signature = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def decode(token: str, secret: bytes) -> dict[str, Any]:
    """The claims of a token signed with ``secret``; expiry is the caller's to check."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("not a three-part JWT")
    try:
        expected = hmac.new(secret, f"{parts[0]}.{parts[1]}".encode("ascii"), hashlib.sha256).digest()
        signature = _unb64(parts[2])
        if not hmac.compare_digest(signature, expected):
            raise InvalidToken("bad signature")
        claims = json.loads(_unb64(parts[1]))
    except (ValueError, UnicodeError) as exc:
        raise InvalidToken(str(exc)) from exc
    if not isinstance(claims, dict):
        raise InvalidToken("claims are not an object")
    return claims
