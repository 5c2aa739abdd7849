"""Content-Encoding decoders that never produce more than the caller's remaining byte budget.

Why not httpx's own decoding: httpx decompresses each network chunk in one call with no output
limit, so a 64 KB chunk of a gzip bomb becomes ~64 MB in memory and a brotli bomb far more
before anyone can count it. These decoders ask zlib/brotli/zstd for at most `budget + 1` bytes
per call, so the byte cap counts decompressed bytes and memory stays bounded by the cap.

Brotli and zstd are optional: when their library is missing they are not advertised in
Accept-Encoding, and a server that sends them anyway is refused (fail closed) rather than
having its compressed bytes stored as the document.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

try:  # brotli >= 1.2 has the output limit this module needs
    import brotli
    if "output_buffer_limit" not in (brotli.Decompressor.process.__doc__ or ""):
        brotli = None
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

try:
    from backports.zstd import ZstdDecompressor, ZstdError
except ImportError:  # pragma: no cover - depends on the environment
    ZstdDecompressor = None
    ZstdError = ValueError


GZIP_MAGIC = b"\x1f\x8b"


class BudgetExceeded(Exception):
    """More decoded bytes than the budget allows."""


class DecodeError(Exception):
    """The body is not valid data for its Content-Encoding."""


class UnsupportedEncoding(Exception):
    """A Content-Encoding we cannot decode within a bounded budget."""


class _ZlibDecoder:
    """gzip (wbits 16+MAX) or deflate (zlib wrapper, falling back to raw deflate like browsers)."""

    def __init__(self, wbits: int):
        self.wbits = wbits
        self.obj = zlib.decompressobj(wbits)
        self.started = False

    def decode(self, data: bytes, budget: int) -> bytes:
        out = bytearray()
        while data or (self.obj.eof and self.obj.unused_data):
            if self.obj.eof:
                # A concatenated gzip stream starts a new member; anything else after the end
                # of the stream is trailing padding, ignored as browsers do.
                data = self.obj.unused_data + data
                if not (self.wbits > zlib.MAX_WBITS and data.startswith(GZIP_MAGIC)):
                    return bytes(out)
                self.obj = zlib.decompressobj(self.wbits)
            try:
                out += self.obj.decompress(data, budget - len(out) + 1)
            except zlib.error as exc:
                if self.started or self.wbits != zlib.MAX_WBITS:
                    raise DecodeError(str(exc)) from None
                self.wbits, self.obj = -zlib.MAX_WBITS, zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self.started = True
            if len(out) > budget:
                raise BudgetExceeded
            data = b""
        return bytes(out)

    def flush(self, budget: int) -> bytes:
        out = self.obj.flush()
        if len(out) > budget:
            raise BudgetExceeded
        return out


class _BrotliDecoder:
    def __init__(self):
        self.obj = brotli.Decompressor()

    def decode(self, data: bytes, budget: int) -> bytes:
        try:
            out = self.obj.process(data, output_buffer_limit=budget + 1)
        except brotli.error as exc:
            raise DecodeError(str(exc)) from None
        # Output left inside the decoder means the limit was reached: the total is over budget.
        if len(out) > budget or not self.obj.can_accept_more_data():
            raise BudgetExceeded
        return out

    def flush(self, budget: int) -> bytes:
        return b""


class _ZstdDecoder:
    def __init__(self):
        self.obj = ZstdDecompressor()

    def decode(self, data: bytes, budget: int) -> bytes:
        out = bytearray()
        while data or (self.obj.eof and self.obj.unused_data):
            if self.obj.eof:  # the next frame of a multi-frame stream
                data, self.obj = self.obj.unused_data + data, ZstdDecompressor()
            try:
                out += self.obj.decompress(data, budget - len(out) + 1)
            except ZstdError as exc:
                raise DecodeError(str(exc)) from None
            if len(out) > budget:
                raise BudgetExceeded
            data = b""
        return bytes(out)

    def flush(self, budget: int) -> bytes:
        return b""


DECODERS: dict[str, Callable[[], object]] = {
    "gzip": lambda: _ZlibDecoder(16 + zlib.MAX_WBITS),
    "x-gzip": lambda: _ZlibDecoder(16 + zlib.MAX_WBITS),
    "deflate": lambda: _ZlibDecoder(zlib.MAX_WBITS),
}
if brotli is not None:
    DECODERS["br"] = _BrotliDecoder
if ZstdDecompressor is not None:
    DECODERS["zstd"] = _ZstdDecoder

ACCEPT_ENCODING = ", ".join(name for name in ("gzip", "deflate", "br", "zstd") if name in DECODERS)


class BoundedDecoder:
    """Applies the response's Content-Encoding chain and keeps the decoded total under `cap`."""

    def __init__(self, content_encoding: str | None, cap: int):
        names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        unknown = [n for n in names if n not in DECODERS]
        if unknown:
            raise UnsupportedEncoding(", ".join(unknown))
        # Encodings are listed in the order they were applied; undo them last-first.
        self.chain = [DECODERS[n]() for n in reversed(names)]
        self.cap = cap
        self.total = 0

    def decode(self, data: bytes) -> bytes:
        for decoder in self.chain:
            data = decoder.decode(data, self.cap - self.total)
        return self._count(data)

    def flush(self) -> bytes:
        data = b""
        for decoder in self.chain:
            if data:
                data = decoder.decode(data, self.cap - self.total)
            data += decoder.flush(self.cap - self.total)
        return self._count(data)

    def _count(self, data: bytes) -> bytes:
        self.total += len(data)
        if self.total > self.cap:
            raise BudgetExceeded
        return data
