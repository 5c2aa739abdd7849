"""What the words around a name say about it being a place, and about where exactly it is.

A capitalised name becomes a place candidate whether or not its country is named; these cues
decide how much the text itself vouches for it: a locative preposition ("near Kirkuk", "près de
Ménaka"), a chain of administrative names in brackets ("Ayorou (Tillabéri, Niger)"), the two ends
of a road or of a "between X and Y", an offset ("25 km S of Gao": the place is Gao, located less
exactly), and a direction ("northern Tahoua").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache

LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|nearby|from|to|into|outside|around|toward|towards|via|through|across|between|"
    r"and|outskirts of|suburbs? of|villages? of|towns? of|cit(?:y|ies) of|district of|region of|"
    r"province of|state of|county of|municipality of|commune of|locality of|area of|"
    r"en|à|a|au|aux|près de|vers|depuis|dans|de|d'|entre|et|localité de|village de|commune de|"
    r"ville de|région de|cercle de|département de|province de|préfecture de|environs de|"
    r"périphérie de|alentours de)\s+(?:the\s+|la\s+|le\s+|l')?"
    r"(?:(?:northern|southern|eastern|western|central|north-?eastern|north-?western|south-?eastern|"
    r"south-?western|north|south|east|west|nord|sud|est|ouest|centre)\s+)?"
    r"(?:(?:town|city|village|villages|locality|district|region|province|county|commune|localité|"
    r"ville|cercle|département)\s+of\s+|de\s+)?)$", re.I)
STRONG_LOCATIVE = re.compile(r"(?:\b(?:in|at|near|outside|outskirts of|village of|town of|city of|"
                             r"capital of|capitale de|district of|region of|province of|près de|localité de|"
                             r"village de|commune de|"
                             r"cercle de|région de|environs de|ville de)\s+(?:the\s+)?$)", re.I)
DIRECTION_OF = re.compile(r"\b(?:au\s+|à\s+l['’]\s*)?(?:north|south|east|west|north-?east|north-?west|south-?east|"
                          r"south-?west|nord|sud|est|ouest|nord-est|nord-ouest|sud-est|sud-ouest)\s+(?:of|de|du)\s+"
                          r"(?:the\s+)?$", re.I)
DIRECTION_BEFORE = re.compile(r"\b(northern|southern|eastern|western|central|north-?eastern|north-?western|"
                              r"south-?eastern|south-?western)\s+$", re.I)
OFFSET_BEFORE = re.compile(
    r"(?<![\d.,])(?P<km>\d+(?:[.,]\d+)?)\s*(?:km|kilomet(?:er|re)s?|kms)\s+(?:\((?:[\d.,]+\s*mi(?:les)?)\)\s+)?"
    r"(?:to\s+the\s+|au\s+|à\s+l['’]\s*|à\s+|a\s+l['’]\s*)?(?P<dir>N|S|E|W|NE|NW|SE|SW|NNE|ENE|ESE|SSE|SSW|WSW|WNW|NNW|north|south|east|west|"
    r"north-?east|north-?west|south-?east|south-?west|nord|sud|est|ouest|nord-est|nord-ouest|sud-est|sud-ouest)"
    r"?\s*(?:of|from|de|du)\s+(?:the\s+)?(?:town of\s+|village of\s+|city of\s+|la ville de\s+|la localité de\s+)?$",
    re.I)
ROAD_AFTER = re.compile(r"^\s+(?:road|highway|axis|route|corridor|motorway|track)\b", re.I)
ROAD_BEFORE = re.compile(r"\b(?:axe|route|axis|tronçon|road)\s+$", re.I)
DIRECTIONS = {"north": "N", "south": "S", "east": "E", "west": "W", "nord": "N", "sud": "S", "est": "E",
              "ouest": "W", "northeast": "NE", "northwest": "NW", "southeast": "SE", "southwest": "SW",
              "nordest": "NE", "nordouest": "NW", "sudest": "SE", "sudouest": "SW"}


@dataclass(slots=True)
class Offset:
    """"25 km S of X": the event is near X, this far and this way from it."""

    km: float
    direction: str | None

    def to_json(self) -> dict[str, object]:
        return {"km": self.km, "direction": self.direction}


@dataclass(slots=True)
class Cue:
    """How strongly the text vouches for a name being a place, and any offset or direction."""

    strength: int = 0  # 0 none, 1 weak (a conjunction, "de"), 2 a clear locative or pattern
    offset: Offset | None = None
    direction: str | None = None
    pattern: str = ""
    admin: bool = False  # the text calls it a region, province, district…


def cue_before(text: str, start: int) -> Cue:
    """The cue in the 60 characters before `start` (a copy: callers may change it)."""
    return replace(_cue_in(text[max(0, start - 60):start]))


@lru_cache(maxsize=65536)
def _cue_in(before: str) -> Cue:
    """Why cached: resolution asks again for the same mention's cue from several rules (a long
    report's ~150,000 asks each ran five searches), and the answer depends on these characters only."""
    cue = Cue()
    offset = OFFSET_BEFORE.search(before)
    if offset:
        direction = offset.group("dir")
        code = DIRECTIONS.get(re.sub(r"[\s-]", "", direction.lower()), direction.upper()) if direction else None
        cue = Cue(2, Offset(float(offset.group("km").replace(",", ".")), code), pattern="offset")
    elif DIRECTION_OF.search(before):  # "north-west of Avdiivka", "au sud-est de Gao": near it
        cue.strength, cue.pattern = 2, "direction"
        cue.direction = DIRECTION_OF.search(before).group(0).split()[0].lower()
    elif STRONG_LOCATIVE.search(before):
        cue.strength, cue.pattern = 2, "locative"
    elif LOCATIVE_BEFORE.search(before):
        weak = re.search(r"\b(?:and|et|de|d'|a|to|from)\s+(?:the\s+)?$", before, re.I)
        cue.strength, cue.pattern = (1 if weak else 2), "locative"
    direction = DIRECTION_BEFORE.search(before)
    if direction and not cue.direction:
        cue.direction = direction.group(1).lower()
        cue.strength = max(cue.strength, 1)
    return cue


# "the province of Kandahar", "the provinces of Kandahar and Helmand", "les régions de Mopti et Ségou": a list
# after a plural takes the cue from its first name (`listed`)
ADMIN_BEFORE = re.compile(r"\b(?:regions?|provinces?|states?|districts?|county|counties|governorates?|prefectures?|"
                          r"departments?|municipality|municipalities)\s+of\s+(?:the\s+)?$|"
                          r"\b(?:régions?|provinces?|cercles?|départements?|préfectures?|wilayas?|communes?|"
                          r"districts?|états?|etats?|territoires?|raion|oblast)\s+(?:de\s+|du\s+|des\s+|d')?$", re.I)
ADMIN_AFTER = re.compile(r"^\s+(?:region|province|state|district|county|governorate|prefecture|department|cercle|"
                         r"oblast|municipality|commune|raion|rayon|township|territory|LGA)\b", re.I)


# "the Etoumbi and Mbomo districts", "Borno, Yobe and Adamawa states": a plural area word after a list
# makes every name of the list an area (`listed` runs)
# The other names of the list may be names the index lacks ("Mbomo"), so the list is read in the text.
# Possessive throughout, and only right after a name (the look-behind): a run of blanks or capitals is read
# once, never tried from each of its characters.
LIST_NAME = r"[A-Z][\w'’-]*+(?:\s++[A-Z][\w'’-]*+)?+"
ADMIN_AFTER_PLURAL = re.compile(rf"(?<!\s)(?:\s*+,\s*+{LIST_NAME}){{0,8}}+(?:\s*+,)?+\s++(?:and|or|&)\s++"
                                rf"{LIST_NAME}\s++"
                                r"(?:regions|provinces|states|districts|counties|governorates|prefectures|"
                                r"departments|municipalities|communes|townships|territories|LGAs|oblasts|raions)\b")


def names_an_area(text: str, start: int, end: int) -> bool:
    """"Tillabéri region", "the province of Kandahar", "cercle de Niono": the area, not its town."""
    return bool(ADMIN_AFTER.match(text[end:end + 20]) or ADMIN_BEFORE.search(text[max(0, start - 30):start]))


def bracketed_chains(text: str, spans: list[tuple[int, int]],
                     admin_readings: set[int] = frozenset()) -> tuple[set[int], set[int]]:
    """Indexes (into `spans`) of names in an administrative chain "X (District, Region)":
    X, and the names inside the brackets (areas that contain X). X need not be a known place: in
    "Gorgadji (Seno, Sahel)" the village is missing from the index but its province is not. Then at
    least one bracketed name must have an area reading (`admin_readings`), so "Smith (Reuters)" is no
    chain."""
    marked: set[int] = set()
    areas: set[int] = set()
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    starts = [spans[i][0] for i in order]
    ends = {e: i for i, (_, e) in enumerate(spans)}
    opening = text.find("(")
    while opening >= 0:
        before = opening - 1 if text[opening - 1:opening] == " " else opening
        word = before
        while word > 0 and before - word < 40 and (text[word - 1].isalnum() or text[word - 1] in "'’-"):
            word -= 1
        close = text.find(")", opening, opening + 120)
        if close > 0 and word < before and text[word].isupper():
            inside = [order[k] for k in range(bisect_left(starts, opening), bisect_left(starts, close))
                      if spans[order[k]][1] <= close]
            gaps = [text[spans[a][1]:spans[b][0]] for a, b in zip(inside, inside[1:], strict=False)]
            named = ends.get(before)
            if inside and all(CHAIN_GAP.fullmatch(g) for g in gaps) \
                    and (named is not None or any(j in admin_readings for j in inside)):
                if named is not None:
                    marked.add(named)
                areas.update(inside)
        opening = text.find("(", opening + 1)
    return marked | areas, areas


CHAIN_GAP = re.compile(r"(?<!\s)\s*+(?:(?:region|district|province|cercle|commune|state|county|department|"
                       r"département)\s*+)?[,/;]\s*+", re.I)  # the look-behind keeps a scan linear


def paired(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """"between X and Y", "entre X et Y", "from X to Y": both names are places when one is."""
    out: set[int] = set()
    for i, (start, end) in enumerate(spans[:-1]):
        nxt_start = spans[i + 1][0]
        gap = text[end:nxt_start]
        before = text[max(0, start - 12):start]
        if re.fullmatch(r"\s+(?:and|et|to|à)\s+", gap) and re.search(r"\b(?:between|entre|from|de)\s+$", before, re.I):
            out.update({i, i + 1})
    return out


# What may follow a name the gazetteer lacks to put it inside a place it knows: "Greenlane, Auckland",
# "the Adhamiyah district of Baghdad", "Mabvuku, a suburb east of Harare", "a camp in El Fasher",
# "Kouakourou, dans le cercle de Djenné", "Niamana, un quartier de Bamako", "Kouakourou (Djenné, Mopti)",
# "Baga, dans l'État de Borno", "le comté de Fulton, en Illinois". `kind` is the word that calls
# the name a part of a place (district, suburb, camp…); without it the name needs a locative before it.
PART_WORDS = (r"(?:refugee\s+)?camps?|district|area|suburbs?|township|slums?|neighbou?rhood|village|town|quarter|ward|"
              r"quartier|localité|commune|faubourg|banlieue|camp\s+de\s+réfugiés")
CONTAINER_AFTER = re.compile(
    rf"(?<!\s)(?P<kind>\s+(?:{PART_WORDS})\b)?"
    rf"(?:\s*,\s*(?:(?:a|an|un|une)\s+(?:{PART_WORDS})(?:\s+[\w-]+){{0,3}}?\s+(?:of|in|near|de|du|d['’]|dans|près\s+de)\s*"
    r"|(?:(?:located|situated|situé|située)\s+)?(?:in|near|outside|dans|près\s+de|en|au)\s+)?"
    r"|\s+(?:(?:located|situated|situé|située)\s+)?(?:in|near|outside|dans|près\s+de|of|de|du)\b\s*"
    r"|\s?\(\s*)"  # "Kouakourou (Djenné, Mopti)": the first area of a bracketed chain
    r"(?:(?:the|le|la|l['’])\s*)?"
    r"(?:(?:district|cercle|région|region|province|county|state|prefecture|préfecture|commune|governorate|"
    r"état|etat|territoire|raion|oblast|département|comté|comte|paroisse|parish)"
    r"\s+(?:of|de|du|d['’])\s*(?:(?:the|la|le|l['’])\s*)?)?", re.I)

# A connector that is only "of"/"de" (with an article): it joins a person's name to a town as often
BARE_OF = re.compile(r"(?<!\s)\s+(?:of|de|du)\s*(?:(?:the|le|la|l['’])\s*)?", re.I)


def container_after(text: str, end: int, cue: Cue) -> int | None:
    """Where the place that contains a name starts, when the words after the name say it contains it
    ("Greenlane, Auckland", "the Adhamiyah district of Baghdad") and the name is vouched for as a
    place (a locative before it, or a word after it that calls it part of a place); else None.
    A bare "of" or "de" needs that word: "Hadad of Cairo" is a person's name."""
    match = CONTAINER_AFTER.match(text, end, min(len(text), end + 80))
    if not match or match.end() == end:
        return None
    connector = match.group(0)[len(match.group("kind") or ""):]
    if not match.group("kind"):
        if cue.strength < (2 if "," in connector else 1):
            return None
        if BARE_OF.fullmatch(connector):
            return None
    return match.end()


AREA_WORDS = {"county", "province", "region", "district", "state", "prefecture", "governorate", "oblast",
              "municipality", "cercle", "commune", "wilaya", "parish", "territory", "territoire", "lga", "raion",
              "rayon", "township"}
# "in Wales and in England", "au Mali et au Niger": a repeated preposition keeps the list going
LIST_GAP = re.compile(r"(?<!\s)\s*+[,;]\s*+(?:and\s+|or\s+|et\s+|ou\s+)?|(?<!\s)\s+(?:and|or|et|ou)\s+"
                      r"(?:(?:in|at|from|en|au|aux|à|dans|de)\s+)?")


def listed(text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    """Runs of names separated only by commas and "and": "Anhui, Guangdong, Hainan and Hunan"."""
    groups: list[list[int]] = []
    for i in range(len(spans)):
        if i and LIST_GAP.fullmatch(text[spans[i - 1][1]:spans[i][0]]) and groups and groups[-1][-1] == i - 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    return [g for g in groups if len(g) >= 2]


def is_road(text: str, start: int, end: int) -> bool:
    """"the Gao-Ansongo road", "l'axe Mopti-Sévaré": a hyphenated pair of places."""
    return bool(ROAD_AFTER.match(text[end:end + 20]) or ROAD_BEFORE.search(text[max(0, start - 12):start]))
