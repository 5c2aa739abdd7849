"""Clean: raw bytes to the text the extractor reads, recording every decision.

Decoding never fails: UTF-8 first, then byte-order marks, then charset detection, then
Windows-1252 with replacement; which one was used is kept with the document. HTML goes through
trafilatura (no fetching) and is never rendered: the output is plain text. Invisible and
direction-override characters are removed so matching sees what a reader sees.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from orbat.errors import InputError
from orbat.model import CleanDocument, SourceDocument
from orbat.normalize import INVISIBLE

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
DATE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def document_id(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def decode(raw: bytes, origin: str) -> tuple[str, str]:
    """Return (text, decoding). Refuses input that is binary rather than text.

    A file that is UTF-8 apart from a few bad bytes stays UTF-8 (`_mostly_utf8`): reading it all
    as Windows-1252 would turn every accented letter into mojibake to save a handful of bytes.
    """
    for mark, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be")):
        if raw.startswith(mark):  # before UTF-16: FF FE 00 00 also starts like a UTF-16 mark
            return raw[len(mark):].decode(codec, "replace"), "utf-32"
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", "replace"), "utf-16"
    utf16 = _utf16_without_mark(raw)
    if utf16:
        return raw.decode(utf16, "replace"), f"{utf16} (guessed: no byte-order mark)"
    try:
        text = raw.decode("utf-8")
        decoding = "utf-8"
    except UnicodeDecodeError:
        text, decoding = _mostly_utf8(raw) or _guess(raw)
    if _looks_binary(text):
        raise InputError(f"{origin}: looks like binary data, not text")
    return text, decoding


#: Marks the decoding string of a file read as UTF-8 despite invalid bytes; `clean` turns it into a warning.
REPAIRED = "utf-8 with invalid bytes"


def _mostly_utf8(raw: bytes) -> tuple[str, str] | None:
    """UTF-8 line by line when valid multi-byte sequences outnumber the invalid bytes, else None.

    A line with invalid bytes but no valid multi-byte sequence is a pasted Windows-1252 line and
    is read as such; a line with both keeps UTF-8 and gets U+FFFD for the bad bytes.
    """
    loose = raw.decode("utf-8", "surrogateescape")
    invalid = sum(1 for c in loose if "\udc80" <= c <= "\udcff")
    valid = sum(1 for c in loose if c > "\x7f" and not "\udc80" <= c <= "\udcff")
    if valid <= invalid:
        return None
    lines, western, replaced = [], 0, 0
    for line in raw.splitlines(keepends=True):
        try:
            lines.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        as_utf8 = line.decode("utf-8", "surrogateescape")
        if all(c < "\x80" or "\udc80" <= c <= "\udcff" for c in as_utf8):
            lines.append(line.decode("cp1252", "replace"))
            western += 1
        else:
            lines.append(line.decode("utf-8", "replace"))
            replaced += 1
    return "".join(lines), (f"{REPAIRED} ({invalid} bytes in {western + replaced} lines: {western} read as "
                            f"cp1252, {replaced} with U+FFFD)")


def _utf16_without_mark(raw: bytes) -> str | None:
    """Latin text in UTF-16 has a zero byte in every other position; binary data does not."""
    sample = raw[:4096]
    if len(sample) < 8:
        return None
    nul_even, nul_odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if nul_odd > half * 0.6 and nul_even < half * 0.05:
        return "utf-16-le"
    if nul_even > half * 0.6 and nul_odd < half * 0.05:
        return "utf-16-be"
    return None


# Detectors cannot tell Western European code pages apart on short texts; reports in our
# languages (English, French) are far more often Windows-1252 than Central European.
LATIN_FAMILY = {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_15", "iso8859_9",
                "iso8859_13", "iso8859_4", "mac_roman", "mac_latin2", "cp850", "cp437"}


def _guess(raw: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200_000]).best()
    if best is not None and best.encoding not in {"utf_8", "ascii"} and best.encoding not in LATIN_FAMILY:
        return raw.decode(best.encoding, "replace"), f"{best.encoding} (detected)"
    return raw.decode("cp1252", "replace"), "cp1252 (invalid UTF-8; Western code page assumed)"


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    bad = len(BAD_CHARACTER.findall(sample))
    return bad > max(8, len(sample) // 10)


def normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return CONTROL.sub(" ", text)


def html_to_text(html: str) -> tuple[str, str | None, str | None, list[str]]:
    """Main text, title and date of a page; scripts, styles and handlers never reach the text.

    trafilatura looks for an article and finds none in a short page or a feed entry's fragment
    ("<p>Russia delivered 12 T-72B3 tanks.</p>"); then the page's visible text is used instead,
    and the warning says so.
    """
    import trafilatura

    warnings: list[str] = []
    try:
        result = trafilatura.bare_extraction(_without_raw_text(html), with_metadata=True, include_comments=False,
                                             include_tables=True, favor_recall=True)
    except (RecursionError, ValueError, TypeError) as exc:  # pathological markup: no text, not a crash
        return "", None, None, [f"html could not be parsed ({exc.__class__.__name__})"]
    data = {} if result is None else result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text") or ""
    date = data.get("date")
    if not text.strip():
        text = visible_text(html)
        warnings.append("no main text found in the page; its visible text was used" if text.strip()
                        else "no main text found in the page")
    return text, data.get("title"), date if date and DATE_ISO.match(date) else None, warnings


#: Elements whose content the HTML parser keeps as raw text: "<script>" inside an <iframe> is
#: text to it, and trafilatura would hand it on as if a reader saw it (RELIABILITY row 12).
RAW_TEXT = ("script", "style", "iframe", "noscript", "noembed", "noframes", "template", "xmp", "plaintext",
            "textarea", "object", "embed", "svg", "math")


def _without_raw_text(html: str):
    """The page as an lxml tree without raw-text and embedded elements (tails kept); the string if it
    does not parse, so trafilatura reports that itself."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.LxmlError, ValueError, TypeError):
        return html
    for element in list(root.iter(*RAW_TEXT)):
        if element.getparent() is not None:
            element.drop_tree()
    return root


#: Elements whose content a reader never sees as text.
HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg",
                    "math", "canvas", "select", "button", "textarea"})
BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
                    "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "figcaption"})


def visible_text(html: str) -> str:
    """The text a browser would show, one block per line; markup and hidden elements dropped.

    Walks the tree without recursion (a 50,000-deep page cannot exhaust the stack); never raises.
    """
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (lxml.etree.LxmlError, ValueError, TypeError):
        return ""
    parts: list[str] = []
    skip_until: object = None
    for event, element in lxml.etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if skip_until is not None:
            if event == "end" and element is skip_until:
                skip_until = None
                parts.append(element.tail or "")
            continue
        if event in ("comment", "pi") or not tag:  # no text of its own, but a tail
            parts.append(element.tail or "")
            continue
        if event == "start":
            if tag.lower() in HIDDEN:
                skip_until = element
                continue
            parts.append(("\n" if tag.lower() in BLOCKS else "") + (element.text or ""))
        else:
            parts.append(("\n" if tag.lower() in BLOCKS else "") + (element.tail or ""))
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


ENGLISH = frozenset("the and of to in is was were with for on that by from has have are".split())
FRENCH = frozenset("le la les des est une dans pour avec sur du au aux sont été par qui que".split())


def guess_language(text: str) -> str | None:
    """English or French from function words; None when the sample says too little.

    The cue lists and month names cover both, so the guess only labels the record.
    """
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ]+", text[:5000].lower())
    english = sum(1 for w in words if w in ENGLISH)
    french = sum(1 for w in words if w in FRENCH)
    if english + french < 5:
        return None
    return "fr" if french > english else "en"


def first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 200 else None
    return None


def clean(source: SourceDocument) -> CleanDocument:
    text, decoding = decode(source.raw, source.origin)
    title, published, warnings = source.title, source.published, []
    if decoding.startswith(REPAIRED):
        warnings.append(f"decoding: {decoding}")
    if source.content_type == "text/html":
        text, page_title, page_date, page_warnings = html_to_text(text)
        warnings += page_warnings
        title = title or page_title
        published = published or page_date
    text = normalise_text(text)
    title = " ".join(normalise_text(title).split()) if title else title  # no U+202E reversing a listing
    if not text.strip():
        warnings.append("document has no text")
    if not published:
        warnings.append("date_unknown: no publication date, so relative dates stay unresolved")
    return CleanDocument(id=document_id(source.raw), text=text, source=source,
                         title=title or first_line_title(text), published=published,
                         language=source.language or guess_language(text), decoding=decoding, warnings=warnings)
