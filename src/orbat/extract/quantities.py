"""Quantities written before a system or class: "seven", "at least five", "over 50", "a dozen".

Vague words take ACLED's documented values ("several" 3, "dozens" 12, "hundreds" 100) and
are marked approximate, so counts stay comparable with hand-coded data sets.
"""

from __future__ import annotations

import re

from orbat.extract.alternations import first_letter_alternation
from orbat.model import Quantity

WORDS = {
    "one": 1, "a single": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a hundred": 100, "one hundred": 100, "a pair of": 2, "a couple of": 2, "pair of": 2, "both": 2,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six ": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "cinquante": 50,
    "cent": 100,
}
VAGUE = {
    "a dozen": 12, "dozen": 12, "une douzaine de": 12, "une douzaine d'": 12, "a few": 3, "few": 3,
    "several": 3, "plusieurs": 3, "quelques": 3, "dozens of": 12, "dozens": 12, "des dizaines de": 12,
    "scores of": 20, "hundreds of": 100, "hundreds": 100, "des centaines de": 100, "numerous": 3,
    "a handful of": 3, "a number of": 3,
}
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)"




def _longest_first_grouped(words: list[str]) -> str:
    """`re.I` alternation of the words, longest first, grouped by first letter (at every word start
    of a count's window `re` then tries one group, not every word)."""
    return first_letter_alternation(sorted(words, key=lambda w: len(re.escape(w)), reverse=True), ignore_case=True)


_WORD_ALT = _longest_first_grouped([w.strip() for w in WORDS])
_VAGUE_ALT = _longest_first_grouped(list(VAGUE))
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_COMPOUND = rf"(?:{'|'.join(TENS)})[-\s](?:{'|'.join(UNITS)})(?![\w-])"  # "twenty-five"
VALUE = rf"(?:{NUMBER}|{_COMPOUND}|{_WORD_ALT})"
_FILLER = r"(?:\s+(?:[A-Za-z'’-]+ly|new|more|additional|other|further|modernised|modernized|upgraded|" \
          r"russian|soviet-era|[a-z]+-(?:made|built|manufactured|designed|produced|supplied)" \
          r"(?:\s+(?-i:[A-Z][a-z]+))?|" \
          r"used|second-hand|armoured|armored|heavy|light|main|battle|military|of\s+the|of|its|their|nouveaux|" \
          r"nouvelles|supplémentaires|de|d'|des|type|types|modèle|version))*"
# French puts the category noun between the count and the designation: "18 avions Rafale",
# "trois chars Leclerc", "2 hélicoptères de type Caracal". The count is the designation's. English
# inventories written the same way ("24 artillery systems PzH 2000") take it too.
_CATEGORY_NOUNS = r"(?:avions?|chasseurs?|hélicoptères?|chars?|véhicules?|blindés?|navires?|frégates?|" \
                  r"bâtiments?|sous-marins?|canons?|obusiers?|camions?|drones?|systèmes?|batteries|batterie|" \
                  r"lance-roquettes|engins?|appareils?|avions? de chasse|avions? ravitailleurs?|ravitailleurs?|" \
                  r"(?:artillery\s+)?systems?|aircraft|helicopters?|tanks?)"
_CATEGORY = rf"(?:\s+{_CATEGORY_NOUNS})?"
ARTICLE_BEFORE = re.compile(r"(?:^|[\s,;:(])une?\s+$", re.I)
CATEGORY_AT = re.compile(rf"{_CATEGORY_NOUNS}\s", re.I)
TAIL = re.compile(
    rf"(?P<q>(?:(?P<min>at least|au moins|no fewer than|not less than|a minimum of)\s+(?P<v1>{VALUE})"
    rf"|(?P<over>over|more than|plus de|upwards of|in excess of)\s+(?P<v2>{VALUE})"
    rf"|(?P<approx>about|around|approximately|roughly|some|nearly|almost|close to|an estimated|environ|près de|"
    rf"une quarantaine de|up to|jusqu'à)\s+(?P<v3>{VALUE})"
    rf"|(?P<lo>{VALUE})\s*(?:to|-|–|or|à|ou)\s*(?P<hi>{VALUE})"
    rf"|between\s+(?P<b1>{VALUE})\s+and\s+(?P<b2>{VALUE})"
    rf"|(?P<dozens>{VALUE})\s+dozen"
    rf"|(?P<vague>{_VAGUE_ALT})"
    rf"|(?P<v4>{VALUE})(?P<ormore>\s+or\s+more)?)){_CATEGORY}{_FILLER}\s*",
    re.I,
)


def value_of(word: str) -> int | None:
    word = word.strip().lower()
    if re.fullmatch(NUMBER, word):
        return int(word.replace(",", ""))
    tens, _, unit = re.sub(r"[-\s]+", " ", word).partition(" ")
    if tens in TENS and unit in UNITS:
        return WORDS[tens] + WORDS[unit]
    return WORDS.get(word)


# Every quantity holds a digit or one of these words; most mentions have none nearby.
COUNT_WORDS = {w for phrase in (*WORDS, *VAGUE) for w in phrase.split()} - {"a", "of", "de", "une", "un", "des", "d'"}
_WORD = re.compile(r"[\w'’-]+")


PART_OF_DESIGNATION = re.compile(r"(?:[\d.,:/-]|\b(?:t|su|mi|mig|btr|bmp|f|no\.|number)\s*)$", re.I)


PARTITIVE = re.compile(rf"(?:\b(?P<v>{VALUE})|\bl['’]une?)\s+"
                       rf"(?:of(?:\s+(?:the|its|their|these|those))?|des|d['’]entre\s+les|parmi\s+les)\s+$", re.I)


def quantity_before(text: str, start: int, window: int = 60) -> Quantity | None:
    """The quantity ending right before `start` (only fillers such as "new" in between).

    The pattern is tried as a full match from each word start in the window, earliest first
    (the longest reading wins), and only when one of those words can begin a count at all.
    """
    left = text[max(0, start - window):start]
    left = left[left.rfind("\n") + 1:]  # a line break ends a sentence: no count from the line above
    if ARTICLE_BEFORE.search(left) and CATEGORY_AT.match(text, start):
        return Quantity(1, 1, False, left.split()[-1])  # "un char Leclerc": the article counts one
    words = list(_WORD.finditer(left))
    if not any(w.group(0)[0].isdigit() or set(w.group(0).lower().split("-")) & COUNT_WORDS for w in words):
        return None
    for word in words:
        m = TAIL.fullmatch(left, word.start())
        if m and m.group("q"):
            before = left[:m.start()]
            if PART_OF_DESIGNATION.search(before):
                return None  # part of a designation or a longer number
            part = PARTITIVE.search(before)
            if part:  # "one of the 14 Challenger 2 tanks": the fact is about one of them
                v = (value_of(part.group("v")) if part.group("v") else None) or 1
                return Quantity(v, v, False, part.group(0).strip() + " " + m.group("q").strip())
            return _build(m)
    return None


PARTITIVE_TOTAL = re.compile(rf"\bof(?:\s+(?:the|its|their|these|those))?\s+(?P<whole>{VALUE})$", re.I)


def whole_of(quantity: Quantity) -> Quantity | None:
    """The total of a partitive count: 116 of "the first 14 of 116 tanks", which an order counts."""
    m = PARTITIVE_TOTAL.search(quantity.text or "")
    value = value_of(m.group("whole")) if m else None
    return Quantity(value, value, False, m.group("whole")) if value else None


# "An Air Force C-17 Globemaster III and a C-130 Hercules prepare for takeoff": an article, at
# most a few capitalised words (the operator) between it and a designation, counts one. Not
# when the designation names a unit, a programme or a deal ("a Patriot battery", "an F-35 order"),
# or begins another name ("a HIMARS Rapid Infiltration").
SINGLE_BEFORE = re.compile(r"(?:^|[\s,;:(])(?P<a>an?|this|that|one single)\s+(?:(?-i:[A-Z])[\w.'’-]*\s+){0,3}$", re.I)
NOT_ONE_ITEM = re.compile(
    r"\A[\s-]*(?:[\w.][\w.-]*\s+){0,2}?(?:squadrons?|batter(?:y|ies)|units?|fleets?|programm?e?s?|contracts?|deals?|"
    r"packages?|orders?|purchases?|sales?|variants?|versions?|class|family|crews?|pilots?|engines?|regiments?|"
    r"brigades?|battalions?|wings?|compan(?:y|ies)|types?|production|lines?|upgrades?|groups?|forces?|"
    r"flights?|missions?|sorties?|systems?|missiles?|munitions?|rounds?|ammunition)\b",
    re.I,
)


NAMED_AFTER = re.compile(r"\A\s+(?-i:[A-Z])[a-z]")  # "a HIMARS Rapid Infiltration": the name of a drill


def single_before(text: str, start: int, end: int) -> Quantity | None:
    """One item named with an English article: "a C-130 Hercules", "this C-130 aircraft"."""
    left = text[max(0, start - 50) : start]
    left = left[left.rfind("\n") + 1 :]
    m = SINGLE_BEFORE.search(left)
    # anchored at the start of a bounded slice: linear however long the text (bench/regex_audit.py)
    right = text[end : end + 120]
    if m is None or NOT_ONE_ITEM.match(right) or NAMED_AFTER.match(right):
        return None
    return Quantity(1, 1, False, m.group("a"))


VAGUE_PARTITIVE = re.compile(r"(?<=\bof)\s+(?:the|these|those|its|their|them)\b|(?<!\s)\s+of\s+(?:the|these|those|"
                             r"its|their|them)\b", re.I)  # (?<!\s): one try per run of spaces, linear


def _build(m: re.Match[str]) -> Quantity | None:
    g = m.groupdict()
    text = g["q"]
    if g["v1"]:
        return Quantity(value_of(g["v1"]), None, False, text)
    if g["v2"]:
        v = value_of(g["v2"])
        return Quantity(v + 1 if v is not None else None, None, True, text)
    if g["v3"]:
        v = value_of(g["v3"])
        if g["approx"].lower() in {"up to", "jusqu'à"}:
            return Quantity(None, v, True, text)
        return Quantity(v, v, True, text)
    if g["lo"]:
        whole = value_of(text)  # "twenty-five" is one number, not a range from 20 to 5
        return Quantity(whole, whole, False, text) if whole else _range(value_of(g["lo"]), value_of(g["hi"]), text)
    if g["b1"]:
        return _range(value_of(g["b1"]), value_of(g["b2"]), text)
    if g["dozens"]:
        v = value_of(g["dozens"])
        return Quantity(v * 12, v * 12, True, text) if v else None
    if g["vague"]:
        word = g["vague"].lower()
        if VAGUE_PARTITIVE.match(m.string, m.end("vague")):
            return None  # "several of the armoured vehicles": some of a group counted elsewhere
        v = VAGUE.get(word)
        open_ended = word.startswith(("dozens", "hundreds", "scores", "des dizaines", "des centaines"))
        return Quantity(v, None if open_ended else v, True, text)
    v = value_of(g["v4"])
    if v is None or v == 0 or re.fullmatch(r"(?:19|20)\d{2}", g["v4"]):
        return None  # "in 2023 BMP-3s were…": a year, not a count
    if g["ormore"]:
        return Quantity(v, None, False, text)
    return Quantity(v, v, False, text)


def _range(a: int | None, b: int | None, text: str) -> Quantity | None:
    """Two bounds in either order ("between 20 and 10", "12 to 10"): the smaller is the minimum."""
    if a is None or b is None:
        return None
    return Quantity(min(a, b), max(a, b), False, text)
