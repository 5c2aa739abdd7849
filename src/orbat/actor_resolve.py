"""Actors the catalogs lack, as entities: spelling variants, and later mentions of a first one.

`resolve` calls these for the `actor_candidate` mentions the extract stage proposes
(`orbat.extract.actors`). A name the catalog knows under another spelling ("Da'esh", "Turkiye")
takes the catalog entry; any other is kept with `catalog_id: null`. Then, within the document,
a later short form points back to the first full mention: a surname ("Visser" after "Barbara
Visser"), an acronym the text defined ("the JFC" after "the Joint Force Command (JFC)"), and a
bare head noun ("the coalition", "the ministry", "le régime") after a named one.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from orbat.catalog import ActorEntry, Catalogs
from orbat.extract.alternations import first_letter_alternation
from orbat.model import Entity, Span
from orbat.normalize import fold

FUZZY_MIN_LETTERS = 5  # "Iran"/"Iraq" are one edit apart: short names must match exactly
LEADING_ARTICLE = re.compile(r"^(?:(?:the|The|THE|les|Les|la|La|le|Le)\s|[lL]['’]\s?)")
ANAPHORS = re.compile(
    r"(?<![\w-])(?:the|The|la|La|le|Le|l['’]|L['’])\s?(?P<head>ministry|regime|coalition|government|"
    r"junta|alliance|ministère|régime|coalition|gouvernement|junte|alliance|Coalition|Alliance)"
    r"(?![\w-])"
)
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# Rank and office abbreviations a title pattern can take for a name ("Commander Col. …").
TITLE_WORDS = {
    "col",
    "lt",
    "gen",
    "maj",
    "capt",
    "sgt",
    "adm",
    "brig",
    "cpl",
    "pvt",
    "spc",
    "cmdr",
    "cdr",
    "mr",
    "mrs",
    "ms",
    "dr",
    "president",
    "minister",
    "secretary",
    "general",
    "colonel",
    "commander",
    "lieutenant",
    "major",
    "air",
    "commodore",
    "brigadier",
    "marshal",
    "admiral",
    "vice",
    "rear",
    "staff",
    "sergeant",
    "captain",
    "chief",
    "field",
    "flight",
    "wing",
    "squadron",
    "leader",
    "officer",
    "petty",
    "first",
    "class",
    "defence",
    "defense",
    "foreign",
    "prime",
    "deputy",
}


def key(text: str) -> str:
    """Letters and digits only, folded: "Da'esh", "DAESH" and "Daesh" share one key."""
    return "".join(c for c in fold(text) if c.isalnum())


@cache
def _alias_index(catalogs: Catalogs) -> dict[str, dict[str, str]]:
    """Catalog actor aliases by key, bucketed by first letter so a fuzzy look-up reads one bucket."""
    buckets: dict[str, dict[str, str]] = {}
    for actor in catalogs.actors.values():
        for alias in (actor.name, *actor.aliases):
            k = key(alias)
            if len(k) >= FUZZY_MIN_LETTERS:
                buckets.setdefault(k[0], {}).setdefault(k, actor.id)
    return buckets


def catalog_spelling(catalogs: Catalogs, name: str) -> ActorEntry | None:
    """The catalog actor a name spells differently, if one is close enough; else None."""
    k = key(LEADING_ARTICLE.sub("", name))
    if len(k) < FUZZY_MIN_LETTERS:
        return None
    found = _spellings(catalogs)
    if k not in found:  # a name comes back in every report about its actor: the fuzzy search runs once
        if len(found) >= SPELLINGS_KEPT:
            found.clear()
        bucket = _alias_index(catalogs).get(k[0], {})
        # one edit: "Daech"/"Daesh"; "African Lion" is two from "African Union", "President" two from "President Xi"
        best = (k,) if k in bucket else process.extractOne(k, bucket.keys(), scorer=Levenshtein.distance,
                                                           score_cutoff=1)
        found[k] = bucket[best[0]] if best else None
    actor_id = found[k]
    return catalogs.actors.get(actor_id) if actor_id is not None else None


SPELLINGS_KEPT = 50_000  # names remembered per catalog set; past this the memo starts afresh


@cache
def _spellings(catalogs: Catalogs) -> dict[str, str | None]:
    """Key of a name -> id of the catalog actor it spells (None: no actor), filled as names come."""
    return {}


def display_name(text: str) -> str:
    """The name as written, without a leading article and the line breaks of a wrapped page."""
    return " ".join(LEADING_ARTICLE.sub("", text).split())


def later_mentions(text: str, actors: list[Entity], taken: list[tuple[int, int]]) -> None:
    """Add each later short form of an actor the document named in full as a mention of it."""
    mask = bytearray(len(text) + 1)
    for start, end in taken:
        mask[start:end] = b"\x01" * (end - start)
    for entity in actors:
        for span in entity.mentions:
            mask[span.start : span.end] = b"\x01" * (span.end - span.start)
    first_start = {id(e): min((s.start for s in e.mentions), default=len(text)) for e in actors}
    forms: dict[str, Entity] = {}
    for entity in sorted(actors, key=lambda e: first_start[id(e)]):
        for form in short_forms(entity):
            forms.setdefault(form, entity)
    if forms:
        # grouped by first letter: at each word start `re` looks through one group, not every form
        alternation = first_letter_alternation(sorted(forms, key=len, reverse=True))
        for m in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text):
            entity = forms[m.group(0)]
            if not any(mask[m.start() : m.end()]) and m.start() > first_start[id(entity)]:
                entity.mentions.append(Span(m.start(), m.end(), m.group(0)))
                mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    for m in ANAPHORS.finditer(text):
        if any(mask[m.start() : m.end()]):
            continue
        head = fold(m.group("head"))
        earlier = [e for e in actors if first_start[id(e)] < m.start() and head in fold(e.name).split()]
        if earlier:
            entity = max(earlier, key=lambda e: first_start[id(e)])
            entity.mentions.append(Span(m.start(), m.end(), m.group(0)))


def short_forms(entity: Entity) -> list[str]:
    """A person's surname; a named ship's own name ("Truman"); an organisation's acronyms (aliases in capitals)."""
    if entity.actor_type == "person" and entity.catalog_id is None:
        words = [w for w in entity.name.split() if w.lower() not in NAME_SUFFIXES]
        return [words[-1]] if len(words) >= 2 and len(words[-1]) >= 3 else []
    if entity.actor_type == "unit" and entity.catalog_id is None:
        ships = [a for a in entity.aliases if " " not in a and a[:1].isupper() and not a.isupper() and len(a) >= 4]
        if ships:
            return ships
    return [a for a in entity.aliases if a.isupper() and 2 <= len(a) <= 8 and " " not in a]
