"""Fetch one URL with httpx, defensively: the fetcher is where hostile input enters over the network.

What this guards against, and how:
1. Schemes: only http and https (`urls.require_fetchable`).
2. Private addresses: refused before connecting and at every redirect hop, on the address the
   socket actually connects to (`netguard.GuardedBackend`; see its docstring for why this
   defeats DNS rebinding). Allowed only with `settings.allow_private` or `settings.allow_hosts`.
3. Redirects are followed by hand, at most `settings.fetch_max_redirects`, each hop re-checked.
4. Time: connect and read timeouts from settings plus a total deadline for the whole fetch,
   enforced on every socket operation of every hop, headers included (`netguard.DeadlineStream`),
   so a server trickling its headers cannot hold the fetch past it; the system resolver's own
   timeout bounds a DNS lookup.
5. Size: the body is streamed and abandoned past `settings.max_document_bytes`, counting
   decompressed bytes (`decoders.BoundedDecoder`), so a bomb or an endless stream yields an
   error and never a partial document.
6. TLS: certificates are always verified; a TLS error is a failure, never a retry without
   checks (trafilatura's fetcher does that, so it is not used).
7. Environment: no proxies or .netrc from the environment (`trust_env=False`), because a proxy
   would make the connection on our behalf and bypass the address check.
"""

from __future__ import annotations

import ssl
import time
from datetime import UTC, datetime

import httpcore
import httpx

from orbat import __version__
from orbat.acquire import SourceError
from orbat.acquire.decoders import (
    ACCEPT_ENCODING,
    BoundedDecoder,
    BudgetExceeded,
    DecodeError,
    UnsupportedEncoding,
)
from orbat.acquire.netguard import AddressPolicy, BlockedAddress, GuardedBackend, Resolver
from orbat.acquire.urls import canonical_url, require_fetchable
from orbat.model import SourceDocument
from orbat.settings import Settings

USER_AGENT = f"orbat/{__version__}"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
#: Media types that are already one of the document types the clean stage reads.
DOCUMENT_TYPES = {"text/html": "text/html", "application/xhtml+xml": "text/html",
                  "text/plain": "text/plain", "text/markdown": "text/markdown",
                  "text/x-markdown": "text/markdown"}


def fetch_url(url: str, settings: Settings, *, resolver: Resolver | None = None) -> SourceDocument:
    """Fetch `url` and return its body as a `SourceDocument`, or raise `SourceError`.

    The document's `url` is the canonical form of the final URL (after redirects), `origin` is
    `url` as given, `retrieved` the UTC time of the fetch, and `content_type` the served media
    type without parameters (HTML, plain text and Markdown mapped to the document types;
    anything else, such as `application/rss+xml`, left for the caller to dispatch).
    `resolver` replaces the system DNS resolver (tests map test host names to 127.0.0.1).
    """
    require_fetchable(url)
    policy = AddressPolicy.build(settings.allow_private, settings.allow_hosts, resolver)
    deadline = time.monotonic() + settings.fetch_total_timeout
    try:
        policy.check_literal(url)
        with _client(policy, deadline) as client:
            final_url, media_type, raw = _follow(client, url, settings, policy, deadline)
    except BlockedAddress as exc:
        raise SourceError(url, str(exc), "refused:private-address") from None
    except httpx.HTTPError as exc:
        if isinstance(exc, httpx.TimeoutException) and time.monotonic() >= deadline:
            raise SourceError(url, f"no complete answer within the {settings.fetch_total_timeout:g} s total "
                              "deadline", "timeout") from None
        raise _network_error(url, exc) from None
    except httpx.InvalidURL as exc:
        raise SourceError(url, f"not a valid URL ({exc})", "bad-url") from None
    return SourceDocument(raw=raw, content_type=media_type, origin=url, url=canonical_url(final_url),
                          canonical_url=canonical_url(final_url),
                          retrieved=datetime.now(UTC).isoformat(timespec="seconds"))


def _client(policy: AddressPolicy, deadline: float | None = None) -> httpx.Client:
    """An httpx client whose every TCP connection goes through the address guard and ends by `deadline`."""
    ssl_context = httpx.create_ssl_context(verify=True)
    transport = httpx.HTTPTransport(verify=ssl_context, trust_env=False, retries=0)
    # httpx 0.28 has no public hook for the network backend; replace its pool with one that
    # uses ours. Checked so an httpx upgrade that renames the attribute fails loudly here.
    if not isinstance(getattr(transport, "_pool", None), httpcore.ConnectionPool):
        raise RuntimeError("httpx transport layout changed; cannot install the address guard")
    transport._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=GuardedBackend(policy, deadline),
                                              max_connections=4, retries=0)
    return httpx.Client(transport=transport, trust_env=False, follow_redirects=False,
                        headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING})


def _timeout(settings: Settings, deadline: float, url: str) -> httpx.Timeout:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise SourceError(url, f"no answer within the {settings.fetch_total_timeout:g} s total deadline",
                          "timeout")
    read = min(settings.fetch_read_timeout, remaining)
    return httpx.Timeout(read, connect=min(settings.fetch_connect_timeout, remaining), pool=remaining)


def _follow(client: httpx.Client, url: str, settings: Settings, policy: AddressPolicy,
            deadline: float) -> tuple[str, str, bytes]:
    """GET `url`, following at most `fetch_max_redirects` redirects, each hop re-checked."""
    current = url
    for _hop in range(settings.fetch_max_redirects + 1):
        request = client.build_request("GET", current, timeout=_timeout(settings, deadline, url))
        response = client.send(request, stream=True)
        try:
            if response.status_code in REDIRECT_CODES and "location" in response.headers:
                current = _next_hop(url, response, policy)
                continue
            if not 200 <= response.status_code < 300:
                raise SourceError(url, f"HTTP {response.status_code} {response.reason_phrase}".strip(),
                                  "http-status")
            raw = _read_body(response, url, settings, deadline)
            media_type = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
            media_type = DOCUMENT_TYPES.get(media_type, media_type or "application/octet-stream")
            return str(response.url), media_type, raw
        finally:
            response.close()
    raise SourceError(url, f"more than {settings.fetch_max_redirects} redirects", "too-many-redirects")


def _next_hop(url: str, response: httpx.Response, policy: AddressPolicy) -> str:
    """The redirect target, refused early if its scheme or IP literal breaks a rule.

    The connect-time guard checks the hop again on the resolved address; this early check only
    gives a clearer message and spares a DNS query.
    """
    try:
        target = str(response.url.join(response.headers["location"]))
    except (httpx.InvalidURL, ValueError) as exc:
        raise SourceError(url, f"redirect to an invalid URL ({exc})", "bad-url") from None
    try:
        require_fetchable(target)
    except SourceError as exc:
        raise SourceError(url, f"redirect to {target}: {exc.reason}", exc.code) from None
    try:
        policy.check_literal(target)
    except BlockedAddress as exc:
        raise BlockedAddress(f"redirect to {target}: {exc}") from None
    return target


def _read_body(response: httpx.Response, url: str, settings: Settings, deadline: float) -> bytes:
    """Stream the body, decoding it under the byte cap and the total deadline."""
    cap = settings.max_document_bytes
    too_large = SourceError(url, f"larger than the {cap:,}-byte cap (set ORBAT_MAX_BYTES to raise it)",
                            "too-large")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_large
    try:
        decoder = BoundedDecoder(response.headers.get("content-encoding"), cap)
        body = bytearray()
        for chunk in response.iter_raw():  # no chunk_size: it would wait for a full chunk
            body += decoder.decode(chunk)
            if time.monotonic() > deadline:
                raise SourceError(url, f"download not finished within the {settings.fetch_total_timeout:g} s "
                                  "total deadline", "timeout")
        body += decoder.flush()
    except BudgetExceeded:
        raise too_large from None
    except UnsupportedEncoding as exc:
        raise SourceError(url, f"unsupported Content-Encoding {exc}", "unsupported-encoding") from None
    except DecodeError as exc:
        raise SourceError(url, f"body is not valid for its Content-Encoding ({exc})",
                          "bad-encoding") from None
    return bytes(body)


def _network_error(url: str, exc: httpx.HTTPError) -> SourceError:
    """One line naming what went wrong: timeout, TLS, connection or protocol."""
    if isinstance(exc, httpx.TimeoutException):
        kind = {httpx.ConnectTimeout: "connect", httpx.ReadTimeout: "read", httpx.WriteTimeout: "write",
                httpx.PoolTimeout: "pool"}.get(type(exc), "network")
        return SourceError(url, f"{kind} timeout", "timeout")
    if _is_tls_error(exc):
        return SourceError(url, f"TLS error, not retried without verification ({_root(exc)})", "tls")
    if isinstance(exc, httpx.ConnectError):
        return SourceError(url, f"cannot connect ({_root(exc)})", "network")
    return SourceError(url, f"{type(exc).__name__}: {_root(exc)}", "network")


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _is_tls_error(exc: BaseException) -> bool:
    return any(isinstance(e, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(e) for e in _chain(exc))


def _root(exc: BaseException) -> str:
    text = str(list(_chain(exc))[-1]) or str(exc) or type(exc).__name__
    return " ".join(text.split())[:200]
