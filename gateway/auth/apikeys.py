"""Static API keys for server-to-server callers, stored only as SHA-256 digests, each with its scopes.

Configured as JSON: ``[{"id": "registrar-sync", "sha256": "<hex digest of the key>", "scopes": [...]}]``;
``campusgraph apikey`` prints a new key and the entry to store for it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from gateway.auth.viewer import SCOPES, Viewer


@dataclass(frozen=True)
class ApiKey:
    id: str
    sha256: str
    scopes: frozenset[str]


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_api_keys(text: str) -> tuple[ApiKey, ...]:
    entries = json.loads(text)
    if not isinstance(entries, list):
        raise ValueError("API keys are a JSON list of {id, sha256, scopes}")
    keys = []
    for entry in entries:
        if not isinstance(entry, dict) or not {"id", "sha256", "scopes"} <= entry.keys():
            raise ValueError("each API key needs id, sha256 and scopes")
        unknown = set(entry["scopes"]) - SCOPES.keys()
        if unknown:
            raise ValueError(f"API key {entry['id']!r} names unknown scopes {sorted(unknown)}")
        sha256 = str(entry["sha256"]).lower()
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):  # a digest mistyped would match no key, silently
            raise ValueError(f"API key {entry['id']!r}: sha256 must be the key's SHA-256 digest, 64 hex digits")
        keys.append(ApiKey(str(entry["id"]), sha256, frozenset(entry["scopes"])))
    return tuple(keys)


def find(keys: tuple[ApiKey, ...], presented: str) -> Viewer | None:
    """The caller a presented key belongs to; compares digests in constant time."""
    candidate = digest(presented)
    for key in keys:
        if hmac.compare_digest(candidate, key.sha256):
            return Viewer(id=f"apikey:{key.id}", kind="service", scopes=key.scopes)
    return None


def new_key(key_id: str, scopes: list[str]) -> tuple[str, dict[str, Any]]:
    key = "cgk_" + secrets.token_urlsafe(32)
    return key, {"id": key_id, "sha256": digest(key), "scopes": scopes}
