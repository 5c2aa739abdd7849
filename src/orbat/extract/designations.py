"""Designations as people write them, beyond the catalog's own spellings.

- Ships named by prefix and name, with or without a pennant ("USS Arleigh Burke (DDG 51)", "HMS Prince
  of Wales (R09)"), or by a class noun and name ("le porte-avions Charles de Gaulle", "2 frégates (le
  Chevalier Paul et le La Motte-Picquet)"): one system each, of its class where the catalog knows it.
  A pennant is part of the ship's name, never a designation or a count; a ship heading a formation
  ("USS Abraham Lincoln Carrier Strike Group") names the formation, not the ship.
- Ship classes written as a name and "-class" ("two Island-class patrol vessels", "frégates de classe
  Horizon") and Soviet-style project numbers ("Project 10750E") are designations.
- "fighters" are people unless an aircraft context says otherwise ("fighter jets", "F-16 fighters",
  "pilots flew the fighters"); "chasseurs" likewise.

The words live in `orbat/patterns/designations.json`, so an analyst extends them as data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from orbat.extract.alternations import first_letter_alternation
from orbat.extract.lexicon import Lexicon
from orbat.extract.spans import Occupied
from orbat.model import Mention, Sentence, Span

AIRCRAFT_CLASSES = {
    "fighter-aircraft",
    "attack-aircraft",
    "bomber",
    "trainer-aircraft",
    "transport-aircraft",
    "patrol-aircraft",
}
#: Words for people in arms right before "fighters": "foreign fighters", "rebel fighters".
PEOPLE_BEFORE = re.compile(
    r"(?:foreign|rebel|militant|jihadist|islamist|armed|insurgent|enemy|tribal|local|"
    r"opposition|militia|[A-Z][\w'’-]{0,40}+)\s+$"
)  # bounded: linear (bench/regex_audit.py)
# A ship's name: capitalised words (initials, "of", "de", "la" inside), at most six, linear (no backtracking).
_NAME_WORD = r"(?:(?:[A-Z]\.)++|[A-ZÀ-Þ][\w'’-]{0,30}+)"
_JOINER = r"(?:of|de|du|des|la|le|d['’]|von|van)"
_SHIP_NAME = rf"{_NAME_WORD}(?:\s(?:{_JOINER}\s)?{_NAME_WORD}){{0,5}}+"
_PENNANT = r"\((?P<pennant>[A-Z]{1,4}[ -]?\d{1,4}[A-Z]?|\d{2,4})\)"


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    prefixed: re.Pattern[str]
    by_noun: re.Pattern[str]
    bracketed: re.Pattern[str]
    formation: re.Pattern[str]
    formation_inside: re.Pattern[str]
    class_form: re.Pattern[str]
    french_class: re.Pattern[str]
    project: re.Pattern[str]
    not_class_names: frozenset[str]
    named_ships: dict[str, str]
    named_ship: re.Pattern[str]
    fighter: re.Pattern[str]
    people_after: re.Pattern[str]
    aircraft_context: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    # longest first, ties in a fixed order (the same pattern text in every process: `orbat.compiled`)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w)))




@cache
def vocabulary() -> _Vocabulary:
    data = json.loads(resources.files("orbat.patterns").joinpath("designations.json").read_text(encoding="utf-8"))
    nouns = first_letter_alternation(sorted(set(data["ship_nouns"]), key=lambda w: (-len(w), w)), ignore_case=True,
                                     flexible_blanks=True)
    modifiers = _alternation(data["ship_noun_modifiers"])
    # the first letters of the ship nouns, looked ahead for: other places are passed over at once
    opening = "(?i:(?=[" + "".join(sorted({re.escape(w[0]) for w in data["ship_nouns"]})) + "]))"
    noun = rf"(?i:{nouns})(?:\s+(?i:{modifiers}))?(?:\s+\([A-Z]{{2,6}}\))?"
    return _Vocabulary(
        prefixed=re.compile(
            rf"(?<![\w-])(?P<prefix>{'|'.join(map(re.escape, data['ship_prefixes']))})\s+"
            rf"(?P<name>{_SHIP_NAME})(?:\s*{_PENNANT})?"
        ),
        by_noun=re.compile(
            rf"{opening}(?<![\w-])(?P<noun>{noun})\s+(?:(?i:le|la|the)\s+)?(?P<name>{_SHIP_NAME})"
            rf"(?:\s*{_PENNANT})?"
        ),
        bracketed=re.compile(
            rf"{opening}(?<![\w-])(?P<noun>{noun})\s*\((?P<names>(?:(?i:le|la|l['’])\s*)?{_SHIP_NAME}"
            rf"(?:\s*(?:,|\bet\b|\band\b)\s*(?:(?i:le|la|l['’])\s*)?{_SHIP_NAME})*)\)"
        ),
        formation=re.compile(rf"\s*(?:{_alternation(data['formations'])})\b", re.I),
        formation_inside=re.compile(rf"\s(?:{_alternation(data['formations'])})\b", re.I),
        class_form=re.compile(
            rf"(?<![\w-])(?P<name>[A-ZÀ-Þ][\w'’]{{0,30}}+(?:[ -][A-ZÀ-Þ][\w'’]{{0,30}}+){{0,2}})"
            rf"[- ]class\s+(?=(?:{_alternation(data['class_nouns'])})\b)"
        ),
        french_class=re.compile(
            rf"{opening}(?<![\w-])(?i:{nouns})\s+(?:de\s+)?(?:la\s+)?classe\s+(?P<name>[A-ZÀ-Þ][\w'’-]{{0,30}}+"
            rf"(?:\s[A-ZÀ-Þ][\w'’-]{{0,30}}+){{0,2}})"
        ),
        project=re.compile(
            r"(?<![\w-])(?:Project|Projet|projet)\s+(?!(?:19|20)\d\d(?![\w.-]))(?P<number>\d{3,5}(?:\.\d)?[A-ZА-Я]{0,2}\d?)"
            r"(?![\w-])"
        ),
        not_class_names=frozenset(data["not_class_names"]),
        named_ships=dict(data["named_ships"]),
        named_ship=re.compile(
            rf"(?<![\w-])(?:the|The|le|Le)\s+(?P<name>{_alternation(list(data['named_ships']))})"
            r"(?![\w'’-]|\s+(?:[A-Z]|region|oblast|province|area|city|district|airport|ville|"
            r"région|aéroport))"
        ),
        fighter=re.compile(rf"(?<![\w-])(?:{_alternation(data['fighter_nouns'])})(?![\w-])", re.I),
        people_after=re.compile(rf"\s+(?:{_alternation(data['people_after_fighters'])})(?![\w-])", re.I),
        aircraft_context=re.compile(rf"(?<![\w-])(?:{_alternation(data['aircraft_context'])})(?![\w-])", re.I),
    )


def written_designations(
    text: str, mentions: list[Mention], blocked: list[tuple[int, int]], lexicon: Lexicon
) -> list[Mention]:
    """Ships, ship classes and projects the catalog scan left: found before the designation-shaped
    words, so a pennant ("DDG 51", "R09") is never read as a system of its own."""
    words = vocabulary()
    taken = Occupied(len(text), [(m.span.start, m.span.end) for m in mentions] + blocked)
    out: list[Mention] = []
    for m in words.prefixed.finditer(text):
        mention = _ship(text, m, taken, lexicon, words)
        if mention is not None:
            out.append(mention)
    out += _bracketed_ships(text, taken, lexicon, words)
    for m in words.by_noun.finditer(text):
        mention = _ship(text, m, taken, lexicon, words)
        if mention is not None:
            out.append(mention)
    out += _class_forms(text, taken, lexicon, words)
    return out


def _trim(name: str) -> str:
    """A ship's name never ends on a joiner ("of", "de")."""
    return re.sub(rf"\s(?:{_JOINER})$", "", name)


def _ship(text: str, m: re.Match[str], taken: Occupied, lexicon: Lexicon, words: _Vocabulary) -> Mention | None:
    name = _trim(m.group("name"))
    name_end = m.start("name") + len(name)
    end = m.end() if m.group("pennant") and text[name_end : m.start("pennant") - 1].strip() == "" else name_end
    if not taken.free(m.start(), end) or words.formation.match(text, name_end) or words.formation_inside.search(name):
        return None  # "USS Abraham Lincoln Carrier Strike Group": a formation, not the ship
    noun = m.groupdict().get("noun")
    if noun is not None and not _named_enough(name, m.group("pennant"), words, lexicon, noun):
        return None
    taken.take(m.start(), end)
    if not m.group("pennant") and not _french(noun or ""):
        return None  # "USS Gettysburg", "HMS Westminster": a named hull, kept for the actors, not a system
    return _ship_mention(
        text,
        m.start(),
        end,
        name,
        m.groupdict().get("pennant"),
        (m.groupdict().get("prefix") or noun or ""),
        lexicon,
        words,
    )


def _french(noun: str) -> bool:
    """French names ships by a class noun ("la frégate Jean Bart", "le porte-avions Charles de Gaulle")."""
    return bool(
        re.search(r"[éèêâàç]|frégate|porte|sous-marin|patrouilleur|pétrolier|bâtiment|aviso|navire|BPC", noun, re.I)
    )


def _named_enough(name: str, pennant: str | None, words: _Vocabulary, lexicon: Lexicon, noun: str) -> bool:
    """After a bare class noun ("the destroyer Carney", "la frégate Jean Bart") a capitalised word is
    a ship's name only when the catalogs know it, a pennant follows, or the text is French (where
    "la frégate X" is the usual way to name a ship); "frigates Germany sent" is not a ship."""
    if pennant or name in words.named_ships or _catalog_senses(f"{noun} {name}", lexicon):
        return True
    if any(s.kind in {"country", "region", "actor"} for s in lexicon.lookup(name)):
        return False
    return _french(noun)


def _catalog_senses(phrase: str, lexicon: Lexicon) -> list[str]:
    return [s.id for s in lexicon.lookup(phrase) if s.kind == "equipment"]


def _ship_mention(
    text: str, start: int, end: int, name: str, pennant: str | None, lead: str, lexicon: Lexicon, words: _Vocabulary
) -> Mention:
    """The catalog's own entry where it lists the ship ("FS Charles de Gaulle"), else a system named
    after the ship, of its class where the named-ship list knows it."""
    for phrase in (f"{lead} {name}", f"{name} ({pennant})" if pennant else "", name):
        known = _catalog_senses(phrase, lexicon) if phrase else []
        if known and (
            phrase != name
            or lexicon.catalogs.equipment[known[0]].equipment_class
            in {"warship", "submarine", "landing-ship", "patrol-boat"}
        ):
            return Mention(
                "equipment", Span(start, end, text[start:end]), tuple(f"equipment:{k}" for k in known), alias=phrase
            )
    label = f"{name} ({pennant})" if pennant else name
    family = words.named_ships.get(name)
    candidates = (f"name:{label}",) + ((f"family:{family}",) if family else ())
    return Mention("unknown_equipment", Span(start, end, text[start:end]), candidates)


def _bracketed_ships(text: str, taken: Occupied, lexicon: Lexicon, words: _Vocabulary) -> list[Mention]:
    """ "2 frégates (le Chevalier Paul et le La Motte-Picquet)", "1 porte-avions (Charles de Gaulle)"."""
    out = []
    for m in words.bracketed.finditer(text):
        if not _french(m.group("noun")):
            continue  # English names hulls for the actors (see `_ship`)
        offset = m.start("names")
        for part in re.finditer(rf"(?:(?:le|la|l['’])\s*)?(?P<name>{_SHIP_NAME})", m.group("names")):
            name = part.group("name")
            if name in {"Le", "La"}:
                continue
            a, b = offset + part.start("name"), offset + part.end("name")
            if not taken.free(a, b):
                continue
            out.append(_ship_mention(text, a, b, name, None, m.group("noun"), lexicon, words))
            taken.take(a, b)
    return out


def _class_forms(text: str, taken: Occupied, lexicon: Lexicon, words: _Vocabulary) -> list[Mention]:
    """ "Island-class patrol vessels", "frégates de classe Horizon", "Project 10750E"."""
    out = []
    for m in words.class_form.finditer(text):
        name = m.group("name")
        end = m.end("name") + len("-class")
        if name.split()[0] in words.not_class_names or not taken.free(m.start(), end):
            continue
        out.append(_class_mention(text, m.start(), end, name, lexicon))
        taken.take(m.start(), end)
    for m in words.french_class.finditer(text):
        if taken.free(m.start(), m.end()) and m.group("name").split()[0] not in words.not_class_names:
            out.append(_class_mention(text, m.start("name"), m.end(), m.group("name"), lexicon))
            taken.take(m.start(), m.end())
    for m in words.project.finditer(text):
        if taken.free(m.start(), m.end()):
            label = f"Project {m.group('number')}"
            known = _catalog_senses(label, lexicon)
            span = Span(m.start(), m.end(), m.group(0))
            out.append(
                Mention("equipment", span, tuple(f"equipment:{k}" for k in known), alias=label)
                if known
                else Mention("unknown_equipment", span, (f"name:{label}",))
            )
            taken.take(m.start(), m.end())
    return out


def _class_mention(text: str, start: int, end: int, name: str, lexicon: Lexicon) -> Mention:
    for phrase in (f"{name}-class", f"{name} class", name):
        known = _catalog_senses(phrase, lexicon)
        if known:
            return Mention(
                "equipment", Span(start, end, text[start:end]), tuple(f"equipment:{k}" for k in known), alias=phrase
            )
    return Mention("unknown_equipment", Span(start, end, text[start:end]), (f"name:{name}-class",))


def named_ships_first(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "the Caesar Kunikov", "the Novocherkassk": a listed ship's name after an article names the hull,
    so no catalog nickname ("Caesar", the howitzer) or place is read inside it. Like other named hulls
    without a pennant it is left to the actors, not made a system."""
    hulls = [(m.start("name"), m.end("name")) for m in vocabulary().named_ship.finditer(text)]
    if not hulls:
        return mentions
    inside = Occupied(len(text), hulls)
    return [m for m in mentions if inside.free(m.span.start, m.span.end)]


def people_not_aircraft(
    mentions: list[Mention], text: str, sentences: list[Sentence], lexicon: Lexicon
) -> list[Mention]:
    """Drop the fighter-aircraft class where "fighters" (or "chasseurs") are people: kept only with an
    aircraft beside it ("F-16 fighters", "fighter jets"), or aircraft words in its sentence and no
    armed group named right before it ("Islamic State fighters", "foreign fighters")."""
    words = vocabulary()
    equipment = lexicon.catalogs.equipment
    aircraft_ends = {
        m.span.end
        for m in mentions
        if m.kind == "equipment"
        and any(
            c.split(":", 1)[1] in equipment and equipment[c.split(":", 1)[1]].equipment_class in AIRCRAFT_CLASSES
            for c in m.candidates
            if c.startswith("equipment:")
        )
    }
    kept = []
    for mention in mentions:
        if (
            mention.kind == "equipment_class"
            and "equipment_class:fighter-aircraft" in mention.candidates
            and words.fighter.fullmatch(mention.span.text)
            and not _aircraft_context(mention, text, sentences, aircraft_ends, words)
        ):
            continue
        kept.append(mention)
    return kept


def _aircraft_context(
    mention: Mention, text: str, sentences: list[Sentence], aircraft_ends: set[int], words: _Vocabulary
) -> bool:
    start, end = mention.span.start, mention.span.end
    if words.people_after.match(text, end):
        return False  # "chasseurs alpins", "fighters loyal to"
    if any(start - 2 <= e <= start for e in aircraft_ends):
        return True  # "F-16 fighters", "Rafale fighters"
    after = re.match(r"\s+(\w+(?:\s\w+)?)", text[end : end + 30])
    if after and words.aircraft_context.match(after.group(1)):
        return True  # "fighter jets", "fighter squadron", "chasseurs de l'armée de l'air"
    sentence = next((s for s in sentences if s.start <= start < s.end), None)
    if sentence is None:
        return False
    if PEOPLE_BEFORE.search(text[max(sentence.start, start - 30) : start]):
        return False
    others = text[sentence.start : start] + " " + text[end : sentence.end]
    return bool(words.aircraft_context.search(others)) or any(
        sentence.start <= e <= sentence.end for e in aircraft_ends
    )
