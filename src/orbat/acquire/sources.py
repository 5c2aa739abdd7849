"""Dispatch what the user points at (stdin, folders, files, corpora, feeds, URLs) to its reader.

`iter_sources` never stops at a bad source: each failure is yielded as a `SourceError` naming
the input and the reason, and the batch goes on; the caller reports them and exits non-zero.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from orbat.acquire import SourceError
from orbat.acquire.corpora import iter_csv, iter_parquet
from orbat.acquire.feeds import read_feed, read_opml, sniff_xml_kind
from orbat.acquire.files import (
    TEXT_SUFFIXES,
    content_type_for,
    iter_jsonl,
    read_capped,
    read_file,
    read_stdin,
)
from orbat.acquire.netguard import Resolver
from orbat.acquire.web import fetch_url
from orbat.model import SourceDocument
from orbat.settings import Settings

Item = SourceDocument | SourceError
log = logging.getLogger(__name__)

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
OPML_TYPES = frozenset({"text/x-opml", "application/xml+opml", "text/x-opml+xml"})
#: Served types that may hold a feed or OPML and are sniffed by their root element.
SNIFFED_TYPES = frozenset({"application/xml", "text/xml", "application/octet-stream", "text/plain", ""})


def iter_sources(targets: Iterable[str], settings: Settings, *,
                 resolver: Resolver | None = None) -> Iterator[Item]:
    """Yield a `SourceDocument` per document found in `targets`, or a `SourceError` per failure.

    A target is "-" (stdin), a folder (walked recursively, sorted, hidden entries skipped), a
    file (by suffix: .jsonl/.ndjson, .csv, .parquet, .opml, .xml/.rss/.atom feeds, else a text,
    Markdown or HTML document), or an http(s) URL (a page, a feed's entries, or an OPML list's
    feeds). `resolver` replaces DNS for tests.
    """
    for target in targets:
        yield from _guard(target, _dispatch(target, settings, resolver))


def _guard(origin: str, items: Iterator[Item]) -> Iterator[Item]:
    """Turn a reader's exception into a `SourceError` item so the batch goes on."""
    try:
        yield from items
    except SourceError as exc:
        yield exc
    except OSError as exc:
        yield SourceError(origin, f"cannot read ({exc.strerror or exc})", "unreadable")
    except Exception as exc:  # a reader's bug costs its own target, not the batch
        log.exception("%s: reader failed", origin)
        detail = " ".join(str(exc).split())[:200]
        yield SourceError(origin, f"cannot read ({type(exc).__name__}: {detail})", "error")


def _dispatch(target: str, settings: Settings, resolver: Resolver | None) -> Iterator[Item]:
    if target == "-":
        yield read_stdin(settings.max_document_bytes)
        return
    path = Path(target)
    if SCHEME.match(target) and not path.exists():
        yield from _from_url(target, settings, resolver)
    elif path.is_dir():
        yield from _walk(path, settings)
    elif path.exists():
        yield from _from_file(path, settings, resolver)
    else:
        raise SourceError(target, "no such file or folder, and not an http(s) URL", "not-found")


def _walk(folder: Path, settings: Settings) -> Iterator[Item]:
    """Every text, Markdown and HTML file under `folder`, in sorted order, hidden ones skipped.

    Symbolic links (to files or folders) are reported and skipped unless `settings.follow_symlinks`:
    a link in a shared folder could otherwise feed `/etc/passwd` or a private key into the
    knowledge base. When they are followed, a folder already visited (a link back up the tree)
    is not walked twice.
    """
    follow = settings.follow_symlinks
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=follow):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            if os.path.islink(os.path.join(root, name)) and not follow:
                yield _skipped_link(Path(root) / name)
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() not in TEXT_SUFFIXES:
                continue
            path = Path(root) / name
            if path.is_symlink() and not follow:
                yield _skipped_link(path)
                continue
            yield from _guard(str(path), _one_file(path, settings.max_document_bytes))


def _skipped_link(path: Path) -> SourceError:
    return SourceError(str(path), "symbolic link not followed (pass --follow-symlinks to read it)",
                       "skipped:symlink")


ARCHIVE_SUFFIXES = {".zip", ".kmz", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar"}


def _one_file(path: Path, cap: int) -> Iterator[Item]:
    yield read_file(path, cap)


def _from_file(path: Path, settings: Settings, resolver: Resolver | None) -> Iterator[Item]:
    suffix = path.suffix.lower()
    cap = settings.max_document_bytes
    if suffix in (".jsonl", ".ndjson"):
        yield from iter_jsonl(path, cap)
    elif suffix == ".csv":
        yield from iter_csv(path, cap)
    elif suffix == ".parquet":
        yield from iter_parquet(path, cap)
    elif suffix in ARCHIVE_SUFFIXES:
        # Never unpacked: no ratio, member-count or path checks are needed for what is never opened.
        yield SourceError(str(path), "archives are not read; unpack it and ingest the files", "unsupported:archive")
    elif suffix == ".opml" or suffix in FEED_SUFFIXES:
        raw = _read_local(path, cap)
        if suffix == ".opml" or sniff_xml_kind(raw) == "opml":
            for feed_url in read_opml(raw, str(path)):
                yield from _guard(feed_url, _from_url(feed_url, settings, resolver, feed_only=True))
        else:
            yield from read_feed(raw, str(path), settings)
    else:
        yield read_file(path, cap)


def _read_local(path: Path, cap: int) -> bytes:
    with path.open("rb") as handle:
        return read_capped(handle, str(path), cap)


def _from_url(url: str, settings: Settings, resolver: Resolver | None, *,
              feed_only: bool = False) -> Iterator[Item]:
    """A fetched page is one document; a feed gives its entries; an OPML list, its feeds'.

    `feed_only` is set for URLs listed in OPML: they must be feeds (an OPML pointing at more
    OPML is refused, so a list cannot make orbat crawl).
    """
    document = fetch_url(url, settings, resolver=resolver)
    kind = _kind(document)
    if kind == "feed":
        yield from read_feed(document.raw, url, settings, base_url=document.url, retrieved=document.retrieved)
    elif feed_only:
        raise SourceError(url, f"listed in OPML but not a feed ({document.content_type})", "bad-feed")
    elif kind == "opml":
        for feed_url in read_opml(document.raw, url):
            yield from _guard(feed_url, _from_url(feed_url, settings, resolver, feed_only=True))
    elif kind == "document":
        yield document
    else:
        raise SourceError(url, f"unsupported content type {document.content_type}", "unsupported-type")


def _kind(document: SourceDocument) -> str | None:
    """"feed", "opml", "document" (content_type set to a document type) or None (unsupported)."""
    media_type = document.content_type
    if media_type in FEED_TYPES:
        return "feed"
    if media_type in OPML_TYPES:
        return "opml"
    if media_type in SNIFFED_TYPES or media_type.endswith("+xml"):
        sniffed = sniff_xml_kind(document.raw)
        if sniffed:
            return sniffed
    if media_type in ("text/html", "text/plain", "text/markdown"):
        return "document"
    if media_type in ("", "application/octet-stream"):
        document.content_type = content_type_for(urlsplit(document.url or "").path, document.raw)
        return "document"
    return None
