"""Turns a request's credentials into a Viewer: a bearer JWT, or an API key (``X-API-Key`` or
``Authorization: ApiKey <key>``)."""

from __future__ import annotations

from collections.abc import Mapping

from gateway.auth.apikeys import ApiKey, find
from gateway.auth.tokens import AuthError, TokenPolicy
from gateway.auth.viewer import Viewer


class Authenticator:
    def __init__(self, tokens: TokenPolicy | None, api_keys: tuple[ApiKey, ...] = ()) -> None:
        self.tokens, self.api_keys = tokens, api_keys

    def authenticate(self, headers: Mapping[str, str]) -> Viewer:
        """Raises AuthError (never echoing the credential) when nothing valid is presented."""
        authorization = headers.get("authorization", "")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            if self.tokens is None:
                raise AuthError("bearer tokens are not accepted here")
            return self.tokens.verify(value.strip())
        key = headers.get("x-api-key") or (value.strip() if scheme.lower() == "apikey" else "")
        if key:
            viewer = find(self.api_keys, key)
            if viewer is None:
                raise AuthError("the API key was not recognised")
            return viewer
        if authorization.strip():  # a token pasted without its scheme, or Basic: say what is expected
            raise AuthError("the Authorization header must be 'Bearer <token>' or 'ApiKey <key>'")
        raise AuthError("credentials are required: a bearer token or an API key")
