"""Who may do what: bearer tokens for writes, loopback (or an explicit choice) for anonymous reads.

Why only the `Authorization` header: a token in a URL ends up in logs, browser history and
Referer headers, so one in the query string is refused outright (400). Cookies are never read,
so a cross-site form post — which can carry cookies but cannot set this header — is refused as
unauthenticated: that is the CSRF defence (RELIABILITY rows 32, 34).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

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


#: Host names a loopback server answers to; `orbat serve --host/--allow-host` adds more.
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def host_names(extra: Iterable[str] = ()) -> frozenset[str]:
    """The names the Host header may carry: loopback names plus the ones the owner bound or listed."""
    return LOOPBACK_NAMES | {_bare(name) for name in extra if name and _bare(name)}


def _bare(authority: str) -> str:
    """`Host` value without port or IPv6 brackets, lower-cased: "[::1]:8000" → "::1"."""
    authority = authority.strip().lower().rstrip(".")
    if authority.startswith("["):
        return authority[1:].partition("]")[0]
    if authority.count(":") == 1:
        return authority.partition(":")[0]
    return authority


def request_host(request: Request) -> str:
    return _bare(request.headers.get("host", ""))


def host_allowed(request: Request) -> bool:
    """DNS rebinding defence: a page from evil.example that rebinds its name to 127.0.0.1 still sends
    `Host: evil.example`, so only the names this server was bound to are answered (421 otherwise)."""
    return request_host(request) in request.app.state.host_names


def foreign_origin(request: Request) -> bool:
    """True when a browser says the request comes from a page of another origin (or an opaque one).

    Same-origin GETs carry no `Origin`; a cross-site `fetch` always does, so its presence with
    another host (or `null`) marks a read some other site's script is making on the user's behalf.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return False
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return True
    return parts.netloc.lower() != request.headers.get("host", "").strip().lower()


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
    """Reads: a valid token, or none at all from a loopback client that asked for a loopback name and
    came from no other site's page (or from anyone when the owner allowed anonymous reads)."""
    presented = bearer(request)
    if presented is not None:
        return _known(request, presented)
    client = request.client.host if request.client else None
    if foreign_origin(request):
        raise _unauthorized("reads from another site's page need a token")
    if is_loopback(client) and request_host(request) in LOOPBACK_NAMES:
        return None
    if request.app.state.allow_anonymous_read:  # the owner opened reads to everyone (--insecure)
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
