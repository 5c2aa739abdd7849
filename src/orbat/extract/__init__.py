"""Extract: find every mention, date, marking and cue in a cleaned document.

The stage works on a folded copy of the text with the same length (see `orbat.normalize`), so
every offset it reports points into the text the user reads. It does not decide what the
mentions refer to (resolve does) nor how they relate (relate does).
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from orbat.extract.actors import another_persons_surname, at_a_seat, find_actors, names_a_thing
from orbat.extract.actors import title_case as _title_case
from orbat.extract.cues import find_cues
from orbat.extract.dates import find_date_expressions
from orbat.extract.designations import named_ships_first, people_not_aircraft, written_designations
from orbat.extract.lexicon import KIND_PRIORITY, Hit, Lexicon, default_lexicon
from orbat.extract.quantities import quantity_before, single_before
from orbat.extract.spans import Occupied
from orbat.model import CleanDocument, Extraction, Mention, Quantity, Sentence, Span
from orbat.normalize import fold
from orbat.text_tables import table_rows

ABBREVIATIONS = {"u.s", "u.k", "col", "gen", "lt", "maj", "capt", "sgt", "mr", "mrs", "dr", "no", "mod", "obr",
                 "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                 "vs", "etc", "e.g", "i.e", "approx", "fig", "inc", "ltd", "co", "adm", "brig", "cpl", "pvt"}
# Linear time (bench/regex_audit.py): a punctuation run is only tried from its first character, a
# word in a name is at most 40 characters and never given back (`{0,40}+`), and a name starts at
# no word character; without these a 40,000-character capitalised word took 50 s.
# A footnote marker after the full stop ("tanks.[15] 281 were ordered") stays with its sentence.
SENTENCE_END = re.compile(r"(?<![.!?])[.!?]+(?:\[\d{1,3}\]|[\"'”’)\]])*(?=\s+[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])"
                          r"|\n\s*\n|\n(?=\s*\S)")
_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’-]{0,40}+(?![\w'’-])"
DESIGNATION = re.compile(
    r"(?<![\w-])(?:[A-Z][A-Za-z]{0,11}-\d{1,4}[A-Za-z0-9]{0,5}(?:-\d{1,3}[A-Za-z]{0,3})?"
    r"|[A-Z]{2,5}\d{1,4}[A-Za-z]{0,3}|\d[A-Z]\d{1,3}[A-Z0-9]{0,2})(?![\w-])")
SHORT_DESIGNATION = re.compile(r"(?<![\w-])[A-Z]\d{1,3}[A-Z]{0,3}(?![\w-])")
NOT_EQUIPMENT = re.compile(r"^(?:COVID|G\d|G20|MH\d|SARS|H\d{3,}|A\d|B\d|E\d|M\d{1,2}$|UN|EU|AU|F\d$|Q\d|P5|U\d+$)",
                           re.I)
MARKING = re.compile(
    # the cue words grouped by first letter, and looked ahead for: `re.I` tries a plain alternation's
    # words one by one at every position of the text
    r"(?=[bcilmps])(?:i(?:nscription|nscriptions)|m(?:arked|arking|arkings|arquage|arquages)|painted|bearing|"
    r"l(?:etter|etters|ettre)|s(?:ymbol|ign|igns)|c(?:ode|odes))"
    r"\s+(?:with\s+|of\s+)?(?:the\s+)?(?:inscription\s+|letter\s+|symbol\s+|code\s+)?"
    r"[\"“«‘']\s*([^\"”»’'\n]{1,24}?)\s*[\"”»’']", re.I)
# Every capital of the Latin script, not only Latin-1's: "İstanbul", "Łódź", "Şanlıurfa", "Žilina".
LATIN_CAPITALS = "".join(c for start, end in ((0x41, 0x24F), (0x1E00, 0x1EFF))
                         for c in map(chr, range(start, end + 1)) if c.isupper())
# "Bab el-Oued", "Tal al-Abyad": a capital after an Arabic article's hyphen starts a word, which
# NAME_JOINER then joins to the word before the article (`_capitalised_runs` keeps it only then)
CAPITAL_WORD = re.compile(rf"(?:(?<![\w-])|(?<=(?<!\w)(?:al|el|ad|ar|as|at|an|az|ag)-))[{LATIN_CAPITALS}][\w'’-]*")
# "St. Marc", "Mt. Hood", "Ft. Bragg": an abbreviated first word runs on over its full stop.
ABBREVIATED = {" St", " Mt", " Ft", "Ste", "(St", "(Mt", "(Ft"}
# "St. John's", "St. George's": a saint's name with its "'s" (also read by `orbat.geoparse`)
SAINT_POSSESSIVE = re.compile(r"(?:St|Ste|Saint|Sainte)\.?\s+[A-Z][a-z]+['’]s$")
NAME_AFTER = re.compile(r"(?<!\s)\s+[A-Z]")  # the look-behind keeps a scan linear
NAME_JOINER = re.compile(r"^(?:\s+|\s+(?:al|el|ad|ash|ar|an|ag|az|ben|bin|de|du|des|la|le|es|da|di|del|do|"
                         r"dos|das|van|von|der)[\s-]+|\s+(?:as|at)-|-)$")  # "Laboratory at Weybridge": English "at"
TITLES = re.compile(
    r"(?<![\w-])(?P<title>President|Vice President|Prime Minister|Foreign Secretary|Defen[cs]e Secretary|"
    r"Secretary of State|Secretary of Defen[cs]e|Foreign Minister|Secretary|Senator|Governor|"
    r"Defen[cs]e Minister|Minister|Colonel|Col\.|"
    r"Lieutenant Colonel|Lt\. Col\.|General|Gen\.|Lieutenant General|Major General|Brigadier General|Brigadier|"
    r"Major|Maj\.|Captain|Capt\.|Commander|Admiral|Marshal|Field Marshal|Sergeant|Ambassador|Spokesman|"
    r"spokesperson|Chief of Staff|Emir|King|Sheikh|Général|Colonel-major|Président|Ministre|Capitaine)"
    r"\s+(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+(?:[A-Z]\.){1,3}(?=\s+[A-Z]))?"  # "Dagvin R.M. Anderson"
    r"(?:\s+(?:al-|bin\s|ben\s|de\s|el-)?[A-ZÀ-ÖØ-Þ][\w'’-]+){0,3})")
DEFINED_ACRONYM = re.compile(
    rf"(?<!\w)(?P<name>(?:{_WORD}|of|for|and|the|on|de|des|du|la|et|pour)(?:\s++(?:{_WORD}|of|for|"
    r"and|the|on|de|des|du|la|et|pour)){1,7})\s++\((?P<acronym>[A-Z][A-Za-z]{1,7})\)")
LOCATIVE = re.compile(r"(?:\b(?:in|at|near|from|to|into|outside|around|toward|towards|via|through|across|between|"
                      r"en|à|au|aux|près de|vers|depuis|dans)\s+(?:the\s+)?(?:town of\s+|city of\s+|"
                      r"village of\s+|région de\s+|ville de\s+)?)$")
LEADING_PREPOSITION = re.compile(r"(?:In|Near|At|From|Outside|Around|Across|Inside|Throughout|Toward|Towards|Dans|Près|"
                                 r"Vers|Depuis|Entre|Between|While|When|After|Before|Since|As|If|Although|Though|"
                                 r"Unlike|Like|But|And|Or|So|Yet|Meanwhile|However|Also|Both|Only|Even|Then|"
                                 r"Quand|Après|Avant|Depuis|Selon|Mais|Et)\s+")
ROAD_AFTER = re.compile(r"(?<!\s)\s+(?:road|highway|axis|route|corridor|motorway|track|axe|route nationale)\b", re.I)
ROAD_BEFORE = re.compile(r"\b(?:axe|axis|route|tronçon|road|roads?\s+between)\s+$", re.I)
BRACKETED_AFTER = re.compile(r"[\w\s'’-]{0,40}\($")
HEADLINE_KICKER = re.compile(r"[A-ZÀ-ÖØ-Þ0-9][A-ZÀ-ÖØ-Þ0-9 '’-]{1,39}\s*:\s+")
# A capitalised name, then one capital and the full stop ("Harry S."); the next word, capitalised,
# goes on the name unless it is a word sentences usually open with.
MIDDLE_INITIAL = re.compile(r"(?<![\w.])[A-Z][a-z]{1,20}\s[A-Z]\.$")
SENTENCE_OPENER = re.compile(r"(?<!\s)\s+(?:The|A|An|It|Its|He|She|They|This|That|These|Those|In|On|At|But|And|We|I|"
                             r"There|As|After|When|While|Then|However|Meanwhile|His|Her|Their|Le|La|Les|Il|Elle|Ils)\b")
SLASH_ALTERNATIVE = re.compile(r"/\s?([A-Za-z]{0,6}-?\d{1,4}[A-Za-z0-9]{0,4})(?![\w-])")


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        end = m.end() if m.group(0).strip() else m.start()
        # the last word only (abbreviations are short): searching the whole sentence is quadratic
        word = re.search(r"([\w.]+)[.]*$", text[max(start, m.start() - 12):m.start() + 1])
        if m.group(0).startswith(".") and word and word.group(1).rstrip(".").lower() in ABBREVIATIONS:
            continue
        if m.group(0) == "." and MIDDLE_INITIAL.search(text, max(start, m.start() - 40), m.start() + 1) \
                and not SENTENCE_OPENER.match(text, m.end()):
            continue  # "USS Harry S. Truman", "George W. Bush": a middle initial, not a sentence's end
        _add_sentence(sentences, text, start, end)
        start = m.end()
    _add_sentence(sentences, text, start, len(text))
    return sentences


def _add_sentence(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, text[start:end]))


def _mention_from_hit(hit: Hit, text: str) -> Mention:
    kinds = {s.kind for s in hit.senses}
    kind = next(k for k in KIND_PRIORITY if k in kinds)
    ordered = sorted(hit.senses, key=lambda s: KIND_PRIORITY.index(s.kind))
    candidates = tuple(dict.fromkeys(f"{s.kind}:{s.id}" for s in ordered))
    return Mention(kind, Span(hit.start, hit.end, text[hit.start:hit.end]), candidates, alias=ordered[0].alias)


def _slash_alternatives(mention: Mention, text: str, lexicon: Lexicon) -> list[Mention]:
    """"BTR-80/82A" names two systems: BTR-80A and BTR-82A, sharing prefix and suffix."""
    m = SLASH_ALTERNATIVE.match(text, mention.span.end)
    if not m:
        return []
    first = mention.span.text
    alt = m.group(1)
    prefix = re.match(r"^(.*?[-\s]?)(?=\d)", first)
    second_name = alt if not alt[:1].isdigit() or not prefix else prefix.group(1) + alt
    suffix = re.search(r"\d([A-Za-z]+)$", alt)
    out: list[Mention] = []
    if suffix and not re.search(r"[A-Za-z]$", first):
        widened = [s for s in lexicon.lookup(first + suffix.group(1)) if s.kind == "equipment"]
        if widened:
            mention.candidates = tuple(f"equipment:{s.id}" for s in widened)
            mention.alias = widened[0].alias
    senses = [s for s in lexicon.lookup(second_name) if s.kind == "equipment"]
    span = Span(m.start(1), m.end(1), alt)
    if senses:
        out.append(Mention("equipment", span, tuple(f"equipment:{s.id}" for s in senses), alias=senses[0].alias))
    else:
        out.append(Mention("unknown_equipment", span, (f"name:{second_name}",)))
    return out


def _merge_nicknames(mentions: list[Mention], text: str, lexicon: Lexicon) -> list[Mention]:
    """"M1A2T Abrams": a designation followed by its family's nickname is one system, not two."""
    out: list[Mention] = []
    for mention in mentions:
        previous = out[-1] if out else None
        if previous is not None and previous.kind == mention.kind == "equipment" \
                and text[previous.span.end:mention.span.start] == " " \
                and not any(c.isdigit() for c in mention.span.text) \
                and _same_family(previous, mention, lexicon):
            end = mention.span.end
            previous.span = Span(previous.span.start, end, text[previous.span.start:end])
            continue
        out.append(mention)
    return out


def _same_family(first: Mention, second: Mention, lexicon: Lexicon) -> bool:
    equipment = lexicon.catalogs.equipment
    families = {equipment[c.split(":", 1)[1]].family for c in first.candidates
                if c.startswith("equipment:") and c.split(":", 1)[1] in equipment}
    return any(c.startswith("equipment:") and c.split(":", 1)[1] in equipment
               and equipment[c.split(":", 1)[1]].family in families for c in second.candidates)


MARKING_HINTS = ("inscri", "mark", "paint", "bearing", "letter", "symbol", "sign", "code", "marqu", "lettre")


def _markings(text: str) -> list[Span]:
    out = []
    lowered = text.lower()
    if not any(hint in lowered for hint in MARKING_HINTS):
        return out
    for m in MARKING.finditer(text):
        value = m.group(1).rstrip(",.;: ")
        if value:
            out.append(Span(m.start(1), m.start(1) + len(value), value))
    return out


def _unknown_designations(text: str, mentions: list[Mention], blocked: list[tuple[int, int]],
                          lexicon: Lexicon) -> list[Mention]:
    """Designation-shaped words the catalog lacks, kept when the text treats them as systems."""
    taken = Occupied(len(text), [(m.span.start, m.span.end) for m in mentions] + blocked)
    known = sorted(m.span.start for m in mentions if m.kind in {"equipment", "equipment_class"})
    equipment_ends = sorted(m.span.end for m in mentions if m.kind == "equipment")
    out = []
    for m in DESIGNATION.finditer(text):
        if not taken.free(m.start(), m.end()) or NOT_EQUIPMENT.match(m.group(0)):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", m.group(0)):
            continue
        after = text[m.end():m.end() + 40]
        before = text[max(0, m.start() - 40):m.start()]
        family = _known_prefix(m.group(0), lexicon)
        near_class = _any_within(known, m.end(), m.end() + 25) or re.match(r"\s*(?:/|,|and)\s", after)
        listed = re.search(r"(?:,|and)\s*$", before) and _any_within(equipment_ends, m.start() - 6, m.start())
        if family or near_class or listed or quantity_before(text, m.start()):
            candidates = (f"name:{m.group(0)}",) + ((f"family:{family}",) if family else ())
            out.append(Mention("unknown_equipment", Span(m.start(), m.end(), m.group(0)), candidates))
            taken.take(m.start(), m.end())
    for m in SHORT_DESIGNATION.finditer(text):  # "180 K2 main battle tanks": only right before a class noun
        if taken.free(m.start(), m.end()) and _any_within(known, m.end() + 1, m.end() + 2):
            entry = _named_after(m.group(0), lexicon)
            candidates = (f"equipment:{entry}",) if entry else (f"name:{m.group(0)}",)
            out.append(Mention("equipment" if entry else "unknown_equipment",
                               Span(m.start(), m.end(), m.group(0)), candidates, alias=m.group(0)))
    return out


@cache
def _first_words(lexicon: Lexicon) -> dict[str, str | None]:
    """Catalog names by their first word ("K2" → K2 Black Panther); None where two entries share it."""
    out: dict[str, str | None] = {}
    for entry in lexicon.catalogs.equipment.values():
        first = entry.name.split()[0]
        if first != entry.name:
            out[first] = entry.id if first not in out else None
    return out


def _named_after(token: str, lexicon: Lexicon) -> str | None:
    return _first_words(lexicon).get(token)


def _any_within(sorted_positions: list[int], low: int, high: int) -> bool:
    index = bisect.bisect_left(sorted_positions, low)
    return index < len(sorted_positions) and sorted_positions[index] <= high


def _known_prefix(token: str, lexicon: Lexicon) -> str | None:
    for cut in range(len(token) - 1, 2, -1):
        senses = [s for s in lexicon.lookup(token[:cut]) if s.kind == "equipment"]
        if senses:
            return senses[0].id
    return None


def _attach_quantities_and_heads(mentions: list[Mention], text: str) -> None:
    classes = {m.span.start: m for m in mentions if m.kind == "equipment_class"}
    counted_class = None
    for mention in mentions:
        if mention.kind in {"equipment", "unknown_equipment", "equipment_class"}:
            mention.quantity = quantity_before(text, mention.span.start)
            if mention.quantity is None and mention.kind == "equipment":
                mention.quantity = single_before(text, mention.span.start, mention.span.end)
            if mention.quantity is None and counted_class is not None and mention.kind != "equipment_class" \
                    and BRACKETED_AFTER.match(text, counted_class.span.end, mention.span.start):
                # "trois véhicules blindés de combat d'infanterie (VBCI)": the acronym names what was counted
                mention.quantity = counted_class.quantity
            counted_class = mention if mention.kind == "equipment_class" and mention.quantity else None
            gap = re.match(r"[\s-]*", text[mention.span.end:mention.span.end + 3])
            head = classes.get(mention.span.end + (gap.end() if gap else 0))
            if head is not None and mention.kind != "equipment_class":
                mention.head_end = head.span.end


SERVICES = (r"Air Force|Navy|Army|Ministry of Defen[cs]e|Defen[cs]e Ministry|Ministry of Foreign Affairs|"
            r"Foreign Ministry|Armed Forces|National Guard|Coast Guard|Marine Corps|Marines|Special Forces|"
            r"General Staff|Air Defen[cs]e Forces|Ground Forces|Border Guard|Interior Ministry|Defen[cs]e Forces")
ROLE_BEFORE = re.compile(r"(?:minister|spokes(?:man|woman|person)|president|chief|commander|official|analyst|"
                         r"researcher|secretary|adviser|advisor|ambassador|envoy|governor|director|head|leader|"
                         r"lawmaker|deputy|member of parliament|MP|pilot|colonel|general|expert|journalist|"
                         r"correspondent|counterpart|told|said|according to)\s*,?\s*$", re.I)
ROLE_AFTER = re.compile(r"^(?:,\s+(?:the|a|an|its|his|her|who)|\s+(?:said|says|told|announced|added|wrote|"
                        r"confirmed|claimed|stated|denied|insisted|warned|explained|noted))")
TITLE_AFTER_PLACE = {"governor", "mayor", "premier", "senator", "inspector", "sheriff", "commissioner", "chief",
                     "president", "minister", "secretary", "spokesman", "spokeswoman", "official", "officials"}
NOT_IN_NAMES = {"ministry", "army", "force", "forces", "navy", "agency", "group", "corps", "command", "staff",
                "university", "institute", "news", "post", "times", "journal", "press", "television", "radio",
                "company", "industries", "council", "office", "brigade", "division", "regiment", "base", "port",
                "airport", "district", "county", "province", "region", "state", "republic", "national", "the"}


_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’+-]{0,40}+(?![\w'’+-])"  # linear: see SENTENCE_END
_NAME = rf"(?<!\w){_NAME_WORD}(?:\s++{_NAME_WORD}){{0,3}}"
# "the Tasnim news agency", "reported by Sky News"-like outlets and "built by Italy's Fincantieri"-like makers.
NAMED_BY_ROLE = re.compile(
    rf"(?:\b(?P<maker>built|made|manufactured|produced|designed|supplied|developed)\s+by\s+(?:[A-Z][\w-]*['’]s\s+)?"
    rf"(?P<name>{_NAME})|(?:\bthe\s+)?(?P<name2>{_NAME})\s+(?:news agency|newspaper|daily|broadcaster|news site|"
    rf"news outlet|outlet|channel|television|TV|radio|website|magazine|agency reported))")


def _looks_like_person(text: str, start: int, end: int) -> bool:
    """Two or three capitalised words next to a role or a speech verb: "Grant Shapps said"."""
    words = text[start:end].split()
    if not 2 <= len(words) <= 3 or any(w.lower().strip("'’") in NOT_IN_NAMES for w in words):
        return False
    if any(not w[:1].isupper() or sum(c.isupper() for c in w) > 2 for w in words):
        return False
    if words[-1].lower() in TITLE_AFTER_PLACE:  # "said Wisconsin Governor Jim Doyle": a place and a title
        return False
    before = text[max(0, start - 40):start]
    return bool(ROLE_BEFORE.search(before) or ROLE_AFTER.match(text[end:end + 20]))


SERVICE_PATTERN = re.compile(rf"(?<![\w-])(?:{SERVICES})(?![\w-])")


@cache
def _nation_owners(lexicon: Lexicon) -> dict[str, str]:
    """Demonyms ("Chadian") and possessive country names ("Britain's") to ISO codes."""
    owners: dict[str, str] = {}
    for code, country in lexicon.catalogs.countries.items():
        for name in (country.name, *country.aliases):
            owners.setdefault(name + "'s", code)
            owners.setdefault(name + "’s", code)
        for demonym in country.demonyms:
            owners.setdefault(demonym, code)
    return owners


def _national_bodies(text: str, taken: Occupied, lexicon: Lexicon) -> list[Mention]:
    """"Chadian Air Force", "Britain's Ministry of Defence": a nation and a service are an armed
    force or a government body of that country. Services are rare, so they are found first."""
    owners = _nation_owners(lexicon)
    out = []
    for m in SERVICE_PATTERN.finditer(text):
        words = text[max(0, m.start() - 40):m.start()].split()
        for size in (3, 2, 1):
            owner = " ".join(words[-size:])
            start = m.start() - len(owner) - 1
            if len(words) >= size and owner in owners and text[start:m.start() - 1] == owner \
                    and taken.free(start, m.end()):
                out.append(Mention("organisation_candidate", Span(start, m.end(), text[start:m.end()]),
                                   (f"country:{owners[owner]}",)))
                taken.take(start, m.end())
                break
    return out


# "the University of California, Los Angeles (UCLA)", "the University of Texas at Austin (UT Austin)": a
# comma, "at" or "à" after a capitalised word, before the words the brackets follow
NAME_GOES_ON_BEFORE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ](?:\s*+,|\s++(?:at|à))\s++$")


def _tail_of_a_name(text: str, start: int, name: str, acronym: str) -> bool:
    """Whether the words before a bracketed acronym are only the end of the name it abbreviates: the
    acronym does not open with their first letter and the name goes on before them after a comma or
    "at" ("University of California, Los Angeles (UCLA)"). Those words are then the campus's town, which
    stays a name to geoparse, not a body called "Los Angeles"."""
    return fold(acronym)[:1].lower() != fold(name)[:1].lower() \
        and NAME_GOES_ON_BEFORE.search(text, max(0, start - 40), start) is not None


def _abbreviates(name: str, acronym: str) -> bool:
    """Whether the bracketed word can be the name's abbreviation. One written as a plain word
    ("Nato", "Ecowas", "Fama") opens with the name's first letter and takes its letters from the
    name in order; otherwise the brackets hold something else, most often the area a place lies in
    ("Loikaw (Kayah)", "Kajuru LGA (Kaduna)"). Capitals inside the word ("NATO", "FAMa", "MoD")
    mark an abbreviation as it is."""
    if not (acronym[1:].islower() and len(acronym) >= 3):
        return True
    letters = iter(fold(name).lower())
    return fold(name)[:1].lower() == acronym[0].lower() and all(c in letters for c in fold(acronym).lower())


# Adjectives made from a place name: "Denver-based", "Kabul-bound", "Panama-flagged".
PLACE_COMPOUND = re.compile(r"-(?:based|born|bound|flagged|registered|headquartered)\b")


def _name_candidates(text: str, sentences: list[Sentence], mentions: list[Mention],
                     blocked: list[tuple[int, int]], lexicon: Lexicon) -> list[Mention]:
    """Capitalised names the catalogs lack: people with titles, defined acronyms, possible places."""
    taken = Occupied(len(text), [(m.span.start, m.span.end) for m in mentions] + blocked)
    out: list[Mention] = []
    for m in TITLES.finditer(text):
        if taken.free(m.start("name"), m.end("name")):
            out.append(Mention("person_candidate", Span(m.start("name"), m.end("name"), m.group("name")),
                               (f"title:{m.group('title')}",)))
            taken.take(m.start(), m.end())
    for m in DEFINED_ACRONYM.finditer(text):
        name = re.sub(r"^(?:the|of|for|and|on)\s+", "", m.group("name"))
        start = m.end("name") - len(name)
        acronym = m.group("acronym")
        if name[:1].isupper() and taken.free(start, m.end()) and not names_a_thing(name) \
                and _abbreviates(name, acronym) and not _tail_of_a_name(text, start, name, acronym):
            out.append(Mention("organisation_candidate", Span(start, m.end("name"), name),
                               (f"acronym:{m.group('acronym')}",)))
            taken.take(start, m.end())
    for m in NAMED_BY_ROLE.finditer(text):
        group = "name" if m.group("name") else "name2"
        start, end, name = m.start(group), m.end(group), m.group(group)
        if taken.free(start, end) and name.split()[0].lower() not in NOT_IN_NAMES | {"state", "local"} \
                and name.split()[0] not in _nation_owners(lexicon):  # "the Malian television station"
            kind = "company" if m.group("maker") else "media"
            out.append(Mention("organisation_candidate", Span(start, end, name), (f"type:{kind}",)))
            taken.take(start, end)
    starts = {s.start for s in sentences}
    system_ends = {m.span.end + 1 for m in mentions if m.kind in {"equipment", "unknown_equipment"}}
    for start, end in _capitalised_runs(text, taken):
        lead = LEADING_PREPOSITION.match(text, start, end)
        if lead and lead.end() < end:  # "Near Kirkuk, two strikes…": the run starts after the preposition
            start = lead.end()
        compound = PLACE_COMPOUND.search(text, start, end)
        if compound and compound.start() > start:  # "a Denver-based company": the place is Denver
            end = compound.start()
        if start in system_ends and not LOCATIVE.search(text[max(0, start - 30):start]):
            continue  # "M88 Hercules": a nickname after a designation, not a town
        if _looks_like_person(text, start, end):
            out.append(Mention("person_candidate", Span(start, end, text[start:end]), ("role",)))
            continue
        locative = bool(LOCATIVE.search(text[max(0, start - 30):start]))
        flags = ("locative",) if locative else ()
        if start in starts and not locative:
            flags += ("sentence-start",)
        ends = _road_ends(text, start, end)
        if ends:
            out.extend(Mention("place_candidate", Span(a, b, text[a:b]), ("road",)) for a, b in ends)
            continue
        out.append(Mention("place_candidate", Span(start, end, text[start:end]), flags))
    return out


WIDER_BEFORE = re.compile(r"(?<![\w-])(?:New|Inner|Outer|South|North|East|West|Northern|Southern|Eastern|Western|"
                          r"Upper|Lower|Central|Greater)\s+$")


def _wider_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """"Mexico City", "New Jersey", "Inner Mongolia": a longer place around a country or region
    name, offered to resolve, which keeps it when the gazetteer knows the whole name."""
    out = []
    # "Mbanza Congo", "Bas Congo Province": a place's own word glued before a country's name
    glued = {m.span.end + 1: m.span.start for m in mentions if m.kind == "place_candidate" and " " not in m.span.text
             and "sentence-start" not in m.candidates and text[m.span.end:m.span.end + 1] == " "}
    for mention in mentions:
        if mention.kind not in {"country", "region"}:
            continue
        before = WIDER_BEFORE.search(text[max(0, mention.span.start - 12):mention.span.start])
        # "Colombie-Britannique": a country's name that opens a hyphenated name is part of it
        after = re.match(r"\s+(?:City|Province)\b|-[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[\w'’]+)*",
                         text[mention.span.end:mention.span.end + 40])
        start = mention.span.start - (len(before.group(0)) if before else 0)
        if not before and mention.kind == "country" and mention.span.start in glued:
            start = glued[mention.span.start]
        end = mention.span.end + (after.end() if after else 0)
        if (start, end) != (mention.span.start, mention.span.end):
            out.append(Mention("place_candidate", Span(start, end, text[start:end]), ("wider",)))
    return out


HYPHENATED_NAME = re.compile(r"-([A-ZÀ-ÖØ-Þ][\w'’]{1,40}+)(?![\w-])")


def _second_countries_of_pairs(text: str, mentions: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """"the Russia-Ukraine war", "the India-Pakistan border", "la guerre Russie-Ukraine": a country's
    name right after another's hyphen names a country too. The catalogs' scan skips a name glued to a
    hyphen (a designation's part: "Su-24"), so the second one is added here."""
    out = []
    taken = {m.span.start for m in mentions}
    for mention in mentions:
        if mention.kind != "country":
            continue
        second = HYPHENATED_NAME.match(text, mention.span.end)
        if second is None or second.start(1) in taken:
            continue
        senses = [sense for sense in lexicon.lookup(second.group(1)) if sense.kind == "country"]
        if senses and (not senses[0].case_sensitive or senses[0].alias == second.group(1)):
            out.append(Mention("country", Span(second.start(1), second.end(1), second.group(1)),
                               tuple(dict.fromkeys(f"country:{s.id}" for s in senses)), alias=senses[0].alias))
    return out


def _road_ends(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """"the Gao-Ansongo road", "l'axe Mopti-Sévaré": both ends of a road are places."""
    name = text[start:end]
    if "-" not in name or not (ROAD_AFTER.match(text, end) or ROAD_BEFORE.search(text[max(0, start - 12):start])):
        return []
    parts, offset = [], start
    for part in name.split("-"):
        if part[:1].isupper() and len(part) >= 2:
            parts.append((offset, offset + len(part)))
        offset += len(part) + 1
    return parts if len(parts) >= 2 else []


def _capitalised_runs(text: str, taken: Occupied) -> list[tuple[int, int]]:
    """Runs of up to four capitalised words not already claimed; a possessive "'s" ends a run."""
    runs: list[list[int]] = []  # [start, end, words, closed]
    for m in CAPITAL_WORD.finditer(text):
        start, end = m.start(), m.end()
        possessive = m.group(0).endswith(("'s", "’s"))
        # "in St. John's, Newfoundland", "St. George's, Grenada": a saint's name with its "'s" is a town's
        # whole name when no name follows it ("St. Peter's Square" is the square's, "'s" ends the run)
        saints = possessive and runs and not runs[-1][3] and SAINT_POSSESSIVE.match(text, runs[-1][0], end) \
            and not NAME_AFTER.match(text, end)
        end -= 2 if possessive and not saints else 0
        if not taken.free(start, end):
            if runs:
                runs[-1][3] = 1
            continue
        last = runs[-1] if runs else None
        gap = text[last[1]:start] if last else ""  # "FOR IMMEDIATE RELEASE\nTAMPA, Fla.": a line ends a name
        if last and not last[3] and last[2] < 4 and "\n" not in gap \
                and (NAME_JOINER.match(gap) or (gap == ". " and text[last[1] - 3:last[1]] in ABBREVIATED)):
            last[1], last[2] = end, last[2] + 1
        elif text[start - 1:start] == "-":
            continue  # "al-Watiya" alone: the article starts the name, which the catalogs may know whole
        else:
            runs.append([start, end, 1, 0])
        runs[-1][3] = int(possessive)
    return [(a, b) for a, b, _, _ in runs if b > a]


def _named_by_class(mentions: list[Mention], sentences: list[Sentence], lexicon: Lexicon) -> None:
    """A one-word name shared by two systems takes the one of the kind the sentence names:
    "deux hélicoptères, un Tigre et un Cougar" is the Cougar helicopter, not the Cougar MRAP; and so
    is "le Cougar" of another sentence where no class noun decides: one name, one system per report
    (within one sentence, "12 THAAD launchers, 2 THAAD radars" may name several)."""
    nouns = [m for m in mentions if m.kind == "equipment_class"]
    if not nouns:
        return
    chosen: dict[str, tuple[tuple[str, ...], int]] = {}  # alias -> (reading, start of its sentence)
    undecided: list[tuple[Mention, int]] = []
    for mention in mentions:
        if mention.kind != "equipment" or not mention.alias or not mention.alias.isalpha():
            continue
        sentence = next((s for s in sentences if s.start <= mention.span.start < s.end), None)
        if sentence is None:
            continue
        before, decided = mention.candidates, False
        for noun in (n for n in nouns if sentence.start <= n.span.start < sentence.end):
            for phrase in (f"{noun.span.text} {mention.alias}", f"{mention.alias} {noun.span.text}"):
                senses = [x for x in lexicon.lookup(phrase) if x.kind == "equipment"]
                decided = decided or bool(senses)
                if senses and f"equipment:{senses[0].id}" not in mention.candidates:
                    mention.candidates = tuple(dict.fromkeys(f"equipment:{x.id}" for x in senses))
                    break
        if mention.candidates != before:
            chosen.setdefault(mention.alias.lower(), (mention.candidates, sentence.start))
        elif not decided and not _own_name(lexicon, mention):
            undecided.append((mention, sentence.start))
    for mention, start in undecided:
        reading, where = chosen.get(mention.alias.lower(), (mention.candidates, start))
        if where != start:
            mention.candidates = reading


def _own_name(lexicon: Lexicon, mention: Mention) -> bool:
    """"THAAD" is the THAAD's own catalog name, never a nickname another system shares: it keeps its reading."""
    ids = [c.split(":", 1)[1] for c in mention.candidates if c.startswith("equipment:")]
    entry = lexicon.catalogs.equipment.get(ids[0]) if ids else None
    return entry is not None and fold(entry.name) == fold(mention.alias or "")


LEADING_DETERMINER_WORD = re.compile(r"(?:the|la|le|les|l['’])\b", re.I)
NAME_PARTS = {"country", "region", "equipment_class"}  # words an actor's name may hold ("Field Artillery")


OF_BEFORE = re.compile(r"\b(?:of|de|du|des)\s+(?:the\s+|la\s+|l['’])?\Z")
POSSESSIVE_AFTER = re.compile(r"['’]s\b")


def _with_actors(document: CleanDocument, text: str, sentences: list[Sentence], mentions: list[Mention],
                 blocked: list[tuple[int, int]], lexicon: Lexicon) -> list[Mention]:
    """Add the actors the catalogs lack (`orbat.extract.actors`); a country, region or class noun
    inside one of them ("Government of Denmark", "214th Field Artillery Regiment") is part of its
    name, not a mention of its own."""
    from orbat.relate.syntax import language_of  # a constant-time guess; relate declares the same

    mentions = [m for m in mentions if m.kind != "actor"
                or not (another_persons_surname(text, m, lexicon) or at_a_seat(text, m.span.start))]
    taken = Occupied(len(text), [(m.span.start, m.span.end) for m in mentions if m.kind not in NAME_PARTS] + blocked)
    catalogued = Occupied(len(text), [(m.span.start, m.span.end) for m in mentions if m.kind == "actor"])
    found = find_actors(text, sentences, language_of(text, document.language), taken, lexicon, soft=catalogued)
    if not found:
        return mentions
    inside = Occupied(len(text), [(m.span.start, m.span.end) for m in found])
    kept = [m for m in mentions if m.kind not in NAME_PARTS | {"actor"} or inside.free(m.span.start, m.span.end)]
    # "the government of Chad", "the United Kingdom's Health Ministry": a country after "of" or with a
    # possessive stays part of the body's name and is also the place the text names; one leading the
    # name ("the United States Congress") only qualifies it, as "US officials" does: a modifier, which
    # resolve counts as a mention of the country only where the text names that country as a place.
    # The "of" must lie inside the body's name: in "experts de la UK Health Security Agency" it comes
    # before the body, whose name the country opens.
    openings = {f.span.start for f in found}
    named_countries = [Mention("place_candidate", m.span, ("body", *m.candidates)) if (OF_BEFORE.search(
        text[max(0, m.span.start - 12):m.span.start]) and m.span.start not in openings)
        or POSSESSIVE_AFTER.match(text, m.span.end)
        else Mention("country_modifier", m.span, m.candidates)
        for m in mentions if m.kind == "country" and not inside.free(m.span.start, m.span.end)]
    # "Westminster City Council": a body's name often starts with its place; geoparse cuts the
    # candidate down to the leading part the gazetteer knows, or drops it.
    places = [Mention("place_candidate", m.span, ("body",)) for m in found
              if "source:pattern" in m.candidates
              and ({"type:government", "type:organisation"} & set(m.candidates)
                   or ("type:armed_force" in m.candidates and "Police" in m.span.text))  # "Queensland Police"
              and m.span.text[:1].isupper() and not LEADING_DETERMINER_WORD.match(m.span.text)]
    return kept + found + places + named_countries


def _table_systems(text: str, mentions: list[Mention]) -> list[Mention]:
    """A plain-text inventory table's name column names a system on every row (`orbat.text_tables`),
    known to the catalog or not: "Shaldag", "'' Kazakhstan ''" (a ship class named after its
    country) are systems there, not words or places. The row's count column counts it."""
    for row in table_rows(text):
        a, b = row.cells["name"]
        count = None
        if row.count is not None:
            c, d = row.cells["count"]
            count = Quantity(row.count, row.count, text=text[c:d])
        systems = [m for m in mentions if m.kind in {"equipment", "unknown_equipment"}
                   and m.span.start < b and a < m.span.end]
        if systems:
            if systems[0].quantity is None:
                systems[0].quantity = count
            continue
        mentions = [m for m in mentions if not (a <= m.span.start and m.span.end <= b)]
        mentions.append(Mention("unknown_equipment", Span(a, b, text[a:b]), (f"name:{text[a:b]}",), quantity=count))
    return mentions


def extract(document: CleanDocument, lexicon: Lexicon | None = None) -> Extraction:
    lexicon = lexicon or default_lexicon()
    text = document.text
    folded = fold(text)
    markings = _markings(text)
    marking_spans = [(s.start, s.end) for s in markings]
    mentions = [_mention_from_hit(h, text) for h in lexicon.scan(text, folded)]
    marked = Occupied(len(text), marking_spans)
    mentions = [m for m in mentions if marked.free(m.span.start, m.span.end)]
    mentions = _merge_nicknames(mentions, text, lexicon)
    mentions = named_ships_first(text, mentions)
    for mention in list(mentions):
        if mention.kind == "equipment":
            mentions.extend(_slash_alternatives(mention, text, lexicon))
    mentions.extend(written_designations(text, mentions, marking_spans, lexicon))
    mentions.extend(_unknown_designations(text, mentions, marking_spans, lexicon))
    mentions.sort(key=lambda m: m.span.start)
    _attach_quantities_and_heads(mentions, text)
    designation_spans = [(m.span.start, m.span.end) for m in mentions if m.kind != "equipment_class"
                         and m.kind != "region"]
    found_dates = find_date_expressions(text, document.published, designation_spans + marking_spans,
                                        document.language)
    dates = found_dates.dates
    sentences = split_sentences(text)
    mentions = people_not_aircraft(mentions, text, sentences, lexicon)
    date_spans = [(d.span.start, d.span.end) for d in dates]
    bodies = _national_bodies(text, Occupied(len(text), [(m.span.start, m.span.end) for m in mentions
                                                         if m.kind not in {"country", "place_candidate"}]), lexicon)
    if bodies:
        inside = Occupied(len(text), [(b.span.start, b.span.end) for b in bodies])
        mentions = [m for m in mentions if inside.free(m.span.start, m.span.end)] + bodies
    _named_by_class(mentions, sentences, lexicon)
    mentions = _with_actors(document, text, sentences, mentions, marking_spans + date_spans, lexicon)
    mentions.extend(_name_candidates(text, sentences, mentions, marking_spans + date_spans, lexicon))
    mentions.extend(_wider_names(text, mentions))
    mentions.extend(_second_countries_of_pairs(text, mentions, lexicon))
    mentions = _table_systems(text, mentions)
    mentions.sort(key=lambda m: m.span.start)
    named = Occupied(len(text), [(m.span.start, m.span.end) for m in mentions if m.kind != "place_candidate"])
    starts = {s.start for s in sentences} | {i for s in sentences if _title_case(s.text) for i in range(s.start, s.end)}
    # "LYNX : Exercice de franchissement": the word after a headline's upper-case kicker starts it
    starts |= {s.start + m.end() for s in sentences if (m := HEADLINE_KICKER.match(s.text))}
    cues = [c for c in find_cues(text, folded) if named.free(c.span.start, c.span.end)
            and not (c.span.text[:1].isupper() and c.span.start not in starts and c.kind == "event")]
    return Extraction(document, sentences, mentions, dates, cues, markings, found_dates.unanchored)
