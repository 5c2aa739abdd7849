"""The page's files under content-hashed addresses, compressed once, cached for a year.

Why: the page is ~2.4 MB of JavaScript, CSS and country outlines. Sent plain and revalidated on
every load, that is most of the wait on a slow link. So:

- `index.html` is rewritten when served: each `/vendor/…` and page file it names gets an address
  carrying a hash of the content (`/static/<hash>/app.js`, `/vendor/<hash>/leaflet/…`). Those
  addresses are `Cache-Control: public, max-age=31536000, immutable`: a browser never asks again,
  and an upgrade changes the hash, so it can never run stale code. `index.html` itself is
  `no-cache` (revalidated by ETag).
- The hash is one per folder, over the files the page names (the page's own folder: every file),
  so relative references inside a file (Leaflet's CSS → `images/…`) stay under the same prefix.
  A request with an outdated hash still gets the file, but `no-cache`, never `immutable`.
- Text files are compressed once per process and kept in memory: brotli when the client accepts
  it (Chromium asks for it over HTTPS only), else gzip. The npm packages are their minified
  builds (`leaflet.js`, `milsymbol.js`, `*.min.js`, `*.min.css`).
- Paths are resolved inside their folder and must name a file with a known suffix: `../`, absolute
  paths and symlinks leading out are 404s.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import HTTPException, Request, Response

try:  # brotli ships with weasyprint's fonttools; the page still works with gzip alone
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".map": "application/json",
    ".txt": "text/plain; charset=utf-8",
}
COMPRESSIBLE = frozenset({".js", ".css", ".json", ".html", ".svg", ".map", ".txt"})
#: `src="/…"`, `href="/…"` and `<meta content="/…">` in index.html: the addresses to give a content hash.
REFERENCE = re.compile(r'\b(src|href|content)="(/[^"?#]+)"')
HASH = re.compile(r"[0-9a-f]{12}")


@dataclass
class _Encoded:
    raw: bytes
    etag: str
    variants: dict[str, bytes] = field(default_factory=dict)


class Assets:
    """Content-hashed, compressed files of the page (`static`) and of its npm packages (`vendor`)."""

    def __init__(self, static_dir: Path, vendor_dir: Path):
        self.roots = {"static": static_dir.resolve(), "vendor": vendor_dir.resolve()}
        self._cache: dict[Path, _Encoded] = {}
        self._lock = threading.Lock()
        self._index: tuple[str, str] | None = None
        self.digests = {"static": "", "vendor": ""}
        self.refresh()

    # ------------------------------------------------------------------ hashing
    def refresh(self) -> None:
        """Hash the folders and rebuild index.html's addresses (once, when the app is created)."""
        index = self.roots["static"] / "index.html"
        text = index.read_text(encoding="utf-8") if index.is_file() else ""
        page_files = (
            sorted(p for p in self.roots["static"].rglob("*") if p.is_file()) if self.roots["static"].is_dir() else []
        )
        named_vendor = [
            self._file("vendor", ref.removeprefix("/vendor/"))
            for _, ref in REFERENCE.findall(text)
            if ref.startswith("/vendor/")
        ]
        self.digests = {
            "static": _digest(self.roots["static"], page_files),
            "vendor": _digest(self.roots["vendor"], [p for p in named_vendor if p is not None]),
        }
        rewritten = REFERENCE.sub(lambda m: f'{m.group(1)}="{self.url(m.group(2))}"', text)
        self._index = (rewritten, '"' + hashlib.sha256(rewritten.encode()).hexdigest()[:16] + '"')
        with self._lock:
            self._cache.clear()

    def url(self, address: str) -> str:
        """The hashed address of `/vendor/x` or `/x` (a page file); other addresses unchanged."""
        if address.startswith("/vendor/"):
            rest = address.removeprefix("/vendor/")
            return f"/vendor/{self.digests['vendor']}/{rest}" if self._file("vendor", rest) else address
        rest = address.lstrip("/")
        if rest and self._file("static", rest):
            return f"/static/{self.digests['static']}/{rest}"
        return address

    # ------------------------------------------------------------------ serving
    def _file(self, kind: str, relative: str) -> Path | None:
        """The file `relative` inside the folder, or None (outside it, missing, or an unknown suffix)."""
        root = self.roots[kind]
        if not relative or relative.startswith("/") or "\\" in relative or "\x00" in relative:
            return None
        try:
            path = (root / relative).resolve()
        except (OSError, RuntimeError):
            return None
        if not path.is_relative_to(root) or not path.is_file() or path.suffix.lower() not in MEDIA_TYPES:
            return None
        return path

    def _encoded(self, path: Path) -> _Encoded:
        with self._lock:
            found = self._cache.get(path)
        if found is None:
            raw = path.read_bytes()
            found = _Encoded(raw, '"' + hashlib.sha256(raw).hexdigest()[:16] + '"')
            with self._lock:
                self._cache[path] = found
        return found

    def response(self, request: Request, kind: str, digest: str | None, relative: str) -> Response:
        """The file, compressed if the client accepts it; immutable only under the current hash.

        `/vendor/leaflet/dist/leaflet.js` also lands here (digest "leaflet"): what is not a hash
        is the first folder of an unhashed address, served revalidated.
        """
        if digest is not None and not HASH.fullmatch(digest):
            relative, digest = f"{digest}/{relative}", None
        path = self._file(kind, relative)
        if path is None:
            raise HTTPException(404, "no such file")
        encoded = self._encoded(path)
        cache = IMMUTABLE if digest == self.digests[kind] else REVALIDATE
        return self._send(request, encoded, path.suffix.lower(), cache)

    def index(self, request: Request, data: str | None = None) -> Response:
        """index.html with hashed addresses, revalidated on every load.

        `data` (markup: the first page of observations, `orbat.serve.first_page`) goes before
        `</body>`; that page is built for this request, so it is compressed at a faster level and
        not kept."""
        if self._index is None or not self._index[0]:
            raise HTTPException(404, "the page is not installed")
        text, etag = self._index
        if data is None:
            return self._send(request, self._encoded_text(text, etag), ".html", REVALIDATE)
        at = text.rfind("</body>")
        page = (text[:at] + data + "\n" + text[at:] if at >= 0 else text + data).encode("utf-8")
        encoded = _Encoded(page, '"' + hashlib.sha256(page).hexdigest()[:16] + '"')
        return self._send(request, encoded, ".html", REVALIDATE, fast=True)

    def _encoded_text(self, text: str, etag: str) -> _Encoded:
        key = Path("/index.html")  # a key no real file resolves to inside the cache
        with self._lock:
            found = self._cache.get(key)
            if found is None or found.etag != etag:
                found = self._cache[key] = _Encoded(text.encode("utf-8"), etag)
        return found

    def _send(self, request: Request, encoded: _Encoded, suffix: str, cache: str, fast: bool = False) -> Response:
        headers = {"Cache-Control": cache, "ETag": encoded.etag, "Vary": "Accept-Encoding"}
        if request.headers.get("if-none-match") == encoded.etag:
            return Response(status_code=304, headers=headers)
        wanted = request.headers.get("range")
        if wanted:  # a piece of a large file (RELIABILITY row 39): identity bytes, never compressed
            return _ranged(wanted, encoded.raw, MEDIA_TYPES[suffix], headers)
        headers["Accept-Ranges"] = "bytes"
        body, coding = encoded.raw, _coding(request.headers.get("accept-encoding", ""), suffix, len(encoded.raw))
        if coding:
            body = encoded.variants.get(coding) or self._compress(encoded, coding, fast)
            headers["Content-Encoding"] = coding
        return Response(body, media_type=MEDIA_TYPES[suffix], headers=headers)

    def _compress(self, encoded: _Encoded, coding: str, fast: bool = False) -> bytes:
        """Files are compressed once, so at high levels; a page built per request (`fast`) at the
        levels that cost a few milliseconds (gzip 6, brotli 5)."""
        if coding == "br":
            body = brotli.compress(encoded.raw, quality=5 if fast else 9)
        else:
            body = gzip.compress(encoded.raw, compresslevel=6 if fast else 9, mtime=0)
        with self._lock:
            encoded.variants[coding] = body
        return body


def _coding(accepted: str, suffix: str, size: int) -> str | None:
    """brotli, else gzip, for text over 1 kB when the client lists it (q=0 refuses)."""
    if suffix not in COMPRESSIBLE or size < 1024:
        return None
    offered = {}
    for part in accepted.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip()] = quality
    if brotli is not None and offered.get("br", 0) > 0:
        return "br"
    if offered.get("gzip", 0) > 0:
        return "gzip"
    return None


def _digest(root: Path, files: list[Path]) -> str:
    """12 hex digits over the files' paths and contents: changes whenever any of them does."""
    h = hashlib.sha256()
    for path in sorted(set(files)):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:12]


RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _ranged(wanted: str, raw: bytes, media_type: str, headers: dict[str, str]) -> Response:
    """206 with the one byte range asked for, 416 when it lies past the end; a list of ranges or
    a malformed header gets the whole file, as HTTP allows."""
    headers = {**headers, "Accept-Ranges": "bytes"}
    found = RANGE.fullmatch(wanted.strip())
    size = len(raw)
    if not found or found.group(1) == found.group(2) == "":
        return Response(raw, media_type=media_type, headers=headers)
    first, last = found.group(1), found.group(2)
    if first == "":  # "bytes=-16": the last 16 bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return Response(raw[start : end + 1], status_code=206, media_type=media_type, headers=headers)
