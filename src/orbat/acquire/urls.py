"""URL rules: which schemes orbat fetches, and the canonical form under which a URL is stored.

The canonical form is what makes ingest idempotent across the ways one article gets shared:
`https://Example.com:443/a?utm_source=x&b=2&a=1#top` and `https://example.com/a?a=1&b=2` are the
same source. Storage compares `SourceDocument.url`, so acquire writes the canonical form there
(stages never import each other, so storage could not canonicalize by itself).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from orbat.acquire import SourceError

FETCH_SCHEMES = ("http", "https")

DEFAULT_PORTS = {"http": 80, "https": 443}

#: Query parameters that only say who shared a link or which campaign it came from.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
    "mc_cid", "mc_eid", "igshid", "igsh", "ref", "ref_src", "ref_url", "spm", "scm", "_ga", "_gl",
    "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "wt_mc", "xtor",
    "cmpid", "ncid", "sr_share", "s_cid", "icid", "at_medium", "at_campaign", "guccounter",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop credentials, default ports, fragments and tracking
    parameters, and sort what is left of the query.

    A URL that cannot be parsed is returned stripped but otherwise unchanged: canonicalizing is
    for deduplication and must never turn one source into another.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if not scheme or not host:
        return url.strip()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    query = urlencode(sorted(pairs))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def canonical_key(url: str | None) -> str | None:
    """The dedup key of a web address; None for anything else.

    Corpus lines and front matter carry URLs as written, so the pipeline asks for the key of every
    source (the rule is idempotent). A value that is not an http(s) URL (a corpus id, a path) is no
    key at all: two notes must not collide on it.
    """
    if not url or not url.strip().lower().startswith(("http://", "https://")):
        return None
    return canonical_url(url)


def require_fetchable(url: str) -> None:
    """Refuse every scheme but http and https (file:, ftp:, gopher:, data:, javascript: ...).

    Why: those schemes read local files or run code; an input list written by someone else must
    not be able to make orbat read `/etc/passwd` or the cloud metadata service.
    """
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    if scheme not in FETCH_SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise SourceError(url, f"refused: only http and https URLs are fetched (got {shown})",
                          "refused:scheme")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as exc:
        raise SourceError(url, f"not a valid URL ({exc})", "bad-url") from None
    if not parts.hostname:
        raise SourceError(url, "not a valid URL (no host)", "bad-url")
