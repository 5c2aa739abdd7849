"""Local sources: text, Markdown (with front matter), HTML files, stdin and JSONL corpora."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from orbat.acquire import SourceError
from orbat.model import SourceDocument

TEXT_SUFFIXES = {".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown",
                 ".html": "text/html", ".htm": "text/html", ".xhtml": "text/html"}

FRONT_MATTER_KEYS = {"title", "publisher", "url", "published", "language", "id"}


def content_type_for(name: str, head: bytes) -> str:
    """Pick the parser by suffix, falling back to a sniff of the first bytes for stdin."""
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return TEXT_SUFFIXES[suffix]
    sniff = head[:512].lstrip().lower()
    if sniff.startswith((b"<!doctype html", b"<html")) or b"<body" in sniff:
        return "text/html"
    return "text/plain"


def read_capped(stream, origin: str, max_bytes: int) -> bytes:
    """Read at most `max_bytes`; refuse instead of truncating so no partial text is stored."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SourceError(origin, f"larger than the {max_bytes:,}-byte cap (set ORBAT_MAX_BYTES to raise it)",
                          "too-large")
    return data


def split_front_matter(raw: bytes) -> tuple[dict[str, str], bytes]:
    """Read a `---` delimited block of `key: value` lines at the top of a Markdown note.

    Only simple scalar keys are read (no YAML engine), so a hostile note cannot do more than set
    a title; the body offsets then start after the block.
    """
    if not raw.startswith(b"---"):
        return {}, raw
    end = raw.find(b"\n---", 3)
    if end < 0:
        return {}, raw
    meta: dict[str, str] = {}
    for line in raw[3:end].decode("utf-8", "replace").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in FRONT_MATTER_KEYS:
            meta[key.strip().lower()] = value.strip().strip("'\"")
    body_start = raw.find(b"\n", end + 4)
    return meta, raw[body_start + 1:] if body_start >= 0 else b""


def from_bytes(raw: bytes, origin: str, content_type: str, **meta: str | None) -> SourceDocument:
    fields = {k: v for k, v in meta.items() if v}
    if content_type == "text/markdown":
        front, body = split_front_matter(raw)
        for key, value in front.items():
            fields.setdefault("external_id" if key == "id" else key, value)
        raw = body
    return SourceDocument(raw=raw, content_type=content_type, origin=origin, **fields)


def read_file(path: Path, max_bytes: int, **meta: str | None) -> SourceDocument:
    origin = str(path)
    try:
        with path.open("rb") as handle:
            raw = read_capped(handle, origin, max_bytes)
    except FileNotFoundError:
        raise SourceError(origin, "no such file", "not-found") from None
    except IsADirectoryError:
        raise SourceError(origin, "is a directory", "not-a-file") from None
    except PermissionError:
        raise SourceError(origin, "permission denied", "unreadable") from None
    return from_bytes(raw, origin, content_type_for(path.name, raw), **meta)


def read_stdin(max_bytes: int, **meta: str | None) -> SourceDocument:
    raw = read_capped(sys.stdin.buffer, "-", max_bytes)
    return from_bytes(raw, "-", content_type_for("-", raw), **meta)


def iter_jsonl(path: Path | str, max_bytes: int) -> Iterator[SourceDocument | SourceError]:
    """Yield one source per line; a bad line yields a `SourceError` and the corpus goes on."""
    origin_base = str(path)
    handle = sys.stdin.buffer if origin_base == "-" else open(path, "rb")  # noqa: SIM115
    try:
        for number, line in enumerate(handle, start=1):
            origin = f"{origin_base}:{number}"
            if not line.strip():
                continue
            if len(line) > max_bytes:
                yield SourceError(origin, f"line larger than the {max_bytes:,}-byte cap", "too-large")
                continue
            try:
                item = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield SourceError(origin, f"not valid JSON ({exc.__class__.__name__})", "bad-json")
                continue
            if not isinstance(item, dict):
                yield SourceError(origin, "line is not a JSON object", "bad-json")
                continue
            yield corpus_item_or_error(item, origin)
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


def corpus_item_or_error(item: dict, origin: str) -> SourceDocument | SourceError:
    """`from_corpus_item`, with any failure of one row turned into that row's error record."""
    try:
        return from_corpus_item(item, origin)
    except Exception as exc:  # one row's bug must not end the corpus
        detail = " ".join(str(exc).split())[:200]
        return SourceError(origin, f"cannot read the row ({type(exc).__name__}: {detail})", "bad-item")


#: Half of a UTF-16 pair on its own ("\ud800" in JSON): not text, and not encodable as UTF-8.
SURROGATE = re.compile("[\ud800-\udfff]")


def from_corpus_item(item: dict, origin: str) -> SourceDocument | SourceError:
    """Map a corpus row ({"id","text" or "html","url","title","publisher","published","language"}).

    A body holding a lone surrogate is refused (its raw bytes could not be kept); in the other
    columns one is replaced by U+FFFD.
    """
    html, text = item.get("html"), item.get("text")
    body = html if isinstance(html, str) and html else text
    external_id = None if item.get("id") is None else SURROGATE.sub("\ufffd", str(item["id"]))
    if not isinstance(body, str):
        return SourceError(origin, 'needs a "text" or "html" string', "bad-item", external_id)
    if bad := SURROGATE.search(body):
        return SourceError(origin, f"text holds an unpaired surrogate (U+{ord(bad.group()):04X}) at character "
                           f"{bad.start()}: not valid Unicode", "bad-text", external_id)
    meta = {k: SURROGATE.sub("\ufffd", str(item[k])) for k in ("url", "title", "publisher", "published", "language")
            if isinstance(item.get(k), str | int | float) and item.get(k) != ""}
    return SourceDocument(raw=body.encode("utf-8"),
                          content_type="text/html" if body is html else "text/plain", origin=origin,
                          external_id=external_id, **meta)
