"""A country's name or code that qualifies a noun ("US officials", "the U.S. Food and Drug
Administration", "UK-based"): a mention of that country for geoparsing, never a place of its own.

A geoparser counts every toponym, modifiers included, so such a span joins the country's place
entity when the text also names that country as a place. It makes no entity by itself: a text
about "US officials" in Niamey places nothing in the United States. Resolve does not link it to
the mention either, so no claim takes a modifier for its place ("U.S. Army crews deployed tanks to
Poland" happened in Poland).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from orbat.catalog import Catalogs
from orbat.model import Entity, Span

CURRENCY_SIGNS = {"$", "€", "£"}  # "US$58 million", "$US 1.5 billion": a currency, not the country

_CODES: dict[int, dict[str, str]] = {}

# "des responsables US", "les soldats UK", "l'armée US": French puts the country's code after the noun
# it qualifies, which a determiner opens. No English determiner is in the list, so "the US" and "in
# the UK" stay the country; "vers les US" has no noun between the determiner and the code.
POSTPOSED_AFTER = re.compile(r"(?:\b(?i:des|les|le|la|un|une|du|aux|ces|leurs?|nos|vos|ses|ce|cette)\s+|\b[Ll]['’])"
                             r"[a-zà-öø-ÿ]+(?:-[a-zà-öø-ÿ]+)?\s$")


def postposed_code(text: str, start: int) -> bool:
    """Whether a country's code starting at `start` follows the noun it qualifies, French style
    ("des responsables US"): a modifier, not the country named as a place."""
    return bool(POSTPOSED_AFTER.search(text, max(0, start - 40), start))


def country_codes(catalogs: Catalogs) -> dict[str, str]:
    """"US", "U.S.", "UK", "DRC": the upper-case short forms the catalog gives a country, to its code."""
    known = _CODES.get(id(catalogs.countries))
    if known is not None:
        return known
    out: dict[str, str] = {}
    for code, country in catalogs.countries.items():
        for name in (*country.aliases, *country.demonyms):
            if name.replace(".", "").isupper() and len(name.replace(".", "")) <= 4:
                out.setdefault(name, code)
    _CODES.clear()  # one catalog at a time: a reloaded one replaces it
    _CODES[id(catalogs.countries)] = out
    return out


def leading_country_code(codes: dict[str, str], span: Span) -> list[tuple[str, Span]]:
    """(country code, span) of a code that opens a longer name ("U.S. Army", "US Centers") or is the
    whole of it ("US" before "president's"); none otherwise."""
    first = span.text.split(" ", 1)[0]
    code = codes.get(first)
    return [(code, Span(span.start, span.start + len(first), first))] if code else []


def modifiers_of_named_countries(text: str, entities: Iterable[Entity], modifiers: list[tuple[str, Span]]) -> None:
    """Add each modifier span (country code, span) to the place entity of its country, where the
    text names that country as a place; a code glued to a currency sign is left out."""
    if not modifiers:
        return
    countries = {e.country: e for e in entities if e.kind == "place" and e.feature == "country" and e.country}
    for code, span in modifiers:
        entity = countries.get(code)
        currency = text[span.end:span.end + 1] in CURRENCY_SIGNS or text[max(0, span.start - 1):span.start] \
            in CURRENCY_SIGNS
        if entity is not None and not currency and all(s.start != span.start for s in entity.mentions):
            entity.mentions.append(span)
    for entity in countries.values():
        entity.mentions.sort(key=lambda s: s.start)
