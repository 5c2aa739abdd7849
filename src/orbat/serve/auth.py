"""Who may do what: bearer tokens for writes, loopback (or an explicit choice) for anonymous reads.

Why only the `Authorization` header: a token in a URL ends up in logs, browser history and
Referer headers, so one in the query string is refused outright (400). Cookies are never read,
so a cross-site form post — which can carry cookies but cannot set this header — is refused as
unauthenticated: that is the CSRF defence (RELIABILITY rows 32, 34).
"""

from __future__ import annotations

import ipaddress

from fastapi import HTTPException, Request

from orbat.tokens import Token, allows, authenticate

#: Query parameters that look like credentials; their presence alone refuses the request.
TOKEN_PARAMS = frozenset({"token", "access_token", "api_key", "apikey", "key", "bearer", "auth", "authorization"})


def token_in_query(request: Request) -> bool:
    """True when a credential travels in the URL (by parameter name or by the token prefix)."""
    for name, value in request.query_params.multi_items():
        if name.lower() in TOKEN_PARAMS or value.startswith("orbat_"):
            return True
    return False


def is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def bearer(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header; another scheme is a 401."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise _unauthorized("use `Authorization: Bearer <token>`")
    return value.strip()


def _unauthorized(reason: str) -> HTTPException:
    return HTTPException(401, reason, headers={"WWW-Authenticate": "Bearer"})


def _known(request: Request, presented: str) -> Token:
    token = authenticate(request.app.state.store, presented)
    if token is None:
        raise _unauthorized("unknown token")
    return token


def reader(request: Request) -> Token | None:
    """Reads: a valid token, or none at all from loopback (or when anonymous reads are allowed)."""
    presented = bearer(request)
    if presented is not None:
        return _known(request, presented)
    client = request.client.host if request.client else None
    if request.app.state.allow_anonymous_read or is_loopback(client):
        return None
    raise _unauthorized("a token is needed to read from this address")


def writer(request: Request) -> Token:
    """Writes: a valid token of role analyst or above (401 without one, 403 for a viewer)."""
    presented = bearer(request)
    if presented is None:
        raise _unauthorized("writes need `Authorization: Bearer <token>`")
    token = _known(request, presented)
    if not allows(token, "analyst"):
        raise HTTPException(403, f"role {token.role} may not write; an analyst or admin token is needed")
    return token
