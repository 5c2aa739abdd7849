"""RSS/Atom feeds and OPML feed lists, handed to a parser only after an XML pre-screen.

Why the pre-screen: feedparser does not defuse XML. Its loose parser expands entities declared
in the DOCTYPE, so a billion-laughs feed or one large entity referenced thousands of times
(quadratic blowup) eats memory, and external entities can point at local files. `screen_xml`
therefore refuses any DOCTYPE with an internal subset and any markup declaration (`<!ENTITY`,
`<!ATTLIST`, `<!ELEMENT`, `<!NOTATION`) before a parser sees the bytes, then removes the
remaining (external-only) DOCTYPE so no parser can try to load a DTD.

The screen decodes the bytes itself (BOM, UTF-16/32 patterns, declared encoding) and hands the
parser exactly the text it screened, re-encoded as UTF-8, so an encoding trick (UTF-16 without
BOM, UTF-7) cannot show the screen one text and the parser another.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import io
import logging
import re
from datetime import datetime
from email.utils import parsedate_to_datetime

import feedparser
from lxml import etree

from orbat.acquire import SourceError
from orbat.acquire.urls import canonical_url
from orbat.model import SourceDocument
from orbat.settings import Settings

log = logging.getLogger(__name__)

ENTITIES = "rejected:xml-entities"
UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")
MARKUP_DECLARATION = re.compile(r"<!\s*(ENTITY|ATTLIST|ELEMENT|NOTATION)\b", re.I)
DOCTYPE_START = re.compile(r"<!\s*DOCTYPE\b", re.I)
#: A character reference to half a UTF-16 pair (`&#55296;`, `&#xD800;`): feedparser's loose parser
#: crashes encoding it, losing every entry of the feed, so it becomes U+FFFD first.
SURROGATE_REFERENCE = re.compile(r"&#(?:0*5[5-7]\d{3}|[xX]0*[dD][89a-fA-F][0-9a-fA-F]{2});")
#: A DOCTYPE up to its end: ">" (external only), "[" (internal subset) or nothing (malformed).
DOCTYPE = re.compile(r"""<!\s*DOCTYPE(?:[^>\["']|"[^"]*"|'[^']*')*(?P<end>[>\[])?""", re.I)
ROOT = re.compile(r"<((?:[\w.-]+:)?([\w.-]+))[\s>/]")
ITEM_START = re.compile(r"<(?:[\w.-]+:)?(?:item|entry)[\s>/]")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TAG = re.compile(r"<[^>]*>")


def decode_xml(raw: bytes) -> str:
    """Decode XML bytes: BOM, then UTF-16/32 byte patterns, then the declared encoding, then
    UTF-8, then Windows-1252 (what mislabelled Western feeds usually are)."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding, "replace")
    wide = _wide_encoding(raw[:16])
    if wide:
        return raw.decode(wide, "replace")
    declared = DECLARED_ENCODING.match(raw)
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8"]:
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("windows-1252", "replace")


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, told by where the NUL bytes of ASCII markup fall."""
    if len(head) < 4 or b"\x00" not in head:
        return None
    quads = [head[i:i + 4] for i in range(0, len(head) - 3, 4)]
    if all(q[:3] == b"\x00\x00\x00" for q in quads):
        return "utf-32-be"
    if all(q[1:] == b"\x00\x00\x00" for q in quads):
        return "utf-32-le"
    if all(b == 0 for b in head[0::2]):
        return "utf-16-be"
    if all(b == 0 for b in head[1::2]):
        return "utf-16-le"
    return None


def screen_xml(raw: bytes, origin: str) -> str:
    """The document as text a parser may read, or `SourceError('rejected:xml-entities')`."""
    text = decode_xml(raw)
    if "\x00" in text:  # never valid in XML; a wide encoding read as UTF-8 would hide markup
        raise SourceError(origin, "not XML text (contains NUL characters)", "bad-encoding")
    found = MARKUP_DECLARATION.search(text)
    if found:
        raise SourceError(origin, f"rejected: XML declares <!{found.group(1).upper()}> (entity expansion "
                          "and external entities are never parsed)", ENTITIES)
    start = DOCTYPE_START.search(text)
    if start is None:
        return XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1).lstrip()
    if DOCTYPE_START.search(text, start.end()):
        raise SourceError(origin, "rejected: more than one DOCTYPE", ENTITIES)
    doctype = DOCTYPE.match(text, start.start())
    if doctype is None or doctype.group("end") != ">":
        what = "an internal subset" if doctype and doctype.group("end") == "[" else "a malformed declaration"
        raise SourceError(origin, f"rejected: DOCTYPE with {what} (entities are never parsed)", ENTITIES)
    text = text[:doctype.start()] + text[doctype.end():]
    return XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1).lstrip()


def sniff_xml_kind(raw: bytes) -> str | None:
    """"feed" for RSS/Atom/RDF, "opml" for OPML, None otherwise, from the root element name."""
    head = decode_xml(raw[:4096]) if raw[:4096].strip() else ""
    head = re.sub(r"<\?.*?\?>|<!--.*?-->|<!\s*DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", "", head, flags=re.S)
    root = ROOT.search(head)
    if root is None or head[:root.start()].strip():
        return None
    name = root.group(2).lower()
    return "feed" if name in ("rss", "feed", "rdf") else "opml" if name == "opml" else None


def _truncate_items(text: str, limit: int) -> str:
    """Cut the feed before item `limit + 1` so feedparser never builds 100k entries.

    feedparser keeps every entry in memory (about 1.4 KB each, and 5 s for 100k items); the
    cut closes the root element, and feedparser's loose parser copes with what is left.
    """
    starts = ITEM_START.finditer(text)
    cut = next((m.start() for n, m in enumerate(starts) if n == limit), None)
    root = ROOT.search(text)
    if cut is None or root is None:
        return text
    closing = f"</channel></{root.group(1)}>" if root.group(2).lower() == "rss" else f"</{root.group(1)}>"
    return text[:cut] + closing


def read_feed(raw: bytes, origin: str, settings: Settings, *, base_url: str | None = None,
              retrieved: str | None = None) -> list[SourceDocument | SourceError]:
    """Parse an RSS or Atom feed into one `SourceDocument` per entry (a `SourceError` for an
    entry that cannot be read, so the others still come through).

    At most `settings.feed_max_items` entries are kept; entries repeating a GUID or the same
    content are dropped. An undated entry keeps `published=None` (the caller records it as
    date-unknown). Entry HTML is feedparser's sanitized HTML; text declared plain stays
    `text/plain`, so markup inside it is only ever shown as text.
    """
    text = _truncate_items(screen_xml(raw, origin), 2 * settings.feed_max_items)
    text = SURROGATE_REFERENCE.sub(_replacement, text)
    headers = {"content-type": "application/xml; charset=utf-8"}
    if base_url:
        headers["content-location"] = base_url
    # A file object, never bytes or str: feedparser treats a str as a URL or a file name.
    parsed = feedparser.parse(io.BytesIO((UTF8_DECLARATION + text).encode("utf-8")),
                              response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        raise SourceError(origin, f"not an RSS or Atom feed{detail}", "bad-feed")
    publisher = _plain(parsed.feed.get("title"), parsed.feed.get("title_detail")) or None
    return _entries(parsed.entries, origin, settings.feed_max_items, publisher, retrieved)


def _replacement(match: re.Match[str]) -> str:
    """U+FFFD for a reference into the surrogate range (55296-57343); others stay."""
    reference = match.group(0)[2:-1]
    number = int(reference[1:], 16) if reference[0] in "xX" else int(reference)
    return "&#xFFFD;" if 0xD800 <= number <= 0xDFFF else match.group(0)


def _entries(entries: list, origin: str, cap: int, publisher: str | None,
             retrieved: str | None) -> list[SourceDocument | SourceError]:
    documents: list[SourceDocument | SourceError] = []
    seen_ids: set[str] = set()
    seen_hashes: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        if len(documents) >= cap:
            log.warning("%s: kept the first %d entries (ORBAT_FEED_MAX_ITEMS)", origin, cap)
            break
        try:
            document = _entry_document(entry, f"{origin}#item-{index}", publisher, retrieved)
        except Exception as exc:  # one entry's failure is that entry's error record, not the feed's
            documents.append(SourceError(f"{origin}#item-{index}", f"cannot read the entry ({type(exc).__name__})",
                                         "bad-entry", str(entry.get("id") or "") or None))
            continue
        if document is None:
            log.info("%s#item-%d: entry has no text and no title; skipped", origin, index)
            continue
        digest = hashlib.sha256(document.raw).hexdigest()
        if document.external_id in seen_ids or digest in seen_hashes:
            continue
        if document.external_id:
            seen_ids.add(document.external_id)
        seen_hashes.add(digest)
        documents.append(document)
    return documents


def _entry_document(entry, origin: str, publisher: str | None,
                    retrieved: str | None) -> SourceDocument | None:
    title = _plain(entry.get("title"), entry.get("title_detail")) or None
    body = _entry_body(entry)
    if body is None:
        if not title:
            return None
        body = (title, "text/plain")
    link = entry.get("link")
    guid = entry.get("id") or None
    return SourceDocument(raw=body[0].encode("utf-8"), content_type=body[1], origin=origin,
                          url=canonical_url(link) if link else None, title=title, publisher=publisher,
                          published=_entry_date(entry), retrieved=retrieved,
                          external_id=str(guid) if guid else None)


def _entry_body(entry) -> tuple[str, str] | None:
    """The entry's fullest text: its content, else its summary, with the type it declares."""
    details = list(entry.get("content") or [])
    if entry.get("summary_detail"):
        details.append(entry["summary_detail"])
    for detail in details:
        value = (detail.get("value") or "").strip()
        if value:
            return value, "text/html" if detail.get("type") in HTML_TYPES else "text/plain"
    return None


def _plain(value: str | None, detail=None) -> str:
    """A title as plain text: tags removed and entities decoded when it was declared HTML."""
    if not value:
        return ""
    if detail is not None and detail.get("type") in HTML_TYPES:
        value = html.unescape(TAG.sub("", value))
    return " ".join(value.split())


def _entry_date(entry) -> str | None:
    """The publication date as the source wrote it (its local day), ISO `YYYY-MM-DD`.

    The date text is read first because feedparser's parsed form is converted to UTC, which can
    move an article published at 01:00 +03:00 to the previous day.
    """
    # dict.get, not entry.get: feedparser's own lookup maps "published" to "updated" with a warning.
    for key in ("published", "updated", "created"):
        value = dict.get(entry, key)
        if isinstance(value, str) and (day := _date_from_text(value)):
            return day
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = dict.get(entry, key)
        if parsed:
            return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return None


def _date_from_text(text: str) -> str | None:
    text = text.strip()
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def read_opml(raw: bytes, origin: str, *, max_feeds: int = 1000) -> list[str]:
    """The feed URLs (`xmlUrl`) listed in an OPML document, in order, without duplicates.

    Parsed by lxml after the same pre-screen, with entity resolution, DTD loading and network
    access all off.
    """
    text = screen_xml(raw, origin)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_pis=True)
    try:
        root = etree.fromstring((UTF8_DECLARATION + text).encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(origin, f"not valid OPML ({exc})", "bad-opml") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "opml":
        raise SourceError(origin, "not an OPML document (root element is not <opml>)", "bad-opml")
    urls: dict[str, None] = {}
    for outline in root.iter("{*}outline"):
        url = next((v.strip() for k, v in outline.attrib.items() if k.lower() == "xmlurl" and v.strip()),
                   None)
        if url:
            urls.setdefault(url)
        if len(urls) >= max_feeds:
            log.warning("%s: kept the first %d feeds", origin, max_feeds)
            break
    return list(urls)
