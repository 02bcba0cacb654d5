"""Vendor tokens whose signature a simulator has checked, remembered by their text: a token's claims never
change, and checking the signature on every read was about a fifth of the sandbox's CPU per read. Expiry is
still the caller's to check on every call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Claims = dict[str, Any]


class VerifiedTokens:
    """At most ``limit`` tokens (the oldest forgotten first); the gateway holds one at a time per credential."""

    def __init__(self, limit: int = 1024) -> None:
        self.limit, self._claims = limit, dict[str, Claims]()

    def claims(self, token: str, verify: Callable[[str], Claims | None]) -> Claims | None:
        """The token's claims, verified once by ``verify`` (None: not a token this simulator signed)."""
        found = self._claims.get(token)
        if found is None:
            found = verify(token)
            if found is None:
                return None
            if len(self._claims) >= self.limit:
                self._claims.pop(next(iter(self._claims)))
            self._claims[token] = found
        return found
