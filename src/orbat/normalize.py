"""Text folding for matching: one output character per input character, so offsets survive.

Matching must treat "Kamaz 4385", "KamAZ-4385", "КамАЗ-4385" and "ΚamAZ-4385" (Greek kappa)
alike, but every record points back into the text the user can read. Folding therefore never
changes length: accents drop to their base letter, Cyrillic, Greek and Armenian letters that
look Latin become Latin, every dash becomes "-", and letters are lower-cased (the few that grow
when lowered keep their first character).
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic letters that designations borrow for their Latin look-alikes (Т-72Б3 is T-72B3).
_CYRILLIC_LOOKALIKES = {
    "а": "a", "б": "b", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "s", "т": "t", "у": "u", "х": "x", "д": "d", "л": "l", "и": "i", "г": "g",
    "з": "z", "ш": "w", "ч": "c", "й": "i", "ф": "f", "п": "p", "ц": "c", "ж": "j", "ь": "'",
    "ы": "y", "э": "e", "ю": "u", "я": "a", "ъ": "'", "щ": "w", "і": "i", "ї": "i", "є": "e",
}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
           "\u00ab": '"', "\u00bb": '"', "`": "'", "\u00b4": "'"}

# Greek capitals (and the small letters they lower to) that look like Latin ones: "Τ-72" with a
# Greek tau must match T-72. Greek is not a language the extractor reads, so nothing is lost.
_GREEK_LOOKALIKES = {
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "n", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "y", "χ": "x", "ϲ": "c", "ϳ": "j", "ѕ": "s", "ј": "j", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "һ": "h", "ӏ": "l", "օ": "o", "ս": "u", "ց": "g", "ո": "n", "ⅼ": "l",
}

#: Characters that carry no meaning but hide in names (RELIABILITY row 21); clean removes them:
#: zero-width and direction marks, bidi embeddings/overrides/isolates, soft hyphen, BOM, the
#: combining grapheme joiner, Arabic letter mark, Hangul fillers (U+115F, U+1160, U+3164,
#: U+FFA0), Khmer inherent vowels, Mongolian selectors and vowel separator, variation selectors
#: (U+FE00–FE0F and the supplementary ones) and tag characters.
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                       "\u2060-\u2064\u2066-\u2069\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f"
                       "\U000e0100-\U000e01ef]")


class _FoldTable(dict):
    """`str.translate` table that computes and caches the fold of each new character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _fold_char(char)
        self[code] = folded
        return folded


def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    if char in _DASHES:
        return "-"
    if char in _QUOTES:
        return _QUOTES[char]
    lower = char.lower()[:1] or char
    if lower in _CYRILLIC_LOOKALIKES:
        return _CYRILLIC_LOOKALIKES[lower]
    if lower in _GREEK_LOOKALIKES:
        return _GREEK_LOOKALIKES[lower]
    base = unicodedata.normalize("NFKD", lower)[:1]
    if base and base.isascii() and base.isalnum():
        return base.lower()
    if lower == "ı":
        return "i"
    if unicodedata.category(char).startswith("Z"):
        return " "
    return lower if len(lower) == 1 else char


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, accent-free, Latin-looking copy of `text` with exactly the same length."""
    return text.translate(_TABLE)


_SEPARATOR = re.compile(r"[-\s]+")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")


def alias_variants(alias: str, limit: int = 4) -> set[str]:
    """Spellings of a folded alias that differ only by separators between its parts.

    "kamaz-4385" also yields "kamaz 4385" and "kamaz4385"; "t72" yields "t-72". A joint that
    had a separator may take any of "", "-", " "; a letter-digit joint written solid may only
    gain a hyphen, so "BTR-80 a convoy" never reads as BTR-80A. Aliases with many joints get
    only the uniform variants so the automaton stays small.
    """
    base = fold(alias).strip()
    pieces: list[str] = []
    joints: list[tuple[str, ...]] = []
    for part in (p for p in _SEPARATOR.split(base) if p):
        for sub_index, sub in enumerate(x for x in _LETTER_DIGIT.split(part) if x):
            if pieces:
                joints.append(("", "-") if sub_index else ("", "-", " "))
            pieces.append(sub)
    if len(pieces) <= 1:
        return {base}
    variants = {base}
    if len(joints) <= limit:
        combos = [[pieces[0]]]
        for options, piece in zip(joints, pieces[1:], strict=True):
            combos = [c + [sep, piece] for c in combos for sep in options]
        variants.update("".join(c) for c in combos)
    else:
        variants.update(sep.join(pieces) for sep in ("", "-", " "))
    # Words must stay apart: "cap mali" must not become "capmali".
    word_pairs = _word_pairs(pieces)
    if not word_pairs:
        return variants
    return {v for v in variants if _keeps_words_apart(v, word_pairs)}


def _word_pairs(pieces: list[str]) -> list[tuple[str, str, str]]:
    """Each pair of neighbouring all-letter pieces, written solid, spaced and hyphenated; built once
    per alias rather than once per variant (the lexicon folds some 10,000 aliases at start-up)."""
    return [
        (a + b, a + " " + b, a + "-" + b)
        for a, b in zip(pieces, pieces[1:], strict=False)
        if a.isalpha() and b.isalpha()
    ]


def _keeps_words_apart(variant: str, word_pairs: list[tuple[str, str, str]]) -> bool:
    return not any(
        solid in variant and spaced not in variant and hyphenated not in variant
        for solid, spaced, hyphenated in word_pairs
    )


def is_case_sensitive(alias: str) -> bool:
    """Short acronyms ("US", "SAF", "FAMa", "CSIS") must keep their case or they hit common words."""
    letters = [c for c in alias if c.isalpha()]
    if not letters or len(alias) > 6 or " " in alias or any(c.isdigit() for c in alias):
        return False
    return sum(1 for c in letters if c.isupper()) >= 2


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
