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
    """Return (text, decoding). Refuses input that is binary rather than text."""
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
        text, decoding = _guess(raw)
    if _looks_binary(text):
        raise InputError(f"{origin}: looks like binary data, not text")
    return text, decoding


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
    """Main text, title and date of a page; scripts, styles and handlers never reach the text."""
    import trafilatura

    warnings: list[str] = []
    try:
        result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                             include_tables=True, favor_recall=True)
    except (RecursionError, ValueError, TypeError) as exc:  # pathological markup: no text, not a crash
        return "", None, None, [f"html could not be parsed ({exc.__class__.__name__})"]
    if result is None:
        return "", None, None, ["no main text found in the page"]
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text") or ""
    date = data.get("date")
    return text, data.get("title"), date if date and DATE_ISO.match(date) else None, warnings


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
    if source.content_type == "text/html":
        text, page_title, page_date, warnings = html_to_text(text)
        title = title or page_title
        published = published or page_date
    text = normalise_text(text)
    if not text.strip():
        warnings.append("document has no text")
    if not published:
        warnings.append("date_unknown: no publication date, so relative dates stay unresolved")
    return CleanDocument(id=document_id(source.raw), text=text, source=source,
                         title=title or first_line_title(text), published=published,
                         language=source.language or guess_language(text), decoding=decoding, warnings=warnings)
