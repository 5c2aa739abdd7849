"""Geoparsing: which gazetteer place each capitalised name names, decided by ranking candidates.

Every name the gazetteer knows is a candidate place, country named or not. Each reading is scored
on what a reader would weigh: how big the place is and what kind (a state before a hamlet), the
countries the whole document points at (named countries, actors with a home region,
installations, places already placed), the other places in the text (the nearest pair wins:
"Kidal … Anéfis" is the Malian pair, not a namesake abroad), and whether the name is the place's
own or an alternate one (Palmyra is GeoNames' Tadmur). A name is kept as a place when the text
vouches for it (a locative, a bracketed admin chain, a road) or the ranking does (a large place, a
country the text is about, a neighbour in the text); a surname or a common word that is also a
village needs the former. The top readings stay with their scores so an analyst can see why.
Everything is deterministic: ties break on the gazetteer id.
"""

from __future__ import annotations

import csv
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from orbat.extract import SAINT_POSSESSIVE
from orbat.gazetteer import place_key, precision_of, spelled_out_key
from orbat.geoparse.cues import (
    ADMIN_AFTER_PLURAL,
    AREA_WORDS,
    Cue,
    Offset,
    bracketed_chains,
    cue_before,
    listed,
    names_an_area,
    paired,
)
from orbat.geoparse.lookup import AEROPORT, AIRPORT_NAME_BEFORE, BODY_WORDS, SEAT_NAMED_AREAS
from orbat.geoparse.modifiers import postposed_code
from orbat.model import GazetteerPlace

# A nominal size for areas (their population is rarely in the data) so ranking can compare them.
FEATURE_SIZE = {"continent": 1e9, "country": 3e7, "admin1": 2e6, "admin2": 2e5, "admin": 3e4}
# A spot (a camp, an airfield, a well) is a lesser reading of a name than the village it shares it
# with: "Tillia (Tahoua)" is the village, not the camp of the same name 400 km away.
SPOT_PENALTY = 0.5
# An area that bears a name as its own name comes before a place that only goes by it or a lesser
# namesake abroad ("Ontario", "Wales"); "Washington state" is Washington, not the District of Columbia
# that ISO 3166-2 also lists as "Washington". It outweighs a weak hint from a neighbour hundreds of
# kilometres away, not a near one, and never a region's own town ("Ménaka" is the town).
OWN_NAME_BONUS = 0.7
AREA_BONUS = 2.0  # what the text's calling a name an area weighs against a bigger town of that name
COARSER = {"point": "locality", "locality": "admin2", "admin2": "admin1", "admin1": "admin1",
           "country": "country", "region": "region"}
AREAS = {"continent", "country", "admin1"}
VALLEY_NOT_NAMED_AFTER = {"country", "continent", "locality"}  # "Jordan Valley"; a hamlet names no valley
AREA_FEATURES = {"admin1", "admin2", "admin"}  # readings that make a bracketed name an area of a chain
# a county, a district: an area small enough to stand for a town in it that the index lacks
DISTRICTS = {"admin2", "admin"}
TOP = 3
NEAR_CHARS = 3000  # names further apart in the text do not vouch for each other's readings
FAR_KM = 700  # the widest distance `_bonus` rewards (admin1); pairs further apart earn nothing
KM_PER_DEGREE = 111.19  # of latitude, on the 6,371 km sphere `km` uses: |Δlat| × this ≤ the distance
BEST_BONUS = 2.5  # the most `_bonus` gives; once reached, no other pair can do better
DIRECTION_NAMES = {"nord", "sud", "est", "ouest", "centre", "north", "south", "east", "west", "centre est",
                   "centre nord", "centre ouest", "centre sud", "nord est", "nord ouest", "sud est", "sud ouest"}
NOT_A_PLACE_AFTER = re.compile(r"(?<!\s)\s+(?:river|lake|mountains?|sea|ocean|creek|Minister|Secretary)\b")
# "St. Peter's Square", "St Mary's Hospital", "la basilique Saint-Pierre" aside: a saint's or a
# founder's name before a building or a square names the building, not a town of that name.
BUILDING_OF = re.compile(r"['’]s\s+(?:Square|Basilica|Cathedral|Church|Chapel|Abbey|Hospital|College|School|"
                         r"University|Infirmary)\b")
# "University of Texas", "University of Southern Indiana": an institution's name, not the place.
NOT_A_PLACE_BEFORE = re.compile(r"\b(?:University|College|Institute|School|Bank|Museum)\s+of\s+"
                                r"(?:(?:North-?|South-?)?[A-Z]?[a-z]*ern\s+|Central\s+)?$", re.I)
# "according to Reuters" names a source; "according to Texas health officials" places the officials.
SOURCE_BEFORE = re.compile(r"\baccording to\s+$", re.I)
MODIFIES_AFTER = re.compile(r"(?<!\s)\s+[a-z]")  # the look-behind keeps a scan linear
# Words that make a multi-word name an institution or a place, never a person ("Village Malakal").
GENERIC_WORDS = {"village", "city", "camp", "district", "province", "county", "region", "airport", "road", "street",
                 "market", "hospital", "school", "university", "college", "base", "bay", "island", "river", "lake",
                 "valley", "park", "station", "port", "state", "department", "ministry", "office", "centre", "center",
                 "council", "agency", "company", "news", "times", "post", "club", "church", "mosque", "farm"}
NOT_GIVEN_NAMES = {"northern", "southern", "eastern", "western", "central", "upper", "lower", "greater", "new",
                   "old", "north", "south", "east", "west", "saint", "st", "san", "santa", "fort", "port", "mount",
                   "lake", "cape", "al", "el", "the", "great", "little", "grand", "le", "la", "los", "las",
                   # a count or a quantifier before a name ("Four Guerrero state police") is no first name
                   "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "many", "some",
                   "most", "all", "both", "few"}


@dataclass(slots=True)
class Item:
    """One place-candidate mention and what the ranking knows about it."""

    index: int
    key: str
    start: int
    end: int
    text: str
    sentence_start: bool
    options: list[GazetteerPlace]
    cue: Cue = field(default_factory=Cue)
    road: bool = False  # an end of "the Gao-Ansongo road"
    closed: bool = False  # followed by punctuation or "and": a noun phrase ends here
    wider: bool = False  # "Mexico City" around the country name "Mexico"
    valley: bool = False  # "the Salinas Valley": the valley around the place the name reads as
    container: str = ""  # "Stuttgart, Germany": the country the text puts it in
    within: list[GazetteerPlace] = field(default_factory=list)  # "Beaumont, Texas": the areas the text puts it in
    listed_areas: str = ""  # the country whose states or provinces the other names of its list are
    listed_towns: bool = False  # the other names of its list are all towns: "from New York and Toronto"
    city_feature: bool = False  # the text puts a city's street, airport or borough in it: "JFK airport in New York"
    listed_with: list[int] = field(default_factory=list)  # positions in `items` of the other names of its list
    not_a_place: bool = False  # "the Vistula river", "University of Rouen", "Interior Minister", "I've"
    initial: bool = False  # right after an initial ("S. Truman")
    after_the: bool = False  # right after a lower-case "the": towns take no article, ships and hotels do
    currency_or_compound: bool = False  # "US$", "UK-made": glued to a sign or a hyphenated word
    postposed: bool = False  # "des responsables US": after the noun it qualifies, French style
    school: bool = False  # the text names a school after it ("Franklin Elementary"): its short form
    sentence_state: GazetteerPlace | None = None  # the US state its sentence names nearest to a county's name
    airport: bool = False  # it opens an airport's name: "Atatürk International Airport", "l'aéroport Atatürk"
    city_beside: int = -1  # where the city that airport is said to serve starts or ends ("in Istanbul", "Istanbul's")
    served: bool = False  # the town an airport serves: "l'aéroport de Gao"
    far_from_the_rest: bool = False  # its reading lies half a world from every other place the text names
    near: dict[str, float] = field(default_factory=dict)  # closeness bonus of each reading
    support: Counter[str] = field(default_factory=Counter)  # countries the rest of the document points at
    scores: list[tuple[float, GazetteerPlace]] = field(default_factory=list)


@dataclass(slots=True)
class Decision:
    index: int
    place: GazetteerPlace
    ranking: list[tuple[GazetteerPlace, float]]
    precision: str
    offset: Offset | None = None
    undecided: bool = False  # readings in different countries that nothing in the text tells apart


def decide(text: str, mentions: Iterable[tuple[int, str, int, int, tuple[str, ...]]],
           found: dict[str, list[GazetteerPlace]],
           countries: Counter[str], anchors: list[tuple[float, float]], surnames: set[str],
           refused: set[str], capitals: set[str] = frozenset(),
           within: dict[int, list[GazetteerPlace]] | None = None) -> list[Decision]:
    """Rank every reading of every candidate mention and keep the ones the evidence supports.

    `mentions` are (mention index, text, start, end, extract's flags); `anchors` are points the
    document already fixed (installations); `refused` are keys never taken as places; `capitals` are
    the ids of national capitals (a capital outranks a province of the same name); `within` are,
    by mention index, the readings of the area named right after a name ("Beaumont, Texas").
    """
    items = [Item(i, key := _written_key(t, flags), s, e, t, "sentence-start" in flags, found.get(key, []),
                  road="road" in flags, wider="wider" in flags, valley="valley" in flags,
                  container=next((f.split(":", 1)[1] for f in flags if f.startswith("in-country:")), ""))
             for i, t, s, e, flags in mentions]
    governments = {i for i, _, _, _, flags in mentions if "government" in flags}
    for item in items:  # "Moscow, Washington and Beijing agreed": governments listed sit at their capitals
        if item.index in governments:
            item.options = [p for p in item.options if p.id in capitals] or item.options
    for item in items:  # "Fraser Valley" is the river's, not Fraser, Alberta: a valley takes a town's or an area's name
        if item.valley:
            item.options = [p for p in item.options if p.by_main_name and p.feature not in VALLEY_NOT_NAMED_AFTER]
    items = [it for it in items if it.options and it.key not in refused]
    groups = _read_context(text, items)
    for item in items:  # "Moscou, la Géorgie et l'Ukraine ont condamné": the list vouches for its capital
        if item.index in governments and not item.cue.strength:
            item.cue.strength, item.cue.pattern = 1, "list"
    for group in groups:
        for n in group:
            items[n].listed_with = [m for m in group if m != n]
    listed_names = {n for group in groups if len(group) >= 3 for n in group}
    for n, item in enumerate(items):  # "Texas, Utah, Virginia, Washington": a list, not a town and its state
        areas = (within or {}).get(item.index, [])
        # "Zalingei (Central Darfur)": a name is not the very area written after it, even where the
        # area goes by that name too (ISO 3166-2 lists Central Darfur under its seat's name)
        own = [p for p in item.options if all(p.id != a.id for a in areas)]
        # "Polk County, Iowa, and Hamilton County, Tennessee": a US county's state is its area even in a list
        counties = bool(own) and all(p.id.startswith("fips:") for p in own)
        # "Portland, Ore.", "Moscow, Idaho": a town of the US state written after it is that town, though
        # the name is also a province's abroad (Jamaica's Portland, ISO's other name for Moscow Oblast)
        in_state = any(in_a_state_written(p, areas) for p in own)
        if (n not in listed_names or counties) and own \
                and (in_state or not any(p.feature == "admin1" and p.by_main_name for p in own)):
            item.within = areas
            item.options = own
    # "Hukou, Hsinchu County" when the gazetteer holds only Hukous in China: a name whose every reading
    # lies outside the country of the area the text puts it in is a place the gazetteer lacks, not a
    # namesake abroad; it is placed at that area
    for item in items:
        if item.within and all(p.country not in {a.country for a in item.within} for p in item.options):
            item.options = list(item.within)
        elif _outside_the_districts_written(item):
            item.options = [area for area in item.within if area.feature in DISTRICTS]
    surnames = surnames | {it.key for it in items if it.initial}
    bonus = dict.fromkeys(capitals, 1.0)
    for item in items:
        item.support = Counter(countries)
    _score(items, anchors, bonus, first_round=True)
    confident: dict[str, str] = {}  # what the text places with confidence tells which countries it is about
    for item in items:
        best = item.scores[0][1]
        if _accepted(item, surnames) and (best.feature in AREAS - {"continent"} or item.cue.pattern == "chain"
                                          or _margin(item) >= 1.5):
            confident[item.key] = best.country
    states = {item.key: item.scores[0][1] for item in items if item.key in confident
              and item.scores[0][1].feature == "admin1" and item.scores[0][1].by_main_name}
    for item in items:  # a name never vouches for itself
        item.support.update(country for key, country in confident.items() if key != item.key and country)
    _areas_of_lists(text, items, groups)
    _states_of_sentences(text, items, states)
    _score(items, anchors, bonus, first_round=False, states=states)
    _one_reading_per_name(items)
    _airports_of_cities_named(items)
    accepted = [_accepted(item, surnames) for item in items]
    # one name, one place in one text: "near Esperance … Esperance residents" — a name the text placed
    # once keeps that reading where it opens a sentence with no cue, unless its own words rule it out
    placed = {(item.key, item.scores[0][1].id) for item, ok in zip(items, accepted, strict=True) if ok}
    accepted = [ok or _accepted(item, surnames, placed) for item, ok in zip(items, accepted, strict=True)]
    for group in groups:  # a list most of whose names are places is a list of places
        if sum(accepted[n] for n in group) * 2 >= len(group) and len(group) >= 3:
            for n in group:
                accepted[n] = accepted[n] or not (items[n].key in surnames or items[n].text.isupper())
    _far_from_the_rest([item for item, ok in zip(items, accepted, strict=True) if ok], anchors)
    return [_decision(item) for item, ok in zip(items, accepted, strict=True) if ok]


# "a sushi bar in Piccadilly, in central London": the index's only Piccadilly is a hamlet in Western
# Australia, 14,500 km from London. A small town this far from every other place the text names, in a
# country nothing else in it points at, is a namesake of a place the index lacks.
FAR_FROM_THE_REST_KM = 3000
SMALL_TOWN = 5000


def _far_from_the_rest(items: list[Item], anchors: list[tuple[float, float]]) -> None:
    """Mark the accepted names whose reading is a small town (under `SMALL_TOWN` people) in a country
    the rest of the text never points at, at least `FAR_FROM_THE_REST_KM` from the reading of every
    other name the text places and from every installation it fixed; `_astray` leaves them unpinned.
    A text that places nothing else leaves its one place where the index puts it: a note about a
    village in a country it never names has no other place to be far from."""
    points = [(item.key, best.lat, best.lon) for item in items
              if (best := item.scores[0][1]).feature != "continent" and best.lat is not None and best.lon is not None]
    points += [("", lat, lon) for lat, lon in anchors]
    for item in items:
        best = item.scores[0][1]
        if best.feature not in {"city", "locality"} or best.population >= SMALL_TOWN or best.lat is None \
                or best.lon is None or item.support.get(best.country, 0) or item.near.get(best.id, 0.0) > 0:
            continue
        # stops at the first place within reach: a long text's places mostly lie near one another
        distances = (km(best.lat, best.lon, lat, lon) for key, lat, lon in points if key != item.key)
        first = next(distances, None)
        item.far_from_the_rest = first is not None and first >= FAR_FROM_THE_REST_KM \
            and all(d >= FAR_FROM_THE_REST_KM for d in distances)


def _airports_of_cities_named(items: list[Item]) -> None:
    """"Atatürk International Airport in Istanbul", "Istanbul's Atatürk International Airport",
    "l'aéroport international Atatürk d'Istanbul": where the text names the town an airport serves, the
    name of the airport itself is someone's (a village of Düzce also goes by Atatürk), not a place."""
    towns = {}
    for item in items:
        if item.scores and item.scores[0][1].feature in {"city", "locality"}:
            towns[item.start] = towns[item.end] = item.key
    for item in items:
        town = towns.get(item.city_beside) if item.airport else None
        if town is not None and town != item.key:
            item.not_a_place = True


def _read_by_its_words(item: Item) -> bool:
    """Whether the words around a name chose its reading: an area or a country written after it
    ("Toronto, Canada"), a list of states or of towns ("from New York and Toronto"), a city's own
    feature placed in it ("JFK airport in New York"). A bare "in New York" has none of these. An area
    word does not count: "Kunduz province" says nothing of what a bare "Kunduz" means, which is the
    town (`_namesake_penalty`)."""
    return bool(item.within or item.container or item.listed_areas or item.listed_towns or item.city_feature)


def _one_reading_per_name(items: list[Item]) -> None:
    """One name, one place in one text: "had recently been in New York … passengers from New York and
    Toronto" is the city both times. Where the words around some mentions of a name chose one reading
    (`_read_by_its_words`) and nothing around its other mentions chose any, those take that reading
    too; the ranking's default (the state) yields to what the text said elsewhere. Nothing moves
    when the text itself reads the name two ways ("New York state … New York City's mayor")."""
    by_key: dict[str, list[Item]] = {}
    for item in items:
        by_key.setdefault(item.key, []).append(item)
    for group in by_key.values():
        if len(group) < 2 or len({item.scores[0][1].id for item in group}) < 2:
            continue
        chosen = {item.scores[0][1].id for item in group if _read_by_its_words(item)}
        if len(chosen) != 1:
            continue
        (reading,) = chosen
        for item in group:
            # "Diffa region", "(Ténenkou, Mopti)": a mention whose own words speak keeps its reading
            if _read_by_its_words(item) or item.cue.admin or item.cue.pattern in {"chain", "wider", "road"} \
                    or item.scores[0][1].id == reading or _own_town_of_an_area(item, reading):
                continue
            match = next((pair for pair in item.scores if pair[1].id == reading), None)
            if match is not None:
                item.scores.remove(match)
                item.scores.insert(0, (max(match[0], item.scores[0][0]), match[1]))


def _own_town_of_an_area(item: Item, reading: str) -> bool:
    """"the provinces of Anhui, Hunan, Beijing … the Olympics in Beijing": a town by that very name is
    what a bare name means even where a list made it an area elsewhere (`_namesake_penalty`), while a
    town that only goes by it ("Bihar" for Bihār Sharīf) yields to the state the list named."""
    top = item.scores[0][1]
    area = next((p for _, p in item.scores if p.id == reading), None)
    return area is not None and area.feature in {"admin1", "admin2", "admin"} \
        and top.feature in {"city", "locality"} and place_key(top.name) == item.key


def _written_key(text: str, flags: tuple[str, ...]) -> str:
    """The key a mention is looked up by: its own, or the full name the words around it give it
    ("Cook" in "Cook and DuPage counties" is "cook county", `counties.county_keys`)."""
    return next((f.split(":", 1)[1] for f in flags if f.startswith("area-key:")), None) or place_key(text)


# "Franklin Elementary", "Kennedy Elementary School": a school named after a person or a street, which
# the text then calls by that name alone ("children at Franklin")
SCHOOL_NAME = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?) Elementary\b")
# "Dr. Ivins", "Mr. Clawson": a name right after a personal title is a person's, as one after an initial is
PERSONAL_TITLE_BEFORE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mme|Mlle|Prof)\.?\s$")
# "Sen. Ted Cruz", "Rep. Jim Jordan", "Gov. Greg Abbott", "Lt. Gen. Mark Milley": a title abbreviated
# before a person's name is no place, though GeoNames gives some of them to a town (Sens, Hon) or as
# another name of one (a Japanese Mori goes by "Sen"). Only with its full stop and a capitalised name
# after it, and with no locative before it: "the mayor of Sens. The town…" names Sens.
TITLE_ABBREVIATIONS = {"sen", "sens", "rep", "reps", "gov", "govs", "lt", "gen", "gens", "col", "maj", "capt",
                       "sgt", "adm", "brig", "cpl", "pvt", "cmdr", "cdr", "rev", "atty", "supt", "insp", "det",
                       "amb", "pres", "msgr", "hon", "sec", "prof"}
NAME_AFTER_A_TITLE = re.compile(r"\.\s++[A-ZÀ-ÖØ-Þ]")
# "in the Summer of 2008", "in Spring 2002": a season, not the Texan town of Spring
SEASONS = {"spring", "summer", "autumn", "winter", "fall"}
YEAR_AFTER = re.compile(r"\s(?:of\s)?(?:1[89]|20)\d\d\b")

# "the US has pledged", "the ability of the US to act": a verb after the name ends its noun phrase, so
# the name is the subject or object itself, not a modifier as in "US officials".
VERB_AFTER = re.compile(r"(?<!\s)\s+(?:has|have|had|is|was|were|are|will|would|could|should|can|cannot|may|might|must|"
                        r"did|does|said|says|to|a|est|avait|sera)\b")


def _read_context(text: str, items: list[Item]) -> list[list[int]]:
    """Set each item's cue and flags from the words around it; returns the lists of names."""
    spans = [(it.start, it.end) for it in items]
    with_areas = {n for n, it in enumerate(items) if any(p.feature in AREA_FEATURES for p in it.options)}
    chained, areas = bracketed_chains(text, spans, with_areas)
    chained |= paired(text, spans)
    for n, item in enumerate(items):
        item.cue = cue_before(text, item.start)
        before = text[max(0, item.start - 25):item.start]
        item.not_a_place = bool(NOT_A_PLACE_AFTER.match(text, item.end) or NOT_A_PLACE_BEFORE.search(before)
                                or BUILDING_OF.match(text, item.end)
                                or (SOURCE_BEFORE.search(before) and not MODIFIES_AFTER.match(text, item.end))
                                or (re.search(r"['’][a-z]{1,2}$", item.text) and not SAINT_POSSESSIVE.match(item.text)))
        item.closed = bool(re.match(r"\s*(?:[.,;:)!?]|$|and\b|or\b|et\b)", text[item.end:item.end + 5])
                           or VERB_AFTER.match(text, item.end))
        item.currency_or_compound = bool(re.match(r"[$€£-]", text[item.end:item.end + 1]))
        item.postposed = item.text.isupper() and postposed_code(text, item.start)
        item.initial = bool(re.search(r"(?:^|\s)[A-Z]\.\s$", text[max(0, item.start - 4):item.start])
                            or PERSONAL_TITLE_BEFORE.search(text, max(0, item.start - 8), item.start))
        item.not_a_place = item.not_a_place or (item.key in SEASONS and bool(YEAR_AFTER.match(text, item.end))) \
            or (item.key in TITLE_ABBREVIATIONS and item.cue.strength < 2
                and bool(NAME_AFTER_A_TITLE.match(text, item.end)))
        item.after_the = text[max(0, item.start - 4):item.start] == "the "
        _read_airport(text, item, before)
        if _opens_a_dateline(text, item):  # "WASHINGTON (AP) —": the city the story was filed from
            towns = [p for p in item.options if p.feature in {"city", "locality"} and p.by_main_name]
            item.options = towns or item.options
        item.city_feature = not names_an_area(text, item.start, item.end) and _locates_a_city_feature(text, item)
        # "the Etoumbi and Mbomo districts": the plural area word after a list covers its names
        item.cue.admin = n in areas or names_an_area(text, item.start, item.end) or item.key.split()[-1] in AREA_WORDS \
            or bool(ADMIN_AFTER_PLURAL.match(text, item.end)) \
            or any(p.id.startswith("fips:") and place_key(p.name) == item.key for p in item.options)
        pattern = "road" if item.road else "wider" if item.wider else \
            "chain" if n in chained or (item.cue.admin and " " in item.key) else ""
        if pattern:
            item.cue.strength, item.cue.pattern = 2, item.cue.pattern if pattern == "chain" and item.cue.pattern \
                else pattern
    schools = {place_key(m.group(1)) for m in SCHOOL_NAME.finditer(text)}
    for item in items:
        item.school = item.key in schools
    groups = listed(text, spans)
    for group in groups:  # "the provinces of Anhui, Guangdong and Hunan": the cue covers the list
        lead = items[group[0]].cue
        for n in group[1:]:
            if lead.strength > items[n].cue.strength:
                items[n].cue.strength, items[n].cue.pattern = lead.strength, "list"
            items[n].cue.admin = items[n].cue.admin or lead.admin
    return groups


# "Atatürk International Airport", "l'aéroport international Atatürk": a name that opens an international
# airport's name in English, or stands after "aéroport" in French with no "de" between them, is that
# airport's own name, a person's as often as a town's; a hamlet that shares it (GeoNames' Atatürk, in
# Düzce province, 1,057 people) is not the town it serves, a town of `AIRPORT_TOWN` people or more by
# its own name is ("Boryspil International Airport"), unless towns of other countries bear that name
# too and the text points at none of them: "Kennedy International Airport" is not the Bogotá borough
# (GeoNames gives it 979,914 people) nor the Californian village, but the person both are named after.
# "Gao airport", "l'aéroport de Gao" are Gao's.
AIRPORT_TOWN = 20_000
AIRPORT_AFTER = re.compile(r"(?<!\s)\s+International\s+Airport\b", re.I)
# The town named beside it: "… Airport in Istanbul", "Istanbul's …", "l'aéroport … d'Istanbul" (the
# look-behinds keep a scan linear)
TOWN_AFTER_AIRPORT = re.compile(r"(?<!\s)\s++(?:in|at|near|outside|of)\s++(?:the\s++)?(?=[A-ZÀ-Ö])")
TOWN_AFTER_AEROPORT = re.compile(r"(?<!\s)\s++(?:de\s++|d['’]\s*+|à\s++)(?=[A-ZÀ-Ö])")
POSSESSIVE_BEFORE = re.compile(r"['’]s\s+$")
# "l'aéroport de Gao", "l'aéroport d'Orly", "l'aéroport Modibo-Keïta de Bamako": the name after the "de" is
# the town the airport serves, as clear a cue as "la ville de"; the town, not the cercle or the region
# named after it ("l'aéroport de Tombouctou" is the town GeoNames calls Timbuktu)
SERVED_BEFORE = re.compile(AEROPORT + r"(?:[A-ZÀ-Ö][\w'’-]*+\s++){0,3}(?:de\s++|d['’]\s*+|à\s++)$", re.I)
# "the airport in Gao", "the airports of Gao and Kidal": the English for "l'aéroport de Gao"
AIRPORT_IN_BEFORE = re.compile(r"\bairports?\s+(?:in|of)\s+$", re.I)


# "JFK airport in New York", "a street in New York", "Brooklyn, a borough of New York", "une rue de New York":
# streets, airports and boroughs lie in cities; a state or a province named like its large city ("New York",
# "Mexico") is not what the text places them in. "upstate New York", "New York State" have no such word.
CITY_FEATURE_BEFORE = re.compile(
    r"\b(?:airports?|boroughs?|streets?|avenues?|neighbou?rhoods?|subway|hospitals?|hotels?|stations?|stadiums?|"
    r"bridges?|precincts?|apartments?)\s+(?:in|of)\s+(?:the\s+)?$|"
    r"\b(?:rues?|quartiers?|arrondissements?|métro|hôpital|hôpitaux|hôtels?|gares?|stades?|ponts?)\s+"
    r"(?:de|d['’]\s*|à)\s*$", re.I)


def _locates_a_city_feature(text: str, item: Item) -> bool:
    """Whether the words before the name put a city's own feature in it (`CITY_FEATURE_BEFORE`), and a
    large city goes by that name: as with a list of towns (`_areas_of_lists`), a village that shares a
    state's name ("a hospital in Georgia") does not take the state's place."""
    return bool(CITY_FEATURE_BEFORE.search(text, max(0, item.start - 30), item.start)) \
        and any(p.feature in {"city", "locality"} and p.population >= LARGE_CITY for p in item.options)


# What follows a dateline's town: its state or the date ("PORTLAND, Ore.", "BAMAKO, Jan 21"), the
# agency ("(AP)", "(Reuters)"), then a dash
DATELINE_REST = re.compile(r"(?:,\s{0,3}[A-Z][\w.]{0,20}(?:\s[\w.]{1,20}){0,3})?\s{0,3}"
                           r"(?:\([A-Z][\w .&-]{0,30}\)\s{0,3})?[–—-]\s")


def _opens_a_dateline(text: str, item: Item) -> bool:
    """Whether the name, in capitals at a line's start, is a dateline's: agencies name the city the
    story was filed from there, by its name alone where it needs no state ("WASHINGTON (AP) —" is
    the capital, not the state; "NEW YORK (Reuters) -" the city)."""
    return (item.start == 0 or text[item.start - 1] == "\n") and text[item.start:item.end].isupper() \
        and bool(DATELINE_REST.match(text, item.end))


def _read_airport(text: str, item: Item, before: str) -> None:
    """Whether the name opens an airport's own name (`AIRPORT_AFTER`, `AIRPORT_NAME_BEFORE`), and where
    the town the text says that airport serves is (`Item.city_beside`)."""
    english = AIRPORT_AFTER.match(text, item.end)
    french = AIRPORT_NAME_BEFORE.search(before)
    item.airport = bool(english or french)
    if english:
        town = TOWN_AFTER_AIRPORT.match(text, english.end())
        possessive = POSSESSIVE_BEFORE.search(before)
        item.city_beside = town.end() if town else item.start - len(possessive.group(0)) if possessive else -1
    elif french:
        town = TOWN_AFTER_AEROPORT.match(text, item.end)
        item.city_beside = town.end() if town else -1
    if SERVED_BEFORE.search(text, max(0, item.start - 80), item.start):
        item.served = True
        item.cue.strength, item.cue.pattern = 2, item.cue.pattern or "locative"
        towns = [p for p in item.options if p.feature in {"city", "locality"}]
        item.options = towns or item.options
    elif AIRPORT_IN_BEFORE.search(text, max(0, item.start - 20), item.start):
        item.served = True  # a state or country may hold airports too ("the largest airport in Texas")


def _areas_of_lists(text: str, items: list[Item], groups: list[list[int]]) -> None:
    """A name listed among (or paired with) the states of one country is a state too: "Utah, Virginia,
    Washington and Wisconsin" lists Washington state, not the capital; "in Wales and in England", the
    country of the United Kingdom, not the Yorkshire village. A name listed with towns only leans to
    its large town: "passengers from New York and Toronto" flew from the city, not the state."""
    for group in groups:
        for n in group:
            others = [items[m].scores[0][1] for m in group if m != n]
            states = Counter(p.country for p in others if p.feature == "admin1" and p.country)
            if others and states and states.most_common(1)[0][1] * 2 > len(others):
                items[n].listed_areas = states.most_common(1)[0][0]
            # a pair needs its "and": "Mississauga, Ontario" is a town and its province, not two towns
            joined = len(group) >= 3 or bool(PAIR_JOINED.search(text, items[group[0]].end, items[group[-1]].start))
            # only where the likeliest town of that name is a large city: "New York City and Florida" is
            # the state, not a village in New York or Colombia's Floridablanca
            town = next((p for _, p in items[n].scores if p.feature in {"city", "locality"}), None)
            items[n].listed_towns = joined and bool(others) and all(p.feature == "city" for p in others) \
                and town is not None and town.population >= LARGE_CITY


def _area_reading(place: GazetteerPlace, item: Item) -> float:
    """The text calls the name an area ("Washington state", "the state of New York"), or lists it
    among a country's states: an area reading gains over a town of the same name."""
    if place.feature not in {"admin1", "admin2", "admin"}:
        return 0.0
    context = _area_reading_of_context(place, item)
    # "the county of Kent": Kent's own name as much as Kent County's, whichever the text means
    own = place_key(place.name) in {item.key, place_key(item.text)} and (context or not _namesake_penalty(place, item))
    return context + OWN_NAME_BONUS if own else context


def _area_reading_of_context(place: GazetteerPlace, item: Item) -> float:
    if item.cue.admin and item.cue.pattern == "chain" and item.support and not item.support.get(place.country):
        return 0.0  # "Eringeti (Beni, North Kivu)" in a note about the ADF: not Bolivia's El Beni
    if item.cue.admin:
        # "a Washington state farm": Washington state, not the District of Columbia that ISO 3166-2
        # also lists as "Washington"; an area that only goes by the name gains less than one that owns it
        if place_key(place.name) != item.key and any(
                p.feature == place.feature and p.by_main_name and place_key(p.name) == item.key for p in item.options):
            return AREA_BONUS / 2
        return AREA_BONUS
    return AREA_BONUS if item.listed_areas and place.feature == "admin1" and place.country == item.listed_areas \
        else 0.0


def _decision(item: Item) -> Decision:
    best = item.scores[0][1]
    ranking = [(p, round(s, 3)) for s, p in item.scores[:TOP]]
    precision = precision_of(best.feature)
    if item.cue.offset or item.valley or (item.cue.direction and precision in {"point", "locality"}):
        precision = COARSER[precision]  # "25 km S of X", "the X Valley", "northern X": near the place, not at it
    if item.cue.admin and best.feature in {"city", "locality"}:
        precision = "admin2"  # "Dallas County" placed at its namesake town: the area around it
    return Decision(item.index, best, ranking, precision, item.cue.offset, _undecided(item))


def _undecided(item: Item) -> bool:
    """No country or neighbour speaks for the best reading, and a namesake abroad is nearly as
    big: "unloaded in Tripoli" alone stays Libya-or-Lebanon, with both candidates kept. So does a
    small namesake in a country the text never points at when it clearly points elsewhere (`_astray`)."""
    best = item.scores[0][1]
    if _astray(item) or _outside_the_area_written(item):
        return True
    if _in_state_written(best, item):
        return False  # "Athens, Ga.": the state written after it tells the town from the bigger Athens
    if best.feature in {"country", "continent"} or item.support.get(best.country) or item.near.get(best.id, 0) > 0.5:
        return False
    rival = next((p for _, p in item.scores[1:] if p.country != best.country), None)
    margin = SERVED_RIVAL_MARGIN if item.served else RIVAL_MARGIN
    return rival is not None and _size(rival) > _size(best) - margin


# How much smaller (in `_size`, log10 of people) a namesake abroad may be and still leave a name
# undecided: a tenth of the best reading's size. The town an airport serves ("l'aéroport de Gao") is a
# regional centre, which the bigger namesake far more often is: there only a namesake at least a third
# as big keeps it undecided (Gao, Mali, 133,000 people; Gao, Burkina Faso, 26,000).
RIVAL_MARGIN = 1.0
SERVED_RIVAL_MARGIN = 0.5


def _outside_the_area_written(item: Item) -> bool:
    """"Stroud, Ontario, Canada" when the index knows no Stroud in Canada, only the English town:
    the text says which country the town is in, so a reading in another country is not it."""
    best = item.scores[0][1]
    if best.feature not in {"city", "locality"}:
        return False  # "Alabama, Colorado, Georgia, Idaho": a state in a list of states is in no country named after it
    countries = {area.country for area in item.within if area.feature == "admin1"} \
        | ({item.container} if item.container else set())
    return bool(countries) and best.country not in countries


def _outside_the_districts_written(item: Item) -> bool:
    """"The Rice Lake area of Fulton County", "near Rice Lake, Fulton County, Illinois" when the index
    knows only Rice Lake, Wisconsin: the text puts the name in a county or district, and no town of
    that name lies in any area of that name, so the town meant is one the index lacks, and the
    district (the one in the state written after it, if any) is where it is."""
    districts = [area for area in item.within if area.feature in DISTRICTS]
    return bool(districts) and all(p.feature in {"city", "locality"} and not _inside(p, districts)
                                   for p in item.options)


# How often a document must point at one country before a small reading elsewhere that nothing
# supports looks astray, and the closeness (`_bonus`) a neighbour's top reading gives within 150 km.
CLEAR_FOCUS = 5
# A weak reading needs less to look astray: a few clues to one country, three times as many as to
# its own. Weak: only another name of a small town matches it, or the text calls the name an area
# ("the district of Karo") and the reading is a town.
WEAK_READING_FOCUS = 3
WEAK_TOWN = 100_000  # a town this big is known by its other names too ("Oklahoma" for Oklahoma City)
NEAR_TOP_READING = 1.8


def _astray(item: Item) -> bool:
    """"a sushi bar in Piccadilly" in a London story whose index lacks the London street: the only
    Piccadilly it knows is an Australian hamlet. A reading that is neither famous (a large town or
    an area by its own name) nor supported (its country unnamed, no neighbour's top reading within
    150 km, no area or country written beside it) while the text keeps pointing at another country
    is a namesake, not the place meant: the name stays a place, with its candidates, but unpinned. So
    is a small town thousands of kilometres from every other place a shorter text names
    (`_far_from_the_rest`): "in Piccadilly, in central London" points at Britain only once."""
    best = item.scores[0][1]
    if best.feature in {"country", "continent"} or item.container or item.within or item.cue.pattern == "chain":
        return False
    if item.far_from_the_rest:
        return True
    # famous under the name written: "Central Plateau" is not Burkina Faso's "Plateau-Central" in a Haitian story
    written = place_key(best.name) == item.key or spelled_out_key(item.key) == place_key(best.name)
    if best.by_main_name and (best.population >= 100_000 or (best.feature in AREAS and written)):
        return False
    focus = max(item.support.values(), default=0)
    if item.near.get(best.id, 0.0) >= NEAR_TOP_READING:
        return False
    # "three children from northern Sumatra province in the district of Karo": neither Caro, Michigan,
    # which only goes by that name, nor Kāro, a town in India, is a district of a text about Indonesia,
    # even one that names the US once in passing
    elsewhere = item.support.get(best.country, 0)
    weak = best.population < WEAK_TOWN and (not best.by_main_name
                                            or (item.cue.admin and best.feature in {"city", "locality"}))
    return (focus >= CLEAR_FOCUS and not elsewhere) or (weak and focus >= WEAK_READING_FOCUS and elsewhere * 3 <= focus)


# How far from an area's centroid a place named as lying in it may be: a state or province is wide
# (Beaumont is 450 km from the middle of Texas), a district or county much less.
INSIDE_KM = {"admin1": 800, "admin2": 150, "admin": 150}


def _inside(place: GazetteerPlace, areas: list[GazetteerPlace]) -> bool:
    """"Beaumont, Texas", "Stroud, Ontario": a reading inside the area named after it. A US county
    is inside the state whose code it carries, not any state within reach: "Polk County, Iowa" is not
    the Polk County of Missouri, 480 km from the middle of Iowa."""
    return any(area.country == place.country and area.id != place.id
               and (_in_state(place, area) if place.id.startswith("fips:") and area.feature == "admin1"
                    else km(place.lat, place.lon, area.lat, area.lon) <= INSIDE_KM[area.feature]) for area in areas)


def _in_state(county: GazetteerPlace, state: GazetteerPlace) -> bool:
    """Whether a county's state code ("US.IA") is the ISO 3166-2 state's ("iso3166-2:US-IA")."""
    return bool(county.admin1) and state.id == "iso3166-2:" + county.admin1.replace(".", "-", 1)


# What the US state written right after a town ("Springfield, Ill.", "Moscow, Idaho") adds to its
# reading in that state, beyond what lying inside the area written gives every reading near it: the
# writer named the state to tell the town from its namesakes, so it outweighs a capital abroad
# (Moscow, 10 million people, against Moscow, Idaho, 25,000) and a namesake in the next state.
STATE_WRITTEN = 4.0


def _in_state_written(place: GazetteerPlace, item: Item) -> bool:
    return in_a_state_written(place, item.within)


def in_a_state_written(place: GazetteerPlace, areas: Iterable[GazetteerPlace]) -> bool:
    """Whether a US town's reading lies in a state the text writes right after it (`areas`), by the
    state code the index gives the town (a radius would take Springfield, Missouri for one in
    Illinois). Only US towns: elsewhere GeoNames' first-level codes are not the ISO 3166-2 ones."""
    return place.country == "US" and place.feature in {"city", "locality"} \
        and any(area.feature == "admin1" and _in_state(place, area) for area in areas)


def _margin(item: Item) -> float:
    if len(item.scores) < 2:
        return 9.0
    return item.scores[0][0] - item.scores[1][0]


def _size(place: GazetteerPlace) -> float:
    # a US county carries its own population: Ohio's Hamilton County (816,000) outweighs Florida's (14,000),
    # which a nominal size for every county would make equal
    size = place.population if place.id.startswith("fips:") else max(place.population,
                                                                       FEATURE_SIZE.get(place.feature, 0))
    score = math.log10(size + 10)
    if not place.by_main_name:
        score -= 1.0
    if place.feature == "installation":
        score -= SPOT_PENALTY
    return score


# A town big enough to be what its region's name means ("Gao", "Ménaka"); a hamlet that shares a
# state's name does not take it over ("Guerrero state police": not a Mexican village of 900 people).
TOWN_POPULATION = 5000
# A town the name is only another name of ("Tombouctou" is GeoNames' Timbuktu) is what a region of
# that name means when it is this big; smaller ones may be a hamlet's alias.
TOWN_BY_OTHER_NAME = 20_000


def _namesake_penalty(place: GazetteerPlace, item: Item) -> float:
    """"Gao", "Latakia": a region named after its town means the town, unless the text says region.
    So does one named "Tombouctou" when the town (GeoNames' Timbuktu) goes by that name too. So
    does a region that only goes by its seat's name ("Zalingei" is ISO 3166-2's other name for
    Central Darfur) when a town goes by it too, even under another spelling (GeoNames' Zalinjay)."""
    if place.feature not in {"admin1", "admin2", "admin"} or item.cue.admin:
        return 0.0
    seat_named = place_key(place.name) != item.key
    for other in item.options:
        if other.feature in {"city", "locality"} and other.country == place.country \
                and (((other.by_main_name or seat_named) and other.population >= TOWN_POPULATION)
                     or other.population >= TOWN_BY_OTHER_NAME) \
                and km(place.lat, place.lon, other.lat, other.lon) < 250:
            return 3.0
    return 0.0


def _country_support(place: GazetteerPlace, support: Counter[str]) -> float:
    if not support or not place.country:
        return 0.0
    count = support.get(place.country, 0)
    return 1.5 + 1.5 * count / max(support.values()) if count else 0.0


def _score(items: list[Item], anchors: list[tuple[float, float]], bonus: dict[str, float], first_round: bool,
           states: dict[str, GazetteerPlace] | None = None) -> None:
    """Score every reading; in the second round, add closeness to the other names' readings and
    the support of the states or provinces the text names with confidence (`states`)."""
    previous = {id(it): [p for _, p in it.scores[:TOP]] for it in items} if not first_round else {}
    # each name's readings as `_distinct_readings` weighs them, worked out once, not once per neighbour
    readings = {key: [(rank, near, (near.lat, near.lon, near.feature)) for rank, near in enumerate(places)
                      if near.feature not in {"continent", "country"}] for key, places in previous.items()}
    starts = sorted(range(len(items)), key=lambda n: items[n].start)
    distances: dict[tuple[float, ...], float] = {}  # the same few places recur all through a long text
    ordered = [items[n].start for n in starts]
    near_anchors = _Anchors(anchors, distances)
    no_anchors = _Anchors([], distances)
    listed: list[tuple[int, GazetteerPlace]] = []
    for item in items:
        scored = []
        if not first_round:  # the readings of names within NEAR_CHARS, found once per name, not per reading
            low, high = bisect_left(ordered, item.start - NEAR_CHARS), bisect_right(ordered, item.start + NEAR_CHARS)
            window = starts[low:high]
            neighbours = sorted(_distinct_readings((items[n] for n in window if items[n].key != item.key), readings),
                                key=lambda rank_near: rank_near[1].lat)
            latitudes = [near.lat for _, near in neighbours]
            # "the communities of San Juan, Choropampa and Magdalena": a list's names are near one another
            # of towns: a list of states ("New Jersey and New York") says nothing of how near their towns are
            listed = sorted((rank_near for rank_near in _distinct_readings(
                (items[m] for m in item.listed_with if items[m].key != item.key), readings)
                if rank_near[1].feature in {"city", "locality"}), key=lambda rank_near: rank_near[1].lat)
        for place in item.options[:40]:
            score = _size(place) + _country_support(place, item.support) - _namesake_penalty(place, item) \
                + (STATE_SUPPORT if _in_named_state(place, item, states) else 0.0) \
                + (SENTENCE_STATE if item.sentence_state and _in_state(place, item.sentence_state) else 0.0) \
                + bonus.get(place.id, 0.0) + (3.0 if item.container and place.country == item.container else 0.0) \
                + (3.0 if _inside(place, item.within) else 0.0) \
                + (STATE_WRITTEN if _in_state_written(place, item) else 0.0) \
                + _area_reading(place, item) \
                + (AREA_BONUS if (item.listed_towns or item.city_feature) and place.feature in {"city", "locality"}
                   else 0.0)
            if not first_round:
                item.near[place.id] = _closeness(place, neighbours, latitudes, near_anchors, distances)
                # a list names different places: "New York City, Long Island, New York" is the state
                others = [rank_near for rank_near in listed if rank_near[1].id != place.id]
                if others and place.feature in {"city", "locality"}:  # towns listed say nothing of an area
                    item.near[place.id] = max(item.near[place.id], LIST_CLOSENESS * _closeness(
                        place, others, [near.lat for _, near in others], no_anchors, distances))
                score += item.near[place.id]
            scored.append((round(score, 4), place))
        scored.sort(key=lambda sp: (-sp[0], sp[1].id))
        item.scores = scored


# What the state a sentence names adds to a county of that name in it: "in Michigan, near the Mouillee
# game area in Monroe County" is Michigan's Monroe County, even where the text names Ames, Iowa later.
SENTENCE_STATE = 1.0
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def _states_of_sentences(text: str, items: list[Item], states: dict[str, GazetteerPlace]) -> None:
    """Give each name that may be a US county the state its own sentence names nearest to it."""
    named = [(item.start, item.end, states[item.key]) for item in items
             if item.key in states and states[item.key].country == "US"]
    counties = [item for item in items if any(p.id.startswith("fips:") for p in item.options)]
    if not named or not counties:
        return
    ends = [m.end() for m in SENTENCE_END.finditer(text)]  # once: a long text has many counties and states
    by_sentence: dict[int, list[tuple[int, int, GazetteerPlace]]] = {}
    for start, end, state in named:
        by_sentence.setdefault(bisect_right(ends, start), []).append((start, end, state))
    for item in counties:
        same_sentence = [(min(abs(item.start - end), abs(start - item.end)), start, state)
                         for start, end, state in by_sentence.get(bisect_right(ends, item.start), [])]
        if same_sentence:
            item.sentence_state = min(same_sentence, key=lambda gap: gap[:2])[2]


# "Passengers from New York and Toronto": a name listed with towns only is a town too, the city that
# goes by it rather than the state that owns it. Every town reading gains what a state listed with
# states gains (`AREA_BONUS`), so the towns keep their order among themselves. A pair needs its "and".
PAIR_JOINED = re.compile(r"\b(?:and|or|et|ou)\b")
LARGE_CITY = 100_000
# How much more a neighbour in the same list ("A, B and C") says than one elsewhere in the text.
LIST_CLOSENESS = 1.5

# What a state or province the text names with confidence adds to a town inside it: "Tyler,
# Longview … Texas … Fairfield" is Fairfield, Texas, not the larger Fairfield in Ohio.
STATE_SUPPORT = 0.6


def _in_named_state(place: GazetteerPlace, item: Item, states: dict[str, GazetteerPlace] | None) -> bool:
    """Whether a town lies in a state the text names under another name than this one's; a name that
    is itself a state's ("Ontario", "Quebec" in a list of provinces) gains nothing as a town. Only
    where the index says which state a town is in and that code is the state's ISO one ("US.TX" and
    US-TX): a radius would put Solon, Iowa in the Minnesota of the same text."""
    if not states or not place.admin1 or place.feature not in {"city", "locality"} \
            or any(p.feature == "admin1" and p.by_main_name for p in item.options):
        return False
    code = "iso3166-2:" + place.admin1.replace(".", "-", 1)
    return any(state.id == code for name, state in states.items() if name != item.key)


def _distinct_readings(others: Iterable[Item],
                       readings: dict[int, list[tuple[int, GazetteerPlace, tuple[float, float, str]]]]
                       ) -> list[tuple[int, GazetteerPlace]]:
    """(rank, reading) of the other names' top readings, each place once at its best rank.

    Only rank 0 or not matters to `_closeness` (full bonus or 0.6 of it), so a place that many
    neighbours read the same way ("Gao" named twenty times nearby) is weighed once, not twenty times.
    """
    best: dict[tuple[float, float, str], tuple[int, GazetteerPlace]] = {}
    for other in others:
        for rank, near, key in readings.get(id(other), ()):  # (rank among its readings, reading, its point)
            known = best.get(key)
            if known is None or (rank == 0 and known[0] != 0):
                best[key] = (rank, near)
    return list(best.values())


def _closeness(place: GazetteerPlace, neighbours: list[tuple[int, GazetteerPlace]], latitudes: list[float],
               anchors: _Anchors, distances: dict[tuple[float, ...], float]) -> float:
    """The nearest pair wins: a reading close to another name's likely reading gains most.

    `neighbours` are (rank, reading) of the other names within NEAR_CHARS, sorted by latitude
    (`latitudes`). A pair more than FAR_KM apart in latitude alone earns nothing, so only the
    neighbours within that band are looked at (found by bisection, not by a scan), and
    `distances` keeps each pair's distance for the rest of the document: in a dense report every
    name has dozens of neighbours and anchors, and these loops were most of geoparsing's time.
    """
    if place.feature in {"continent", "country"} or place.lat is None or place.lon is None:
        return 0.0
    best = anchors.best(place.lat, place.lon)
    far = FAR_KM / KM_PER_DEGREE
    # a band a little wider than `far`: the exact test below decides, as it always did
    low, high = bisect_left(latitudes, place.lat - far - 1e-6), bisect_right(latitudes, place.lat + far + 1e-6)
    for rank, near in neighbours[low:high]:
        if best >= BEST_BONUS:
            break
        if abs(near.lat - place.lat) >= far or near.id == place.id:
            continue  # no place vouches for itself: "near Rice Lake, in Fulton County" may both read as the county
        pair = (place.lat, place.lon, near.lat, near.lon)
        distance = distances.get(pair)
        if distance is None:
            distance = distances[pair] = km(place.lat, place.lon, near.lat, near.lon)
        bonus = _bonus(distance, near.feature)
        best = max(best, bonus if rank == 0 else bonus * 0.6)
    return best


class _Anchors:
    """The best bonus the document's anchors (installations it fixed) give a point, worked out
    once per point: a long text names the same few places again and again."""

    def __init__(self, anchors: list[tuple[float, float]], distances: dict[tuple[float, ...], float]):
        self.anchors = sorted(anchors)
        self.latitudes = [lat for lat, _ in self.anchors]
        self.distances = distances
        self.known: dict[tuple[float, float], float] = {}

    def best(self, lat: float, lon: float) -> float:
        known = self.known.get((lat, lon))
        if known is not None:
            return known
        far = FAR_KM / KM_PER_DEGREE  # `_bonus` of a locality is 0 from 400 km on, well inside the band
        low = bisect_left(self.latitudes, lat - far - 1e-6)
        high = bisect_right(self.latitudes, lat + far + 1e-6)
        best = 0.0
        for other_lat, other_lon in self.anchors[low:high]:
            if best >= BEST_BONUS:
                break
            pair = (lat, lon, other_lat, other_lon)
            distance = self.distances.get(pair)
            if distance is None:
                distance = self.distances[pair] = km(lat, lon, other_lat, other_lon)
            best = max(best, _bonus(distance, "locality"))
        self.known[(lat, lon)] = best
        return best


def _bonus(distance: float, feature: str) -> float:
    if feature == "admin1":
        return 1.5 if distance < 300 else 0.6 if distance < 700 else 0.0
    if feature in {"admin2", "admin"}:
        return 2.0 if distance < 120 else 0.8 if distance < 300 else 0.0
    return 2.5 if distance < 60 else 1.8 if distance < 150 else 0.8 if distance < 400 else 0.0


def _accepted(item: Item, surnames: set[str], placed: set[tuple[str, str]] = frozenset()) -> bool:
    """Whether the text or the ranking vouches for this name being a place at all; `placed` are the
    (name, reading) pairs the text vouched for elsewhere, which stand in for a cue here."""
    best = item.scores[0][1]
    if best.feature in {"city", "locality"} and item.key.split()[-1] in SEAT_NAMED_AREAS \
            and item.near.get(best.id, 0.0) < 1.5:
        return False  # "Scott County, Indiana" is not Scott, Louisiana: the namesake town must be near
    if item.valley and item.near.get(best.id, 0.0) < 1.5 and not _inside(best, item.within):
        return False  # "Fraser Valley … near Vancouver" is not around Fraser, Michigan: a namesake must be near
    # "to Reston, Virginia": a town the text puts in a state that holds it is a place, even where the
    # name is elsewhere a surname or a virus's ("Ebola Reston")
    strong = item.cue.strength >= 2 or _inside(best, item.within)
    acronym = item.text.isupper() and len(item.text.replace(".", "")) <= 4
    in_context = item.support.get(best.country, 0) > 0
    if acronym and best.feature != "country" and not (best.feature == "admin1" and best.by_main_name
                                                       and (in_context or strong)):
        return False  # "UN", "CDC", "EST": organisations and codes far more often than places ("NSW" is one)
    if acronym and best.feature == "country" and (item.currency_or_compound or item.postposed
                                                  or (item.cue.strength == 0 and not item.closed)):
        return False  # "US officials", "US$10,000", "a UK-made drone", "des responsables US": a modifier or a unit
    if (item.key in surnames or item.key in common_words() or item.initial or _adjective(item, best)) \
            and not strong:
        return False  # "Campbell said", "Harry S. Truman": people; "Canadian": an adjective; "Spring"
    if item.after_the and item.closed and best.feature in {"city", "locality"} and not item.cue.pattern \
            and not item.cue.admin:
        return False  # "the Saratov was sunk", "on the Novocherkassk,": a town's name after "the" is a ship's
    if item.not_a_place or (item.key in DIRECTION_NAMES and item.cue.pattern not in {"chain", "list"}):
        return False  # "Europe du Nord et de l'Est": a direction, unless in "Kantchari (Tapoa, Est)"
    if item.airport and not (best.by_main_name and best.feature in {"city", "locality"}
                             and best.population >= AIRPORT_TOWN):
        return False  # "l'aéroport Atatürk": the airport's own name, no hamlet that shares it
    if item.airport and not in_context and any(p.country != best.country and p.feature in {"city", "locality"}
                                               for p in item.options):
        return False  # "Kennedy International Airport": a name towns of several countries bear is a person's
    if item.school and not (best.by_main_name and (best.population >= 100_000 or best.feature in AREAS)):
        return False  # "pupils at Franklin Elementary … children near Franklin": the school, not a town
    near = item.near.get(best.id, 0.0) >= 1.5
    if not best.by_main_name and not (strong or near or best.feature in AREAS
                                      or (in_context and best.population >= 20_000)
                                      or (best.population >= 100_000 and len(item.key) >= 4)):
        return False  # "Bayraktar" is an alternate name of a Turkish village: context must unlock it
    if strong or (item.key, best.id) in placed:
        return True
    big = best.population >= 100_000 or (best.feature in AREAS and best.by_main_name)
    if item.sentence_start and item.cue.strength == 0:  # a heading's "Conception" is not Concepcion's alias
        return (big and (best.by_main_name or in_context)) or (in_context and near)
    if item.cue.strength == 1:
        return big or in_context or near or best.population >= 5000
    multiword = " " in item.key
    return big or near or (in_context and best.population >= 1000) or (multiword and best.population >= 5000) \
        or (best.feature in {"admin2", "admin"} and in_context)


def _adjective(item: Item, best: GazetteerPlace) -> bool:
    """A one-word name shaped like a nationality ("Canadian", "Congolese") is an adjective unless
    it names a large place; so is one before the body it qualifies ("Chadian authorities", "the
    Canadian government"), which the look-up reads as a place naming its body."""
    words = item.key.split()
    if len(words) == 2 and words[1] in BODY_WORDS:
        words = words[:1]
    return len(words) == 1 and words[0].endswith(("ian", "ean", "ese", "ish")) and best.population < 100_000 \
        and best.feature not in AREAS


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    h = math.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * \
        math.sin((lon2 - lon1) * p / 2) ** 2
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


@cache
def common_words() -> frozenset[str]:
    """Words that are also hamlets: a place only after a clear locative (`common_words.txt`)."""
    lines = Path(__file__).with_name("common_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def home_regions() -> dict[str, tuple[str, ...]]:
    """Countries where an actor operates (JNIM: Mali, Burkina Faso, Niger): a clue to where the
    document's villages are when no country is named. Data in `home_regions.csv`."""
    path = Path(__file__).with_name("home_regions.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["actor"]: tuple(c for c in row["countries"].split(";") if c) for row in csv.DictReader(handle)}


def surnames_in(names: Iterable[str], known_places: set[str]) -> set[str]:
    """Last words of multi-word names that are not places ("John Campbell" makes "Campbell" a surname);
    an acronym is no surname ("Racing NSW" is a body named after its state)."""
    out = set()
    for name in names:
        words = name.split()
        if 2 <= len(words) <= 4 and place_key(name) not in known_places and re.match(r"^[A-Z][a-z]", words[0]) \
                and not words[-1].isupper() \
                and words[0].lower() not in NOT_GIVEN_NAMES and not GENERIC_WORDS & {w.lower() for w in words}:
            out.add(place_key(words[-1]))
    return out
