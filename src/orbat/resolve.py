"""Resolve: decide what each mention names, using the whole document as context.

A designation becomes a catalog system; a country name becomes a place (and an actor when it
acts: "Russia had strengthened"); "Base 101" becomes the installation whose country or city
the document names; a capitalised name becomes a GeoNames place only when the context makes
it likely (a locative preposition, a country the report is about, a large population).
Where context cannot decide, the candidates are kept and nothing is silently geocoded.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from orbat.actor_resolve import TITLE_WORDS, catalog_spelling, display_name, later_mentions, short_forms
from orbat.actor_resolve import key as spelling_key
from orbat.catalog import Catalogs
from orbat.extract.actors import at_a_seat
from orbat.extract.alternations import first_letter_alternation
from orbat.gazetteer import Gazetteer, place_key
from orbat.geoparse import (
    AREAS,
    LARGE_CITY,
    NOT_A_PLACE_BEFORE,
    NOT_GIVEN_NAMES,
    decide,
    home_regions,
    in_a_state_written,
    km,
    surnames_in,
)
from orbat.geoparse.counties import county_keys, names_a_county, state_abbreviated_after
from orbat.geoparse.cues import AREA_WORDS, container_after, cue_before, names_an_area
from orbat.geoparse.lookup import (
    LEADING_DETERMINER,
    airport_towns,
    areas_by_stem,
    branches,
    inside_wider_places,
    lengthened,
    narrowed,
)
from orbat.geoparse.modifiers import country_codes, leading_country_code, modifiers_of_named_countries, postposed_code
from orbat.model import CountryEntry, Entity, Extraction, GazetteerPlace, Mention, Resolution, Span
from orbat.normalize import fold

ACTS_AFTER = re.compile(
    r"^(?:'s|’s|\s+(?:has|had|have|is|was|were|are|will|would|also|now|then|reportedly|already|"
    r"sent|sends|delivered|delivers|supplied|supplies|deployed|deploys|reinforce[sd]?|strengthened|strengthens|"
    r"signed|ordered|orders|began|begins|withdrew|withdraws|moved|transferred|announced|announces|said|says|"
    r"denied|denies|continues|plans|planned|built|builds|established|provided|provides|shipped|donated|received|"
    r"receives|bought|purchased|acquired|launched|used|lost|struck|claimed|confirmed|reported|dispatched|"
    r"expanded|increased|maintains|maintained|agreed|agrees|seeks|sought|pledged|pledges|approved|approves|"
    r"handed|gave|gives|intends|wants|operates|operated|imported|exported|exports|imports|a livré|a envoyé|"
    r"calls|called|claims|accuses|accused|fired|fires|shot|shoots|uses|flies|fields|promised|promises|rejected|"
    r"admits|admitted|acknowledged|insists|insisted|warned|warns|threatened|paid|pays|agreed|offered|offers|"
    r"sold|sells|buys|hosts|hosted|requested|requests|asked|needs|needed|relies|relied|"
    r"a déployé|a reçu|livre|envoie|déploie)\b|\s+(?!during|including|regarding|concerning|following|according|"
    r"bordering|neighbou?ring)[a-z]+ing\b)", re.I)
LOCATED_BEFORE = re.compile(r"\b(?:in|at|into|across|near|to|throughout|within|of|for|on|toward|towards|"
                            r"around|neighbou?ring|en|au|à)\s+(?:the\s+)?$", re.I)
# The record keeps its feature vocabulary (city, locality, admin, installation, country, region);
# which level an area is shows in `precision`.
RECORD_FEATURE = {"admin1": "admin", "admin2": "admin", "continent": "region"}
GOVERNMENT_WORDS = (
    r"decision|government|position|support|allies|ally|policy|move|response|refusal|demands?|request|approval|"
    r"backing|offer|stance|relations|ties|envoy|ambassador|foreign|military|army|troops|forces|air force|navy|"
    r"defen[cs]e|officials|leaders?|regime|diplomats?|intentions?|plans?|strategy|arms|weapons|sanctions")
GOVERNMENT_AFTER = re.compile(rf"(?:{GOVERNMENT_WORDS})\b", re.I)
AGENT_OF = re.compile(  # "l'agression militaire de la Russie contre l'Ukraine"
    r"\b(?:agression|invasion|attaque|offensive|intervention)(?:\s\w+)?\s(?:de\s(?:la\s|l['’])?|du\s)$", re.I)
NAMES_ITS_OWN = re.compile(r"(?<!\s)\s+(?:[A-Z]|(?:forces|troops|military|army|navy|officials|personnel|soldiers)\b)")
ACTS_BEFORE = re.compile(r"\b(?:by|par)\s+(?:the\s+|la\s+|le\s+|l['’])?$", re.I)
NOT_PLACES = {
    "the", "this", "these", "those", "it", "its", "in", "on", "at", "a", "an", "as", "while", "with", "among",
    "analysis", "defense", "defence", "security", "industry", "army", "air", "force", "forces", "base", "picture",
    "social", "media", "source", "president", "colonel", "general", "minister", "ministry", "national", "north",
    "south", "east", "west", "central", "new", "according", "satellite", "images", "video", "photo", "photos",
    "however", "meanwhile", "although", "after", "before", "since", "during", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "kremlin", "pentagon", "corps", "group", "center",
    "centre", "institute", "study", "war", "service", "services", "forum", "parade", "tank", "tanks",
    "government", "state", "states", "republic", "union", "agency", "news", "reuters", "today", "read", "more",
    "also", "but", "and", "or", "for", "to", "by", "from", "our", "their", "his", "her", "they", "we", "he", "she",
    "there", "here", "what", "when", "where", "who", "why", "how", "some", "all", "both", "each", "one", "two",
    "western", "eastern", "northern", "southern", "university", "church", "congress", "hospital", "police",
    "court", "parliament", "senate", "city", "island", "county", "province", "region", "district", "do", "lu",
    "no", "dr", "mr", "mrs", "ms", "st", "mt", "vice", "over", "under", "port", "harbour", "harbor", "airport",
    "station", "camp", "museum", "palace", "square", "street", "bridge", "secretary", "department", "plan",
    "breves", "grand", "battle",
    "of",  # "… traveling to the U.S. Of Brazil's cases, nine…": the word, not the Turkish town of Of
    # French function words that start sentences and menu items ("La cérémonie", "Au commencement", "En Syrie")
    "la", "le", "les", "l", "au", "aux", "en", "des", "du", "de", "un", "une", "et", "ou", "par", "pour", "sur",
    "dans", "avec", "sans", "ce", "cette", "ces", "son", "sa", "ses", "il", "elle", "ils", "nous", "vous",
}


@dataclass(slots=True)
class Context:
    catalogs: Catalogs
    text: str
    folded: str = ""
    countries: Counter[str] = field(default_factory=Counter)
    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    gazetteer: Gazetteer | None = None
    clues: Counter[str] = field(default_factory=Counter)  # more countries, for placing names only
    # (highest entity number, number of entities when it was taken): the next id without a scan of
    # every entity per new one, which was quadratic in a long document's entities
    top_id: tuple[int, int] = (0, 0)


def _take_mention(ctx: Context, entity: Entity, start: int) -> None:
    """Take the mention at `start` from `entity`, which a later rule read as another entity's; an
    entity left with no mention leaves the document."""
    entity.mentions = [m for m in entity.mentions if m.start != start]
    if not entity.mentions:
        ctx.entities = {key: e for key, e in ctx.entities.items() if e is not entity}


def _entity(ctx: Context, key: tuple[str, str], fresh: Entity) -> Entity:
    """The entity already known under `key`, or `fresh` registered with the next id."""
    if key not in ctx.entities:
        if ctx.top_id[1] != len(ctx.entities):  # an entity was dropped since: count again
            ctx.top_id = (max((int(e.id[1:]) for e in ctx.entities.values()), default=0), len(ctx.entities))
        number = ctx.top_id[0] + 1
        entity = fresh
        entity.id = f"e{number}"
        ctx.entities[key] = entity
        ctx.top_id = (number, len(ctx.entities))
    return ctx.entities[key]


def _context_countries(extraction: Extraction, catalogs: Catalogs) -> Counter[str]:
    """How often each country is named, directly or through its installations and regions."""
    counts: Counter[str] = Counter()
    title_end = len(extraction.document.title or "") if extraction.document.text.startswith(
        extraction.document.title or "\0") else 0
    for mention in extraction.mentions:
        weight = 2 if mention.span.start < title_end else 1
        for candidate in mention.candidates:
            kind, _, ident = candidate.partition(":")
            if kind == "country" and mention.kind == "country":
                counts[ident] += weight
            elif kind == "country" and mention.kind == "actor_candidate":  # "l'armée syrienne", "Iraqi forces"
                counts[ident] += 1
            elif kind == "actor" and mention.kind == "actor":
                actor = catalogs.actors.get(ident)
                if actor and actor.country and actor.actor_type != "state" and len(mention.candidates) == 1:
                    counts[actor.country] += 1
            elif kind == "region" and mention.kind == "region":  # "northern Mali"
                region = catalogs.regions.get(ident)
                if region and len(region.countries) == 1:
                    counts[region.countries[0]] += weight
            elif kind == "installation" and mention.kind == "installation":
                inst = catalogs.installations.get(ident)
                if inst and len(mention.candidates) == 1:
                    counts[inst.country] += weight
    return counts


# A region of at most this many countries points at each of them when placing its document's names.
SMALL_REGION = 4


def _place_clues(extraction: Extraction, catalogs: Catalogs) -> Counter[str]:
    """Countries that help place names without making them the country the document is about:
    adjectives of nationality ("Syrian forces retook Palmyra") and the home regions of the actors
    named (JNIM: Mali, Burkina Faso, Niger; ISWAP: Niger, Nigeria, Chad, Cameroon), and the few
    countries of a small named region ("les pays baltes": Estonia, Latvia, Lithuania)."""
    codes = _demonym_codes(catalogs)
    clues = Counter(codes[m.group(0)] for m in _demonym_pattern(catalogs).finditer(extraction.document.text))
    for mention in extraction.mentions:
        if mention.kind == "region" and len(mention.candidates) == 1 and mention.candidates[0].startswith("region:"):
            region = catalogs.regions.get(mention.candidates[0].split(":", 1)[1])
            if region and 1 < len(region.countries) <= SMALL_REGION:
                clues.update(region.countries)
        if mention.kind == "actor" and len(mention.candidates) == 1:
            ident = mention.candidates[0].split(":", 1)[1]
            actor = catalogs.actors.get(ident)
            clues.update(c for c in home_regions().get(ident, ()) if not actor or c != actor.country)
    return clues


@cache
def _demonym_codes(catalogs: Catalogs) -> dict[str, str]:
    return {d: c.code for c in catalogs.countries.values() for d in c.demonyms if len(d) >= 4 and d[:1].isupper()}


@cache
def _demonym_pattern(catalogs: Catalogs) -> re.Pattern[str]:
    """Every demonym at word boundaries, longest first. The alternation is grouped by first letter:
    at each word start `re` then looks through one group, not the whole list (same matches)."""
    names = sorted(_demonym_codes(catalogs), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + first_letter_alternation(names) + r")(?![\w-])")


def _equipment_entity(ctx: Context, mention: Mention) -> Entity | None:
    ids = [c.split(":", 1)[1] for c in mention.candidates if c.startswith("equipment:")]
    entry = ctx.catalogs.equipment.get(ids[0]) if ids else None
    if entry is None:
        return None
    name = _written_name(entry.name, _without_class_noun(ctx, mention.alias))
    return _entity(ctx, ("equipment", f"{entry.id}:{fold(name)}"), Entity(
        "", "equipment", name, catalog_id=entry.id,
        equipment_class=_class_name(ctx, entry.equipment_class), origin=entry.origin, family=entry.family,
        variant_of=entry.parent, aliases=[a for a in (entry.name, *entry.aliases) if a != mention.alias][:12]))


def _without_class_noun(ctx: Context, alias: str | None) -> str | None:
    """"K2 tank" names the K2: a trailing generic noun is not part of the designation."""
    if not alias or " " not in alias:
        return alias
    head, _, last = alias.rpartition(" ")
    return head if fold(last) in _class_nouns(ctx.catalogs) else alias


@cache
def _class_nouns(catalogs: Catalogs) -> frozenset[str]:
    return frozenset({fold(n) for c in catalogs.classes.values() for n in c.nouns} | {"mbt", "ifv", "apc", "arv"})


@cache
def _predecessors(catalogs: Catalogs) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for actor in catalogs.actors.values():
        if actor.succeeded_by:
            out.setdefault(actor.succeeded_by, []).append(actor.name)
    return out


def _written_name(canonical: str, alias: str | None) -> str:
    """The designation as the report wrote it, in the catalog's spelling ("F-16", "M1A2T", "Anka-S").

    Analysts name a system by the designation the source used; the catalog's canonical name
    ("F-16 Fighting Falcon") stays among the aliases. A maker's prefix the text left out is left
    out ("Mistral" for "MBDA Mistral"). Plain nicknames ("Abrams", "Grad") are too vague to stand
    for a variant, and Cyrillic spellings are not how the record names things, so those keep the
    canonical name.
    """
    if not alias or alias.isdigit() or not _latin(alias):
        return canonical
    if " " in alias and alias[:1].islower():
        return canonical  # "système de défense sol-air Mamba" describes the system; it is not its designation
    if any(c.isdigit() or c == "-" for c in alias):
        return alias
    prefix, _, rest = canonical.partition(" ")
    if rest == alias and not any(c.isdigit() for c in prefix):
        return alias
    return canonical


def _latin(text: str) -> bool:
    return all(c.isascii() or not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def _class_name(ctx: Context, class_id: str) -> str:
    entry = ctx.catalogs.classes.get(class_id)
    return entry.name if entry else class_id


def _unknown_equipment_entity(ctx: Context, mention: Mention) -> Entity:
    name = next((c.split(":", 1)[1] for c in mention.candidates if c.startswith("name:")), mention.span.text)
    family_id = next((c.split(":", 1)[1] for c in mention.candidates if c.startswith("family:")), None)
    family = ctx.catalogs.equipment.get(family_id) if family_id else None
    return _entity(ctx, ("equipment", "?" + fold(name)), Entity(
        "", "equipment", name, catalog_id=None, equipment_class=_class_name(ctx, family.equipment_class)
        if family else None, origin=family.origin if family else None, family=family.family if family else None,
        variant_of=family.id if family else None))


def _class_entity(ctx: Context, mention: Mention) -> Entity | None:
    class_id = mention.candidates[0].split(":", 1)[1]
    entry = ctx.catalogs.classes.get(class_id)
    if entry is None:
        return None
    return _entity(ctx, ("equipment_class", class_id), Entity("", "equipment_class", entry.name,
                                                                       catalog_id=class_id))


def _country_entity(ctx: Context, code: str) -> Entity:
    country = ctx.catalogs.countries[code]
    key = ("place", "country:" + code)
    if key in ctx.entities:
        return ctx.entities[key]
    return _entity(ctx, key, country_place_entity(country, ctx.gazetteer))


def country_place_entity(country: CountryEntry, gazetteer: Gazetteer | None, name: str | None = None) -> Entity:
    """A country as a place, at the gazetteer's point for it (`Gazetteer.country`, the point every
    layer pins a country at): resolve and relate (which adds the country of a force the text
    names) must put one country at one point."""
    gazetteer_id = f"geonames:{country.geonames_id}" if country.geonames_id else None
    point = gazetteer.country(country.code) if gazetteer and gazetteer_id else None
    return Entity("", "place", name or country.name, catalog_id=f"country:{country.code}", country=country.code,
                  feature="country", gazetteer_id=gazetteer_id, lat=point.lat if point else None,
                  lon=point.lon if point else None, precision="country")


def _code_as_modifier(ctx: Context, mention: Mention) -> bool:
    """"U.S. forces", "U.S. Embassy", "the U.S.-Philippines alliance": a country's code glued to a
    word or before the forces, officials or body it qualifies is a modifier, as "US officials" is
    (`orbat.geoparse`), not a place named; "the U.S. has pledged", "from the U.S." name the country.
    French puts it after its noun: "des responsables US", "les soldats UK"."""
    text = mention.span.text
    if not (text.replace(".", "").isupper() and len(text.replace(".", "")) <= 4):
        return False
    if postposed_code(ctx.text, mention.span.start):
        return True
    after = ctx.text[mention.span.end:mention.span.end + 30]
    if re.match(r"[-–]\s*[A-Za-z]", after):
        return True
    follower = re.match(r" ([A-Za-z]+)", after)
    return bool(follower) and follower.group(1).lower() in QUALIFIED_BY_CODE \
        and not cue_before(ctx.text, mention.span.start).strength


# What a country's code qualifies rather than names a place for: its forces, officials and bodies.
QUALIFIED_BY_CODE = {"forces", "force", "troops", "soldiers", "servicemembers", "personnel", "military", "officials",
                     "government", "embassy", "army", "navy", "marines", "marine", "airmen", "sailors", "units",
                     "commitment", "assets", "ambassador", "delegation", "diplomats", "officers", "mission",
                     "department", "command", "administration", "defense", "defence", "intelligence", "authorities"}


def _state_actor(ctx: Context, code: str) -> Entity:
    entry = ctx.catalogs.actors.get(f"state-{code.lower()}")
    name = entry.name if entry else ctx.catalogs.countries[code].name
    return _entity(ctx, ("actor", f"state-{code.lower()}"), Entity(
        "", "actor", name, catalog_id=entry.id if entry else None, actor_type="state", country=code,
        aliases=list(entry.aliases[:5]) if entry else []))


def _acts(ctx: Context, mention: Mention) -> bool:
    after = ctx.text[mention.span.end:mention.span.end + 40]
    before = ctx.text[max(0, mention.span.start - 12):mention.span.start]
    if after.startswith(("'s ", "’s ")):
        return True  # "Russia's operational footprint", "Ukraine's F-16s": what a state owns, it operates
    if AGENT_OF.search(ctx.text, max(0, mention.span.start - 40), mention.span.start) \
            and re.match(r"\s+(?:contre|against)\b", after):
        return True  # "l'agression militaire de la Russie contre l'Ukraine"
    if LOCATED_BEFORE.search(before):
        return False  # "involvement in Mali is …": Mali is where, not who
    if ACTS_BEFORE.search(before) and NAMES_ITS_OWN.match(after):
        return False  # "by U.S. forces", "by U.S. Sixth Fleet": what follows acts, the state describes it
    return bool(ACTS_AFTER.match(after) or ACTS_BEFORE.search(before))


#: Verbs whose object is the place a movement or strike went to or from, not a government.
REACHED_BEFORE = re.compile(
    r"\b(?:reach(?:ed|es|ing)?|enter(?:ed|s|ing)?|left|leav(?:e|es|ing)|cross(?:ed|es|ing)?|"
    r"visit(?:ed|s|ing)?|struck|strik(?:e|es|ing)|shell(?:ed|s|ing)|bomb(?:ed|s|ing)|"
    r"captur(?:e|ed|es|ing)|seiz(?:e|ed|es|ing)|encircl(?:e|ed|es|ing)|besieg(?:e|ed|es|ing)|"
    r"a(?:vait|ont)?\s+(?:atteint|rejoint|quitté|gagné)|atteignent|rejoignent|quittent)\s+$", re.I)
# "A storm hit Rome", "heavy snow has blanketed Rome", "une tempête a frappé Rome", "la neige est tombée
# sur Rome": weather and earthquakes befall a city, never a government, whatever verb they take; the
# event's own word must come first, so "sanctions hit Moscow" and "Rome condemned" stay governments, and
# a figure of speech ("a storm of criticism hit Rome", "une tempête de critiques") is no weather.
NATURAL_EVENT = (r"(?:storms?|snowstorms?|hurricanes?|typhoons?|cyclones?|tornado(?:e?s)?|blizzards?|floods?|"
                 r"flooding|floodwaters?|earthquakes?|quakes?|tremors?|snow|snowfall|rain|rains|rainfall|hail|"
                 r"heat\s?waves?|wildfires?|tempêtes?|ouragans?|typhons?|tornades?|inondations?|crues?|séismes?|"
                 r"tremblements?\s+de\s+terre|neige|pluies?|grêle|canicule|incendies?)")
STRUCK_BY_NATURE_BEFORE = re.compile(
    rf"\b{NATURAL_EVENT}\s+(?:(?!(?:of|de|des|du)\s)[\w'’]+\s+){{0,2}}?"
    r"(?:hit|hits|struck|strikes|battered|batters|lashed|lashes|swept|sweeps|flooded|floods|shook|shakes|"
    r"rocked|pounded|blanketed|engulfed|ravaged|fell\s+on|frapp(?:é|e|ent)|secou(?:é|e|ent)|touch(?:é|e|ent)|"
    r"balay(?:é|e|ent)|ravag(?:é|e|ent)|inond(?:é|e|ent)|tomb(?:ée?s?|e|ent)\s+sur|abattu(?:e|es)?\s+sur|"
    r"abat(?:tent)?\s+sur)\s+$", re.I)


def _metonym(ctx: Context, mention: Mention) -> bool:
    """A capital may name its government ("Moscow delivered", "Washington's decision") unless the
    text puts something in it ("in Moscow", "Rome's Gemelli hospital")."""
    before = ctx.text[max(0, mention.span.start - 16):mention.span.start]
    if re.search(r"\b(?:de|du|des|d['’])\s?$", before, re.I):
        return False  # "la base aérienne de Niamey", "au sommet de Varsovie", "heure de Paris"
    if re.search(r"\b(?:in|at|near|to|from|into|outside|around|via|through|of|over|across|on|en|à|"
                 r"(?:battle|fight|struggle)\s+for)\s+"
                 r"(?:the\s+)?(?:city of\s+|capital,?\s+)?$", before, re.I):
        return False
    if re.search(r"\bthe\s+$", before, re.I) and re.match(r"\s+[a-z]", ctx.text[mention.span.end:mention.span.end + 2]):
        return False  # "the Bamako convoy", "the Moscow summit": the city names the thing, no government acts
    if REACHED_BEFORE.search(ctx.text, max(0, mention.span.start - 24), mention.span.start):
        return False  # "armour has reached Bamako", "troops left Niamey": the city is where they went
    if STRUCK_BY_NATURE_BEFORE.search(ctx.text, max(0, mention.span.start - 60), mention.span.start):
        return False  # "a storm hit Rome", "un séisme a secoué Rome": the city the weather befell
    if re.search(r"\bcapital,?\s+$", before, re.I) or names_an_area(ctx.text, mention.span.start, mention.span.end):
        return False  # "the capital, Juba", "a Washington state farm"
    if re.search(r"\b(?:a|an|central|downtown|suburban|his|her|their|its|our)\s+$|['’]\s+$", before, re.I):
        return False  # "a central Athens hotel", "his parents' Algiers home": where, not who
    after = ctx.text[mention.span.end:mention.span.end + 40]
    if after.startswith(("'s ", "’s ")):
        return bool(GOVERNMENT_AFTER.match(after[3:]))
    return True


def _only_government(ctx: Context, mention: Mention) -> bool:
    """A capital that acts is its government and nothing else ("Moscow delivered", "Washington's
    decision", "backed by Paris"); one that does not act is also the city, as a country name is
    also the country: "namely Cairo, Giza and Minya", "asked Moscow for a response", "the WHO's
    Beijing spokesman", "the Battle for Kyiv"."""
    before = ctx.text[max(0, mention.span.start - 16):mention.span.start]
    after = ctx.text[mention.span.end:mention.span.end + 40]
    return bool(after.startswith(("'s ", "’s ")) or ACTS_AFTER.match(after) or ACTS_BEFORE.search(before))


# Words that end a noun phrase: "military" before one of them is the noun, not an adjective.
NOUN_PHRASE_ENDS = {"to", "in", "on", "at", "and", "or", "of", "for", "with", "from", "by", "as", "that", "which",
                    "who", "since", "after", "before", "during", "into", "against", "than", "but", "if", "while"}


def _adjectival(ctx: Context, mention: Mention) -> bool:
    """"Russian military infrastructure" describes, it does not name an actor."""
    if not re.search(r"(?:military|army|armée)$", mention.span.text, re.I) or mention.span.text.endswith("Army"):
        return False  # "a British Army soldier" names the army; "Russian military infrastructure" does not
    follower = re.match(r"\s+([a-z][\w-]*)", ctx.text[mention.span.end:mention.span.end + 30])
    return bool(follower) and not ACTS_AFTER.match(" " + follower.group(1)) \
        and follower.group(1) not in NOUN_PHRASE_ENDS  # "to the Ukrainian military to help them"


# "China Daily", "The New Zealand Herald", "Kenya Broadcasting Corporation", "Television New Zealand", "the
# Times of India", "Le Figaro"-style titles: a place's name inside a newspaper's or a broadcaster's names the
# outlet, not a place the events happen in. Capitalised words only: "India times" is no title.
TITLE_AFTER = re.compile(r"(?<!\s)\s(?:Daily|Herald|Times|Post|Tribune|Gazette|Broadcasting|Television|Observer|"
                         r"Chronicle|Telegraph|Journal|Courier|Express|Matin|Soir|Presse|Monitor|Star)\b(?!\s+(?:of|de)\b)")
TITLE_BEFORE = re.compile(r"\b(?:Times|Television|Radio|Herald|Tribune|Gazette|Journal|Télévision|Radiodiffusion)\s"
                          r"(?:of\s|de\s|du\s|d['’])?$")


def in_a_title(text: str, start: int, end: int) -> bool:
    """Whether a place's name is part of a newspaper's or a broadcaster's title (`TITLE_AFTER`)."""
    return bool(TITLE_AFTER.match(text, end) or TITLE_BEFORE.search(text, max(0, start - 24), start))


def _names_an_institution(text: str, start: int) -> bool:
    """"the University of Georgia", "the Bank of England": a country's name that ends an institution's
    name is no place the text names, as a town's there is not (`geoparse.NOT_A_PLACE_BEFORE`)."""
    return NOT_A_PLACE_BEFORE.search(text, max(0, start - 40), start) is not None


def _in_a_code_or_title(text: str, start: int, end: int) -> bool:
    """A title's place (`in_a_title`), or a name between slashes in a code: the flu strain
    "A/California/7/2009" names where it was first isolated, not where the news happens."""
    in_a_code = text[start - 1:start] == "/" and re.match(r"/\d", text[end:end + 2]) is not None
    return in_a_code or in_a_title(text, start, end)


def _inside_a_longer_name(text: str, start: int, end: int) -> bool:
    """"Atlantic Resolve", "the Atlantic Veterinary College", "U.S. Army Pacific": a one-word region
    name glued to other capitalised words is part of a longer name (an operation, a body), not the
    region; "the tropical Pacific", "Pacific Ocean", "the Western Pacific" still name it. An
    organisation's acronym before a region makes the pair that body's name: "NHS West Midlands"."""
    if BODY_ACRONYM_BEFORE.search(text, max(0, start - 12), start):
        return True
    if " " in text[start:end].strip():
        return False
    after = re.match(r" ([A-Z][\w-]*)", text[end:end + 40])
    if (after and after.group(1).lower() not in REGION_WORDS_AFTER) or re.match(r"-[a-z]", text[end:end + 2]):
        return True  # "Atlantic Resolve"; "a Pacific-class patrol boat"
    before = re.search(r"(?:^|\s)([A-Z][\w-]*(?:\.[A-Z]\.?)*) $", text[max(0, start - 40):start])
    if not before or before.group(1).lower().rstrip(".") in REGION_WORDS_BEFORE \
            or re.search(r"-[a-z]+$", before.group(1)):  # "Pakistan-administered Kashmir", "Russian-held Crimea"
        return False
    ends_sentence = before.group(1).endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+", before.group(1))
    return not ends_sentence


BODY_ACRONYM_BEFORE = re.compile(r"(?<![\w.])[A-Z]{3,} $")  # "NHS West Midlands", "BBC West Midlands"
# Capitalised words that may stand beside a region's one-word name without making a longer name.
REGION_WORDS_AFTER = {"ocean", "sea", "coast", "region", "basin", "islands", "rim", "and", "or", "in", "on"}
REGION_WORDS_BEFORE = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                       "the", "in", "across", "tropical", "equatorial", "upper", "lower", "and", "or"}


def _region_entity(ctx: Context, mention: Mention) -> Entity | None:
    region = ctx.catalogs.regions.get(mention.candidates[0].split(":", 1)[1])
    if region is None or _inside_a_longer_name(ctx.text, mention.span.start, mention.span.end):
        return None
    single = region.countries[0] if len(region.countries) == 1 else None
    lat, lon = (region.lat, region.lon) if region.lat is not None else _continent_point(ctx, region.name)
    return _entity(ctx, ("place", "region:" + region.id), Entity(
        "", "place", region.name, catalog_id=f"region:{region.id}", country=single, feature="region",
        lat=lat, lon=lon, precision="region"))


def _continent_point(ctx: Context, name: str) -> tuple[float | None, float | None]:
    """A continent's centroid from the gazetteer: a region that spans countries can still be drawn."""
    if ctx.gazetteer is None:
        return None, None
    found = [p for places in ctx.gazetteer.lookup([name]).values() for p in places if p.feature == "continent"]
    return (found[0].lat, found[0].lon) if found else (None, None)


def _bare_code(ctx: Context, mention: Mention) -> bool:
    """"H5" names an air base only next to "air base"; alone it is a virus subtype or a grid square."""
    text = mention.span.text
    if len(text) > 3 or not any(c.isdigit() for c in text):
        return False
    around = ctx.text[max(0, mention.span.start - 30):mention.span.end + 30]
    return not re.search(r"\b(?:base|airbase|airfield|airport|air station|station|camp|site)\b", around, re.I)


def _installation_entity(ctx: Context, mention: Mention) -> Entity | None:
    ids = [c.split(":", 1)[1] for c in mention.candidates if c.startswith("installation:")]
    options = [ctx.catalogs.installations[i] for i in ids if i in ctx.catalogs.installations]
    if not options or _bare_code(ctx, mention):
        return None
    region = next((c for c in mention.candidates if c.startswith("region:")), None)
    if region and not any(ctx.countries.get(i.country) for i in options):
        other = ctx.catalogs.regions.get(region.split(":", 1)[1])
        if other and any(ctx.countries.get(c) for c in other.countries):  # "Tinian … Rota": the island, not the
            return _region_entity(ctx, Mention("region", mention.span, (region,)))  # Spanish naval station
    folded_text = ctx.folded

    def score(inst) -> tuple[int, int]:
        city_named = bool(inst.city) and fold(inst.city) in folded_text
        return (ctx.countries.get(inst.country, 0) + (3 if city_named else 0), -options.index(inst))

    ranked = sorted(options, key=score, reverse=True)
    best = ranked[0]
    if len(ranked) > 1 and score(best)[0] == 0:
        return _entity(ctx, ("place", "ambiguous:" + fold(mention.span.text)), Entity(
            "", "place", mention.span.text, feature="installation", candidates=[i.id for i in ranked]))
    return _entity(ctx, ("place", "installation:" + best.id), Entity(
        "", "place", best.name, catalog_id=f"installation:{best.id}", country=best.country, lat=best.lat,
        lon=best.lon, feature="installation", precision="point"))


def _actor_entity(ctx: Context, mention: Mention) -> Entity | None:
    if _adjectival(ctx, mention):
        return None
    ids = [c.split(":", 1)[1] for c in mention.candidates if c.startswith("actor:")]
    options = [ctx.catalogs.actors[i] for i in ids if i in ctx.catalogs.actors]
    if not options:
        return None
    entry = max(options, key=lambda a: ctx.countries.get(a.country or "", 0))
    return _catalog_actor(ctx, entry, " ".join(mention.span.text.split()))


def _catalog_actor(ctx: Context, entry, written: str | None = None) -> Entity:
    """The catalog actor's entity; the spelling this document used joins its aliases, so a reader
    (or a scorer) sees "Kuwaiti armed forces" beside the catalog's "Kuwait Armed Forces"."""
    successor = ctx.catalogs.actors.get(entry.succeeded_by or "")
    entity = _entity(ctx, ("actor", entry.id), Entity(
        "", "actor", entry.name, catalog_id=entry.id, actor_type=entry.actor_type, country=entry.country,
        aliases=list(entry.aliases[:8]), successor=successor.name if successor else None,
        predecessors=list(_predecessors(ctx.catalogs).get(entry.id, [])), source="catalog"))
    if written and written != entity.name and written not in entity.aliases and _latin(written):
        entity.aliases.append(written)
    return entity


def _person(ctx: Context, name: str, title: str | None, source: str) -> Entity | None:
    """One person per document: "Visser" or "Minister Visser" after "Barbara Visser" is her."""
    name = re.sub(r"['’]s$", "", name)  # "Ambassador Richard’s visit"
    if all(word.rstrip(".").lower() in TITLE_WORDS for word in name.split()):
        return None  # "Commander Col. …", "Lieutenant General": a rank read as a name
    if " " not in name:
        for (kind, ident), entity in ctx.entities.items():
            if kind == "actor" and ident.startswith("person:") and entity.name.split()[-1] == name:
                return entity
    return _entity(ctx, ("actor", "person:" + fold(name)), Entity(
        "", "actor", name, actor_type="person", aliases=[f"{title} {name}"] if title else [], source=source))


def _national_entry(catalogs: Catalogs, country: str | None, noun: str | None):
    """The one catalog actor of `country` whose name or an alias ends with `noun` ("air force",
    "armée de l'air"), or None when there is none or more than one."""
    if not country or not noun or len(noun) < 4:
        return None
    wanted = fold(noun)
    found = [a for a in _actors_of(catalogs).get(country, ())
             if a.actor_type != "state" and any(fold(n).endswith(wanted) for n in (a.name, *a.aliases))]
    return found[0] if len(found) == 1 else None


@cache
def _actors_of(catalogs: Catalogs) -> dict[str, list]:
    out: dict[str, list] = {}
    for actor in catalogs.actors.values():
        if actor.country:
            out.setdefault(actor.country, []).append(actor)
    return out


def _recognised_actor(ctx: Context, mention: Mention) -> Entity | None:
    """An actor proposed by a pattern or the NER (`orbat.extract.actors`): a catalog entry when the
    name is one of its spellings, else kept with `catalog_id: null` and the type it was found as."""
    if _adjectival(ctx, mention):  # "Russian military infrastructure"
        return None
    flags = dict(c.split(":", 1) for c in mention.candidates if ":" in c)
    name = flags.get("name") or display_name(mention.span.text)  # "Danish government" in "Danish and Dutch governments"
    entry = catalog_spelling(ctx.catalogs, name)
    if entry is not None and entry.actor_type != "state":
        return _catalog_actor(ctx, entry, name)
    if flags.get("type") == "person":
        return _person(ctx, name, flags.get("title"), flags.get("source", "pattern"))
    national = _national_entry(ctx.catalogs, flags.get("country"), flags.get("noun"))
    if national is not None:  # "Chad's air force", "l'armée malienne": that state's catalog entry
        return _catalog_actor(ctx, national, name)
    if flags.get("country") and flags.get("noun"):  # "Chad's air force", then "the Chadian air force": one force
        entity = _entity(ctx, ("actor", f"national:{flags['country']}:{fold(flags['noun'])}"), Entity(
            "", "actor", name, actor_type=flags.get("type", "armed_force"), country=flags["country"],
            source=flags.get("source", "pattern")))
        if name != entity.name and name not in entity.aliases:
            entity.aliases.append(name)
        return entity
    if flags.get("hull"):  # "USS Harry S. Truman", then "USS Truman" and "the Truman": one ship
        ship = flags["hull"].split()[-1]
        entity = _entity(ctx, ("actor", "hull:" + fold(flags["hull"])), Entity(
            "", "actor", name, actor_type="unit", aliases=[ship], source=flags.get("source", "pattern")))
        if name != entity.name and name not in entity.aliases:
            entity.aliases.append(name)
        return entity
    head = fold(name)
    for (kind, _ident), entity in ctx.entities.items():  # "the Coalition" after "the international coalition"
        if kind == "actor" and " " not in head and entity.catalog_id is None and head in fold(entity.name).split():
            return entity
    return _entity(ctx, ("actor", "org:" + head), Entity(
        "", "actor", name, actor_type=flags.get("type", "organisation"), country=flags.get("country"),
        aliases=[flags["acronym"]] if "acronym" in flags else [], source=flags.get("source", "pattern")))


def _respelled_actor(ctx: Context, index: int, mention: Mention, links: dict[int, str],
                     others: list[Mention]) -> bool:
    """A capitalised name that is a catalog actor spelled another way ("Da'esh"), not a place.
    `others` are the document's mentions, where the state written after the name is looked for."""
    entry = catalog_spelling(ctx.catalogs, mention.span.text)
    if entry is None or entry.actor_type == "state":
        return False
    if _a_place_spelled_near_an_actor(ctx, index, mention, entry, others):
        return False
    entity = _catalog_actor(ctx, entry, mention.span.text)
    entity.mentions.append(mention.span)
    links[index] = entity.id
    return True


def _a_place_spelled_near_an_actor(ctx: Context, index: int, mention: Mention, entry,
                                   others: list[Mention]) -> bool:
    """"in Sinjar district": a town one letter off an actor's name ("Sinwar") after a clear locative
    is the town the gazetteer knows by that very name, not a misspelt actor; an actor's own name
    ("in Daesh") stays the actor. A state or province, or a city of `LARGE_CITY` people, known by
    that very name needs no locative: "floods hit Assam" is the Indian state, not Assad misspelt.
    Nor does a US town the text puts in its state ("Macon, Georgia", "Macon, Ga."): the writer named
    the state to say which town it is, and no one writes a state after a president ("Macron")."""
    written = spelling_key(mention.span.text)
    if ctx.gazetteer is None or any(spelling_key(n) == written for n in (entry.name, *entry.aliases)):
        return False
    places = [p for p in ctx.gazetteer.lookup([mention.span.text]).get(place_key(mention.span.text), [])
              if p.by_main_name]
    if any(p.feature in AREAS or p.population >= LARGE_CITY for p in places):
        return True
    if places and cue_before(ctx.text, mention.span.start).strength >= 2:
        return True
    states = _states_written_after(ctx.text, index, mention, others, ctx.gazetteer) if places else []
    return any(in_a_state_written(p, states) for p in places)


def _states_written_after(text: str, index: int, mention: Mention, others: list[Mention],
                          gazetteer: Gazetteer) -> list[GazetteerPlace]:
    """The areas written right after one name, abbreviated ("Macon, Ga.", `state_abbreviated_after`)
    or in full ("Macon, Georgia", `_areas_after`): what `_gazetteer_entities` reads there later, read
    here for a name before deciding whether it is a place at all."""
    abbreviated = state_abbreviated_after(text, mention.span.end)
    if abbreviated:
        state = gazetteer.by_id(f"iso3166-2:{abbreviated[0]}")
        return [state] if state is not None else []
    return _areas_after(text, [(index, mention)], others, gazetteer).get(index, [])


def _name_actor(ctx: Context, mention: Mention) -> Entity | None:
    """People with a title and organisations defined with an acronym that the catalog lacks."""
    flag = mention.candidates[0] if mention.candidates else ""
    if mention.kind == "person_candidate":
        name = mention.span.text
        title = flag.split(":", 1)[1] if flag.startswith("title:") else None
        return _person(ctx, name, title, "pattern")
    if flag.startswith("country:"):
        country = flag.split(":", 1)[1]
        kind = "government" if re.search(r"ministry|ministère", mention.span.text, re.I) else "armed_force"
        return _entity(ctx, ("actor", "org:" + fold(mention.span.text)), Entity(
            "", "actor", mention.span.text, actor_type=kind, country=country))
    if flag.startswith("type:"):  # "the Tasnim news agency", "built by Fincantieri"
        return _entity(ctx, ("actor", "org:" + fold(mention.span.text)), Entity(
            "", "actor", mention.span.text, actor_type=flag.split(":", 1)[1]))
    acronym = flag.split(":", 1)[1]
    name = mention.span.text
    lowered = name.lower()
    kind = "research" if re.search(r"institute|center|centre|studies|research|university|observatory", lowered) \
        else "armed_force" if re.search(r"forces|army|armée|brigade|regiment|battalion", lowered) \
        else "government" if re.search(r"ministry|ministère|government|council", lowered) else "organisation"
    return _entity(ctx, ("actor", "org:" + fold(name)), Entity(
        "", "actor", name, actor_type=kind, aliases=[acronym]))


def _capital_named(options: list[GazetteerPlace], capitals: dict[str, str]) -> str | None:
    """The country whose capital a name most likely means: the capital must be the largest town of
    that name, and no state or province abroad may share it ("San Jose" is Californian, "Victoria"
    Australian; "Washington" still names the United States)."""
    towns = [p for p in options if p.feature in {"city", "locality"}]
    if not towns:
        return None
    largest = max(towns, key=lambda p: (p.population, p.id))
    if largest.id not in capitals or any(p.feature in {"admin1", "admin2"} and p.by_main_name
                                         and p.country != largest.country for p in options):
        return None  # a province abroad shares the name (Victoria): not a capital's name alone
    return capitals[largest.id]


# What joins the names of one list: "Moscow, Washington and Beijing", "Moscou, Washington et Pékin", and
# the article French puts before a country's name ("Moscou, la Géorgie et l'Ukraine").
# Anchored after a name's last letter and possessive, so a search stays linear over long blank runs.
LIST_GAP = re.compile(r"(?<!\s)(?:\s*+,\s*+(?:(?:and|or|et|ou)\s++)?|\s++(?:and|or|et|ou)\s++)"
                      r"(?:(?:la|le|les)\s++|l['’])?")


def _listed_governments(ctx: Context, mentions: list[tuple[int, Mention]], others: list[Mention],
                        found: dict[str, list[GazetteerPlace]], capitals: dict[str, str]) -> set[int]:
    """"Moscow, Washington and Beijing agreed…", "Moscou, Washington et Pékin ont convenu…": by index
    of the names to place, the capitals the text lists as governments, one after another or with
    countries, each of a different country: three or more names, or two joined by "and". Each is its
    country's capital city, not a namesake (Moscow, Idaho; Pekin, Illinois), and the capital after
    a comma is the next item of the list, not the state the one before lies in ("Moscow, Idaho" is
    a pair with no third item, "Athens, Georgia, on Friday" names no government after Georgia)."""
    by_start = {m.span.start: m for _, m in mentions}
    index_of = {m.span.start: i for i, m in mentions}
    names = sorted([(m.span.start, m.span.end) for _, m in mentions]
                   + [(m.span.start, m.span.end) for m in others if m.kind == "country" and m.candidates])
    country_at = {m.span.start: m.candidates[0].split(":", 1)[1] for m in others
                  if m.kind == "country" and m.candidates}

    def government(start: int) -> str | None:
        """The country a listed name governs for: a country's name, or a capital read as its government."""
        if start in country_at:
            return country_at[start]
        mention = by_start.get(start)
        if mention is None:
            return None
        capital = _capital_named(found.get(place_key(mention.span.text), []), capitals)
        return capital if capital and _metonym(ctx, mention) else None

    runs: list[list[tuple[int, int]]] = []
    for start, end in names:
        last = runs[-1][-1] if runs else None
        if last is not None and start > last[1] and LIST_GAP.fullmatch(ctx.text, last[1], start):
            runs[-1].append((start, end))
        else:
            runs.append([(start, end)])
    out: set[int] = set()
    for run in runs:
        if len(run) < 2 or (len(run) == 2 and "," in ctx.text[run[0][1]:run[1][0]]):
            continue  # "Moscow, Idaho": a town and its state, not two governments
        codes = [government(start) for start, _ in run]
        if all(codes) and len(set(codes)) == len(codes):
            out.update(index_of[start] for start, _ in run if start in index_of)
    return out


def _country_after(text: str, mention: Mention, followers: dict[int, str]) -> tuple[str, ...]:
    """"Stuttgart, Germany": the country right after a name says where that name is."""
    gap = re.match(r",\s*", text[mention.span.end:mention.span.end + 4])
    code = followers.get(mention.span.end + gap.end()) if gap else None
    return (f"in-country:{code}",) if code else ()


def _areas_after(text: str, mentions: list[tuple[int, Mention]], others: list[Mention],
                 gazetteer: Gazetteer, clues: Counter[str] | None = None,
                 counties: dict[str, str] | None = None,
                 readings: dict[str, list[GazetteerPlace]] | None = None) -> dict[int, list[GazetteerPlace]]:
    """"Beaumont, Texas", "Stroud, Ontario", "Blakely, Georgia", "Atlanta, en Géorgie": the state,
    province or district named right after a name, as the areas (by their own names) that the name
    lies in; French puts "en" before a state's name as before a country's. So are the
    areas of a bracketed chain after it: "Inata (province du Soum)", "Zalingei (Central Darfur)",
    "Tongo (Macina, Ségou)"; and the area the words after it put it in ("près de Baga, dans l'État de
    Borno"). A bracketed area in a country the rest of the document never points at
    is a namesake ("Oicha (territoire de Beni, Nord-Kivu)" is not in Bolivia's El Beni) and is left
    out, unless it is a US state that holds a town of that name ("Rome (Géorgie)": the writer named
    the state to say which Rome, though Georgia the country is all the text points at); `clues` are
    the countries the document points at. `counties` gives the county's own key of a name the words
    around it call a US county ("près de Rice Lake, dans le comté de Fulton"); `readings`,
    the names' own readings by key, tell "Gori, Georgia" from "Athens, Georgia" (`_the_country_instead`)."""
    starts = {m.span.start: m.span.text for m in others if m.kind in {"place_candidate", "country"}}
    for m in others:  # "l'État de Borno": the name after the area word, where the connector ends
        lead = LEADING_DETERMINER.match(m.span.text) if m.kind == "place_candidate" else None
        if lead and lead.end() < len(m.span.text):
            starts.setdefault(m.span.start + lead.end(), m.span.text[lead.end():])
    ordered = sorted(starts)
    after: dict[int, list[str]] = {}
    bracketed: set[int] = set()
    for index, mention in mentions:
        gap = TOWN_AREA_GAP.match(text, mention.span.end, mention.span.end + 8)
        name = starts.get(gap.end()) if gap else None
        if name:
            after[index] = _comma_run(text, starts, gap.end())
        elif BRACKET_OPENS.match(text, mention.span.end):
            close = text.find(")", mention.span.end, mention.span.end + BRACKET_CHARS)
            low = bisect_left(ordered, mention.span.end)
            names = [starts[s] for s in ordered[low:bisect_left(ordered, close)]] if close > 0 else []
            if names:
                after[index] = names
                bracketed.add(index)
        elif (start := container_after(text, mention.span.end, cue_before(text, mention.span.start))) is not None \
                and (name := starts.get(start)):
            after[index] = [name]  # "près de Baga, dans l'État de Borno", "Kajuru, in Kaduna State"
    if not after:
        return {}
    # "Hukou, Hsinchu County": the area by its own name, without the word that calls it one
    bare = {name: " ".join(words[:-1]) for names in after.values() for name in names
            if len(words := name.split()) > 1 and words[-1].lower() in AREA_WORDS}
    counties = counties or {}
    found = gazetteer.lookup({name for names in after.values() for name in names} | set(bare.values())
                             | set(counties.values()))
    countries = {m.span.text: m.candidates[0].split(":", 1)[1] for m in others if m.kind == "country" and m.candidates}
    by_index = dict(mentions)
    out = {}
    for index, names in after.items():
        towns = readings.get(place_key(by_index[index].span.text), []) if readings else []
        areas = [p for name in names
                 for p in found.get(counties.get(name, ""))
                 or found.get(place_key(name)) or found.get(place_key(bare.get(name, name)), [])
                 if p.feature in {"admin1", "admin2", "admin"} and p.by_main_name
                 and not _the_country_instead(p, countries.get(name), towns)]
        if index in bracketed and clues:
            areas = [p for p in areas if clues.get(p.country) or any(in_a_state_written(t, [p]) for t in towns)]
        if areas:
            out[index] = areas
    return out


def _the_country_instead(area: GazetteerPlace, country: str | None, towns: list[GazetteerPlace]) -> bool:
    """"Gori, Georgia", "à Tbilissi, en Géorgie": after a town of a country, that country's name
    names the country, not the state of that name abroad, unless a town of that name lies in the
    state ("Athens, Georgia"). `country` is the code of the country the name after the town names, if
    it names one; `towns` are the town's readings."""
    return country is not None and area.country != country and any(t.country == country for t in towns) \
        and not any(in_a_state_written(t, [area]) for t in towns)


def _comma_run(text: str, starts: dict[int, str], start: int) -> list[str]:
    """The names from `start` on that commas join, each perhaps with its area word: "Chikun LGA, Kaduna
    State", "Hombori commune, Douentza cercle, Mopti region" (at most four)."""
    names = []
    while start in starts and len(names) < 4:
        names.append(starts[start])
        gap = RUN_GAP.match(text, start + len(starts[start]), start + len(starts[start]) + 30)
        if not gap:
            break
        start = gap.end()
    return names


# What sits between a town and the area it lies in: a comma ("Atlanta, Georgia"), and in French the
# "en" put before a country's or a state's name ("Atlanta, en Géorgie", "Lyon, en Auvergne").
TOWN_AREA_GAP = re.compile(r",\s*+(?:en\s++)?")
RUN_GAP = re.compile(r"(?<![ \t])(?:[ \t]++(?:" + "|".join(sorted(AREA_WORDS)) + r"))?[ \t]*+,[ \t]*+", re.I)
BRACKET_OPENS = re.compile(r" ?\(")
BRACKET_CHARS = 120  # a chain of areas in brackets is short: "(cercle de Douentza, région de Mopti)"


@cache
def _equipment_words(catalogs: Catalogs) -> frozenset[str]:
    """One-word system names ("Tucano", "Trojan"): a capitalised one is the system, not a village."""
    return frozenset(place_key(a) for e in catalogs.equipment.values() for a in (e.name, *e.aliases)
                     if " " not in a.strip() and not any(c.isdigit() for c in a) and len(a) >= 4)


@cache
def _demonyms(catalogs: Catalogs) -> frozenset[str]:
    """"Somali", "Canadian": adjectives that are also the names of villages or regions."""
    return frozenset(place_key(d) for c in catalogs.countries.values() for d in c.demonyms
                     if not d.replace(".", "").isupper())  # "US", "UK" are the countries themselves


def _capital_of(ctx: Context, place: GazetteerPlace) -> str | None:
    country = ctx.catalogs.countries.get(place.country)
    if country and country.capital and place.population >= 100_000 \
            and place_key(country.capital) == place_key(place.name):
        return country.code
    return None


# How far from an area the text named in full a reading of its short name may lie and still be its
# own town ("Gao Region … Gao"): further off, it is a namesake and the short name is the area.
AREA_NAMESAKE_KM = 300


def _given_name(entity: Entity) -> list[str]:
    """The first name of a person the NER found by two or three words ("Socorro" of "Socorro Molina"):
    a quote or an address calls people by it. Only a person's name that is no place as a whole, and
    whose first word is no title, direction or article (`NOT_GIVEN_NAMES`)."""
    if entity.actor_type != "person" or entity.catalog_id is not None or entity.source != "ner":
        return []
    words = entity.name.split()
    first = words[0] if 2 <= len(words) <= 3 else ""
    if len(first) < 3 or not first[0].isupper() or not first[1:].islower() or first.lower() in NOT_GIVEN_NAMES:
        return []
    return [first]


def _gazetteer_entities(ctx: Context, mentions: list[tuple[int, Mention]], gazetteer: Gazetteer | None,
                        links: dict[int, str], actor_links: dict[int, str], others: list[Mention]) -> None:
    if gazetteer is None or not mentions:
        return
    abbreviated, abbreviations = _states_abbreviated(ctx.text, mentions, others, gazetteer)
    mentions = [(i, m) for i, m in mentions if i not in abbreviations]  # "Tex.", "Ore.": the state, no place
    found = gazetteer.lookup({m.span.text for _, m in mentions})
    longer = lengthened(ctx.text, gazetteer, mentions, found)
    mentions = [(i, longer.get(i, m)) for i, m in mentions]
    areas_by_stem(gazetteer, mentions, found)
    demonyms = _demonyms(ctx.catalogs)
    cut = narrowed(ctx.text, gazetteer, mentions, found, demonyms)
    mentions = [(i, cut.get(i, m)) for i, m in mentions]
    areas_by_stem(gazetteer, [(i, m) for i, m in mentions if i in cut], found)
    branch = branches(ctx.text, gazetteer, mentions, found)
    mentions = [(i, branch.get(i, m)) for i, m in mentions]
    served = airport_towns(ctx.text, gazetteer, mentions, found)
    mentions = [(i, served.get(i, m)) for i, m in mentions]
    county_of = _counties_written(ctx.text, mentions, gazetteer, found)
    followers = {m.span.start: m.candidates[0].split(":", 1)[1] for m in others
                 if m.kind == "country" and m.candidates}
    items = [(i, m.span.text, m.span.start, m.span.end,
              m.candidates + _country_after(ctx.text, m, followers)
              + ((f"area-key:{county_of[i]}",) if i in county_of else ()))
             for i, m in mentions if not _in_a_code_or_title(ctx.text, m.span.start, m.span.end)]
    anchors = [(e.lat, e.lon) for e in ctx.entities.values()
               if e.kind == "place" and e.feature == "installation" and e.lat is not None and e.lon is not None]
    # "the Sudanese Warab state" is a nationality and an area (`narrowed` cut it), not a first name and a
    # surname; "French Milan missiles" still gives no town
    surnames = surnames_in([m.span.text for i, m in enumerate(others)
                            if m.kind in {"person_candidate", "place_candidate"}
                            and not (i in cut and place_key(m.span.text.split()[0]) in demonyms)],
                           set(found)) | demonyms
    by_index = dict(mentions)
    refused = NOT_PLACES | _equipment_words(ctx.catalogs)
    clues = ctx.countries + ctx.clues
    counties = {m.span.text: county_of[i] for i, m in mentions if i in county_of}
    within = _areas_after(ctx.text, mentions, others, gazetteer, clues, counties, found)
    _states_of_counties(mentions, abbreviated, county_of, found, gazetteer, within)
    capitals = {p.id: code for places in found.values() for p in places if (code := _capital_of(ctx, p))}
    governments = _listed_governments(ctx, mentions, others, found, capitals)
    for index in governments:
        within.pop(index, None)  # "Moscow, Washington and Beijing": Washington is no state Moscow lies in
    # "Moscow, Georgia and Ukraine condemned…": nor is the country after it the one it lies in
    items = [(i, t, s, e, tuple(f for f in flags if not f.startswith("in-country:")) + ("government",)
              if i in governments else flags) for i, t, s, e, flags in items]
    for index, mention in mentions:
        readings = found.get(place_key(mention.span.text), [])
        capital = _capital_named(readings, capitals)
        if capital and _metonym(ctx, mention) \
                and not any(in_a_state_written(p, within.get(index, ())) for p in readings):
            # "Moscow delivered…": the state, not the city; "Rome, Ga." is a town in Georgia, whatever it does
            actor = _state_actor(ctx, capital)
            actor.mentions.append(mention.span)
            actor_links[index] = actor.id
            if _only_government(ctx, mention):
                items = [it for it in items if it[0] != index]
    named_areas = {place_key(written.rsplit(" ", 1)[0]): e for e in ctx.entities.values()
                   if e.kind == "place" and e.lat is not None and e.lon is not None
                   for written in (ctx.text[span.start:span.end] for span in e.mentions)
                   if " " in written and written.rsplit(" ", 1)[1].lower() in AREA_WORDS}
    for decision in decide(ctx.text, items, found, clues, anchors, surnames, refused, set(capitals), within):
        mention, best = by_index[decision.index], decision.place
        ranking = [{"id": p.id, "name": p.name, "country": p.country or None, "feature": p.feature, "score": score}
                   for p, score in decision.ranking]
        area = named_areas.get(place_key(mention.span.text))
        if area is not None and (decision.undecided or best.lat is None or best.lon is None
                                 or km(best.lat, best.lon, area.lat, area.lon) > AREA_NAMESAKE_KM):
            # "Nyanza Province … in Nyanza": the short name of an area the text named in full is that area,
            # not a namesake far away (Nyanza in Rwanda); its own town nearby ("Gao Region … Gao") stays
            area.mentions.append(mention.span)
            links[decision.index] = area.id
            continue
        if decision.undecided:
            entity = _entity(ctx, ("place", "ambiguous:" + place_key(mention.span.text)), Entity(
                "", "place", mention.span.text, feature=RECORD_FEATURE.get(best.feature, best.feature),
                candidates=[p["id"] for p in ranking], ranking=ranking, precision=decision.precision))
            entity.mentions.append(mention.span)
            links[decision.index] = entity.id
            continue
        if best.feature == "country" and best.country in ctx.catalogs.countries and decision.offset is None:
            # "the UK Health Security Agency … in the United Kingdom": one country, one entity, whichever
            # way each mention reached it (the catalog's name or the gazetteer's reading of a code)
            entity = _country_entity(ctx, best.country)
            entity.ranking = entity.ranking or ranking
            entity.mentions.append(mention.span)
            links[decision.index] = entity.id
            continue
        entity = _entity(ctx, ("place", best.id), Entity(
            "", "place", best.name, country=best.country or None, lat=best.lat, lon=best.lon,
            feature=RECORD_FEATURE.get(best.feature, best.feature),
            gazetteer_id=best.id if best.id.startswith("geonames:") else None,
            catalog_id=best.id if not best.id.startswith("geonames:") else None, precision=decision.precision,
            ranking=ranking, offset=decision.offset.to_json() if decision.offset else None))
        entity.mentions.append(mention.span)
        links[decision.index] = entity.id
    unpinned = {e.id for e in ctx.entities.values() if e.kind == "place" and e.lat is None and e.ranking}
    _placed_in_containers(ctx, [(i, m) for i, m in mentions if place_key(m.span.text) not in found
                                or links.get(i) in unpinned], mentions, links,
                          [(i, m) for i, m in enumerate(others) if m.kind == "region"], abbreviated)


def _counties_written(text: str, mentions: list[tuple[int, Mention]], gazetteer: Gazetteer,
                      found: dict[str, list[GazetteerPlace]]) -> dict[int, str]:
    """"Cook and DuPage counties", "the county of Cook", "le comté de Cook": names the words around them
    call US counties, by mention index, with the key of the county's full name (whose readings go
    into `found`; `geoparse.decide` reads it from an "area-key:" flag).
    Where the area the text names could be another country's ("the county of Kent"), that name's own
    area readings are kept beside the US counties, for the document's countries to decide."""
    ordered = sorted(mentions, key=lambda im: (im[1].span.start, im[1].span.end))
    keys = county_keys(text, [(m.span.start, m.span.end) for _, m in ordered])
    if not keys:
        return {}
    wanted = {ordered[n][0]: key for n, key in keys.items()}
    bare = {ordered[n][0]: place_key(ordered[n][1].span.text) for n in keys}
    known = gazetteer.lookup(set(wanted.values()) | set(bare.values()))
    keyed = {}
    for index, key in wanted.items():
        counties = [p for p in known.get(key, []) if p.id.startswith("fips:")]
        if not counties:
            continue
        others = [p for p in known.get(bare[index], []) if p.by_main_name and p.feature in {"admin1", "admin2", "admin"}
                  and not p.id.startswith("fips:")]
        found[key] = counties + [p for p in others if all(p.id != c.id for c in counties)]
        keyed[index] = key
    return keyed


def _states_abbreviated(text: str, mentions: list[tuple[int, Mention]], others: list[Mention],
                        gazetteer: Gazetteer) -> tuple[dict[int, str], set[int]]:
    """"Springfield, Ill.", "Polk County, IA": by index of the names to place (`mentions`), the ISO
    3166-2 code of the US state abbreviated right after one; and the indices of the abbreviations' own
    mentions, which name the state and no place of their own ("Tex" is not Tegh in Armenia, "Ala" not
    Almaty). An abbreviation goes after any name (`others`), placed here or not; a postal code only
    after a name of a town or county in that state, as it may be a country's code ("Berlin, DE")."""
    by_start = {m.span.start: i for i, m in enumerate(others) if m.kind == "place_candidate"}
    written = {i: found for i, m in enumerate(others) if m.kind not in {"country_modifier"}
               and (found := state_abbreviated_after(text, m.span.end))}
    postal = gazetteer.lookup({others[i].span.text for i, (_, _, code) in written.items() if code})
    written = {i: (state, start) for i, (state, start, code) in written.items()
               if not code or any(p.admin1 == state.replace("-", ".", 1)
                                  for p in postal.get(place_key(others[i].span.text), []))}
    abbreviations = {by_start[start] for _, start in written.values() if start in by_start}
    return {i: written[i][0] for i, _ in mentions if i in written and i not in abbreviations}, abbreviations


def _states_of_counties(mentions: list[tuple[int, Mention]], abbreviated: dict[int, str], county_of: dict[int, str],
                        found: dict[str, list[GazetteerPlace]], gazetteer: Gazetteer,
                        within: dict[int, list[GazetteerPlace]]) -> None:
    """"Polk County, IA", "Cook County, Ill.", "Springfield, Ill.", "Rome, Ga.": the state abbreviated
    after a county or a town (`abbreviated`, by mention index) is the area it lies in, as a state
    written in full is (`_areas_after`); what that look-up made of the abbreviation as a name ("Ala"
    is one of Almaty's) gives way. A county's state is taken only when the index knows the county, a
    town's only when the index knows a town of that name in that state: elsewhere the town is read
    as it would be without it."""
    for index, mention in mentions:
        code = abbreviated.get(index)
        state = gazetteer.by_id(f"iso3166-2:{code}") if code else None
        if state is None:
            continue
        key = county_of.get(index) or place_key(mention.span.text)
        if names_a_county(key) and not any(p.id.startswith("fips:") for p in found.get(key, [])):
            continue
        if not names_a_county(key) and not any(in_a_state_written(p, [state]) for p in found.get(key, [])):
            continue
        within[index] = [state]


# A bracket of two or more names after a name, the second capitalised: "(Koro, Mopti)", "(cercle de Niono,
# région de Ségou)". Anchored right after the name and bounded, so a scan stays linear.
BRACKETED_CHAIN = re.compile(r" ?\([^()\n]{1,60}?,\s*+(?:[a-zéè]+\s++(?:de\s++|du\s++|d['’])?)?"
                             r"[A-ZÀ-ÖØ-Þ][^()\n]{0,60}\)")

# How exactly a name the gazetteer lacks is located by the place the text puts it in: near it, not at it.
# Names of buildings and bodies that the text puts in a town, as it does a suburb ("the Dresden Zoo in Dresden").
FACILITY_WORDS = {"hospital", "zoo", "school", "elementary", "university", "college", "center", "centre", "forum",
                  "observatory", "institute", "museum", "hotel", "restaurant", "market", "church", "mosque", "stadium",
                  "prison", "court", "academy", "clinic", "laboratory", "factory", "plant", "airport", "station",
                  "farm", "farms", "egg", "company", "nhs", "hôpital", "école", "marché", "usine", "aéroport"}
NATIONALITY_SHAPED = re.compile(r"(?:ian|ean|ese|ish|ais|aise|ienne?)$")
INSIDE_PRECISION = {"point": "admin2", "locality": "admin2", "admin2": "admin2", "admin1": "admin1",
                    "region": "region"}


def _placed_in_containers(ctx: Context, unknown: list[tuple[int, Mention]], mentions: list[tuple[int, Mention]],
                          links: dict[int, str], regions: list[tuple[int, Mention]] = (),
                          abbreviated: dict[int, str] | None = None) -> None:
    """"in Greenlane, Auckland", "the Adhamiyah district of Baghdad", "Kouakourou, dans le cercle de
    Djenné": a name the gazetteer does not know, which the text puts inside a place it placed, is a
    place near that one (a suburb, a village, a camp); it gets the container's point at a coarser
    precision, and its other mentions in the document go with it. Nothing is pinned where the
    container is a country or unplaced, or is a region of several countries. A name left unpinned
    because its only readings lie abroad is placed so too when the container is in another country
    than all of them: "the tourist town of Kalam in the Swat Valley" is not Kallam in India.
    A US state abbreviated after a name (`abbreviated`, by mention index: "in Terlingua, Tex.") is a
    container as the state written in full is, though the abbreviation names no place of its own."""
    if not unknown:
        return
    by_id = {e.id: e for e in ctx.entities.values()}
    # the catalog regions the text names are containers too ("in the Swat Valley")
    placed_at = {m.span.start: by_id[links[i]] for i, m in (*regions, *mentions) if links.get(i) in by_id}
    for index, mention in unknown:
        placed_at.update(_abbreviated_state_at(ctx, mention, (abbreviated or {}).get(index)))
    placed: dict[str, Entity] = {}
    for index, mention in unknown:
        words = mention.span.text.split()
        if place_key(mention.span.text) in NOT_PLACES:
            continue  # "In January, Texas officials said": a month, not a village in Texas
        if "body" in mention.candidates or mention.span.text.replace(".", "").isupper() or len(words) > 2 \
                or any(place_key(w) in FACILITY_WORDS for w in words) or NATIONALITY_SHAPED.search(words[-1]):
            continue  # "Adam Malik Hospital in Medan", "the Kurdish village of Ranya": a building, an adjective
        chain = BRACKETED_CHAIN.match(ctx.text, mention.span.end)
        cue = cue_before(ctx.text, mention.span.start)
        if chain and not cue.strength:
            cue.strength = 1  # "attacked Dinangourou (Koro, Mopti)": a chain of areas vouches for a place
        start = container_after(ctx.text, mention.span.end, cue)
        container = placed_at.get(start) if start is not None else None
        if container is None and chain and start is not None:
            # "Malam Fatori (Abadam, Borno)": the first area of the chain that the index knows
            container = next((placed_at[p] for p in sorted(placed_at) if start <= p < chain.end()), None)
        elif container is None and start is not None and ctx.text[mention.span.end:start].lstrip().startswith(","):
            # "Kuriga, Chikun LGA, Kaduna State": the first area of the run that the index knows
            run = _comma_run(ctx.text, {m.span.start: m.span.text for _, m in mentions}, start)
            ends = start + sum(len(n) for n in run) + 30 * len(run)
            container = next((placed_at[p] for p in sorted(placed_at) if start <= p < ends
                              and placed_at[p].precision in {"admin1", "admin2"}), None)
        if container is None or container.lat is None or container.precision not in INSIDE_PRECISION \
                or (container.precision == "region" and not container.country):
            continue
        unpinned = by_id.get(links.get(index, ""))
        if unpinned is not None:
            if not container.country or any(r.get("country") == container.country for r in unpinned.ranking or []):
                continue  # a reading in the container's country: the ranking had its chance
            _take_mention(ctx, unpinned, mention.span.start)
        key = place_key(mention.span.text)
        entity = placed.get(key) or _entity(ctx, ("place", f"inside:{key}"), Entity(
            "", "place", mention.span.text, country=container.country, lat=container.lat, lon=container.lon,
            feature="locality", precision=INSIDE_PRECISION[container.precision],
            candidates=[c for c in (container.gazetteer_id or container.catalog_id,) if c]))
        placed.setdefault(key, entity)
        entity.mentions.append(mention.span)
        links[index] = entity.id
    for index, mention in unknown:  # "Greenlane, Auckland … the Greenlane restaurant": the same suburb
        entity = placed.get(place_key(mention.span.text))
        if entity is not None and index not in links:
            entity.mentions.append(mention.span)
            links[index] = entity.id


def _abbreviated_state_at(ctx: Context, mention: Mention, code: str | None) -> dict[int, Entity]:
    """Where the state abbreviated after a name starts ("Tex" in "Terlingua, Tex."), and that state as a
    place to put the name in: not an entity of the document, which names the state by no place-name of
    its own (`_states_abbreviated`). Empty when no state is abbreviated there or the index lacks it."""
    written = state_abbreviated_after(ctx.text, mention.span.end) if code else None
    state = ctx.gazetteer.by_id(f"iso3166-2:{code}") if written and ctx.gazetteer else None
    if state is None:
        return {}
    return {written[1]: Entity("", "place", state.name, country=state.country, lat=state.lat, lon=state.lon,
                               feature="admin", catalog_id=state.id, precision="admin1")}


def resolve(extraction: Extraction, catalogs: Catalogs, gazetteer: Gazetteer | None) -> Resolution:
    ctx = Context(catalogs, extraction.document.text, fold(extraction.document.text), gazetteer=gazetteer)
    ctx.countries = _context_countries(extraction, catalogs)
    ctx.clues = _place_clues(extraction, catalogs)
    links: dict[int, str] = {}
    actor_links: dict[int, str] = {}
    deferred: list[tuple[int, Mention]] = []
    makers = {"equipment": _equipment_entity, "unknown_equipment": _unknown_equipment_entity,
              "equipment_class": _class_entity, "region": _region_entity, "installation": _installation_entity,
              "actor": _actor_entity, "person_candidate": _name_actor, "organisation_candidate": _name_actor,
              "actor_candidate": _recognised_actor}
    hidden = inside_wider_places(extraction.mentions, gazetteer)
    defined_areas = _areas_defined_with_acronyms(extraction.mentions, gazetteer)
    areas = defined_areas \
        | _towns_taken_for_people(extraction.document.text, extraction.mentions, gazetteer) \
        | _states_taken_for_speakers(extraction.document.text, extraction.mentions, gazetteer)
    modifiers: list[tuple[str, Span]] = []  # (country code, span): "US officials", "the UK-based trust"
    for index, mention in enumerate(extraction.mentions):
        if index in hidden:
            continue
        if mention.kind == "country_modifier":
            modifiers.append((mention.candidates[0].split(":", 1)[1], mention.span))
            continue
        if index in areas:
            mention = Mention("place_candidate", mention.span, ())
        if mention.kind == "place_candidate" and "body" in mention.candidates \
                and any(c.startswith("country:") for c in mention.candidates):
            # "the Ministry of Health of the People's Republic of China": the catalog's country, under
            # any of its names, not only those the gazetteer lists
            code = next(c for c in mention.candidates if c.startswith("country:")).split(":", 1)[1]
            entity = _country_entity(ctx, code)
            entity.mentions.append(mention.span)
            links[index] = entity.id
            continue
        if mention.kind == "place_candidate":
            deferred.append((index, mention))
            continue
        if mention.kind == "country":
            code = mention.candidates[0].split(":", 1)[1]
            modifier = _code_as_modifier(ctx, mention)
            if modifier:
                modifiers.append((code, mention.span))
            entity = None if modifier or in_a_title(ctx.text, mention.span.start, mention.span.end) \
                or _names_an_institution(ctx.text, mention.span.start) else _country_entity(ctx, code)
            if _acts(ctx, mention):
                actor = _state_actor(ctx, code)
                actor.mentions.append(mention.span)
                actor_links[index] = actor.id
        else:
            entity = makers[mention.kind](ctx, mention)
            if mention.kind == "actor":  # "U.S. Army", "UK Border Force": the country that qualifies it
                modifiers += leading_country_code(country_codes(ctx.catalogs), mention.span)
        if entity is not None:
            entity.mentions.append(mention.span)
            links[index] = entity.id
    forms = {f for e in ctx.entities.values() if e.kind == "actor" for f in short_forms(e)}
    # "Socorro Molina, whose son … 'Thank you, Socorro.'": the text calls a person by the first name too
    forms |= {f for e in ctx.entities.values() if e.kind == "actor" for f in _given_name(e)}
    # "seen in Victoria" before "Racing Victoria said": a name after a clear locative is not the
    # short form of a name the NER took for a person's.
    firm = {f for e in ctx.entities.values() if e.kind == "actor" and not (e.actor_type == "person"
                                                                          and e.source == "ner")
            for f in short_forms(e)}
    # "racing in NSW … Racing NSW … except NSW and Queensland": a name the text put after a clear locative
    # is that place wherever else it stands, not the short form of such a name
    doubtful = (forms - firm) & {display_name(m.span.text) for _, m in deferred}  # cues read only for these
    located = {name for _, m in deferred if (name := display_name(m.span.text)) in doubtful
               and cue_before(ctx.text, m.span.start).strength >= 2}
    deferred = [(i, m) for i, m in deferred if (display_name(m.span.text) not in forms  # "Visser", "the JFC"
                                                or (display_name(m.span.text) not in firm
                                                    and display_name(m.span.text) in located))
                and (at_a_seat(ctx.text, m.span.start)  # "at the White House": a place
                     or not _respelled_actor(ctx, index=i, mention=m, links=links, others=extraction.mentions))]
    _gazetteer_entities(ctx, deferred, gazetteer, links, actor_links, extraction.mentions)
    _defining_acronyms(ctx, extraction.mentions, defined_areas, links)
    codes = country_codes(ctx.catalogs)  # "US" in "the US president's": geoparsing left it out as a modifier
    modifiers += [found for i, m in deferred if i not in links for found in leading_country_code(codes, m.span)]
    _country_names_as_states(ctx, extraction, gazetteer, links)
    _short_congo(ctx, extraction, links, actor_links)
    _coordinated_states(ctx, extraction, actor_links)
    later_mentions(ctx.text, [e for e in ctx.entities.values() if e.kind == "actor"],
                   [(s.start, s.end) for e in ctx.entities.values() if e.kind != "actor" for s in e.mentions])
    modifiers_of_named_countries(ctx.text, ctx.entities.values(), modifiers)
    focus = _focus_place(ctx)
    entities = sorted(ctx.entities.values(), key=lambda e: int(e.id[1:]))
    return Resolution(entities, links, actor_links, focus, gazetteer)


def _areas_defined_with_acronyms(mentions: list[Mention], gazetteer: Gazetteer | None) -> set[int]:
    """"New South Wales (NSW)": a name defined with its abbreviation is read as a body's; it is the
    place when the gazetteer knows it by that very name as a state, province or country."""
    defined = {i: m for i, m in enumerate(mentions) if m.kind == "organisation_candidate"
               and any(f.startswith("acronym:") for f in m.candidates)}
    if not defined or gazetteer is None:
        return set()
    found = gazetteer.lookup({m.span.text for m in defined.values()})
    return {i for i, m in defined.items()
            if any(p.by_main_name and p.feature in {"admin1", "admin2", "admin", "country"}
                   for p in found.get(place_key(m.span.text), []))}


def _defining_acronyms(ctx: Context, mentions: list[Mention], defined: set[int], links: dict[int, str]) -> None:
    """"New South Wales (NSW)", "la Nouvelle-Galles du Sud (NSW)": the acronym in brackets names the
    area it defines, so it is a mention of that place too, as its later uses are."""
    by_id = {e.id: e for e in ctx.entities.values()}
    for index in sorted(defined):
        entity = by_id.get(links.get(index, ""))
        mention = mentions[index]
        acronym = next((f.split(":", 1)[1] for f in mention.candidates if f.startswith("acronym:")), "")
        if entity is None or not acronym:
            continue
        opening = ctx.text.find("(", mention.span.end, mention.span.end + 3)
        if opening >= 0 and ctx.text.startswith(acronym + ")", opening + 1):
            entity.mentions.append(Span(opening + 1, opening + 1 + len(acronym), acronym))
            entity.mentions.sort(key=lambda span: span.start)


# ", a farming town in", ", a small village near", ", une ville du": an apposition that calls the name a
# town; not a person's role ("John Smith, a town councillor", "a village elder", "un conseiller municipal")
TOWN_APPOSITION = re.compile(r",\s+(?:a|an|the|une?|la|le)\s+(?:[a-zéè-]+\s+){0,3}?"
                             r"(?:town|village|city|township|hamlet|ville|bourgade|localité|commune)\b"
                             r"(?!\s+(?:council|councillor|councilor|official|elder|chief|mayor|leader|head|"
                             r"resident|clerk|manager|planner|hall|dweller|boy|girl|man|woman)\b)")


def _towns_taken_for_people(text: str, mentions: list[Mention], gazetteer: Gazetteer | None) -> set[int]:
    """"a hospital in Milton Keynes": a name the NER took for a person, right after a clear
    locative, is the place when the gazetteer knows it by that very name as a large town or an area.
    So is one that ends a list of places opened by the locative ("in Khartoum and Al Jazirah",
    "in Rio Grande do Sul, Tocantins, and Minas Gerais"); and one followed by its country ("Binh
    Phuoc, Vietnam") when the gazetteer knows it by that name in that very country. A person's name
    never ends in an area word: "Gezira State", "Kayin State" are the state the gazetteer knows by
    its bare name; and a name followed by an area the gazetteer knows ("Wad Madani, Gezira State",
    "Lashkar Gah (Helmand)") is a town of that area's country, under any of its names; so is one
    paired with a town ("between Lashkar Gah and Sangin"). In brackets after a place, a name the
    gazetteer knows as an area is that area ("Hays (Hays, Al Hudaydah)"). A name the text itself calls
    a town ("Dogu Beyazit, a farming town in eastern Turkey") is one the gazetteer knows as a town
    under any of its names (Doğubayazıt)."""
    countries = {m.span.start: m.candidates[0].split(":", 1)[1] for m in mentions
                 if m.kind == "country" and m.candidates}
    names_at = {m.span.start: m.span.text for m in mentions if m.kind in {"place_candidate", "actor_candidate"}}
    people, followed, areas_after, area_named = {}, {}, {}, {}
    described: set[int] = set()  # "Dogu Beyazit, a farming town in eastern Turkey": the text says what it is
    for i, m in enumerate(mentions):
        if m.kind != "actor_candidate" or "type:person" not in m.candidates or "source:ner" not in m.candidates:
            continue
        comma = re.match(r",\s*|\s?\(", text[m.span.end:m.span.end + 4])
        country = countries.get(m.span.end + comma.end()) if comma and "(" not in comma.group(0) else None
        if country:
            followed[i] = country
        elif comma and (name := names_at.get(m.span.end + comma.end())):
            areas_after[i] = name
        words = m.span.text.split()
        if len(words) >= 2 and words[-1].lower() in AREA_WORDS:
            area_named[i] = " ".join(words[:-1])
        pair = PAIRED_AFTER.match(text, m.span.end)
        if pair and PAIRED_BEFORE.search(text, max(0, m.span.start - 10), m.span.start) \
                and (name := names_at.get(pair.end())):
            areas_after[i] = name  # "between Lashkar Gah and Sangin": a town near the other one
        opened = text.rfind("(", max(0, m.span.start - BRACKET_CHARS), m.span.start)
        if opened >= 0 and text.find(")", opened, m.span.start) < 0 and text.find(")", m.span.end) >= 0:
            area_named.setdefault(i, m.span.text)  # "Hays (Hays, Al Hudaydah)": an area of a chain
        if TOWN_APPOSITION.match(text, m.span.end):
            described.add(i)
        if country or i in areas_after or i in area_named or i in described \
                or cue_before(text, m.span.start).strength >= 2 or _ends_a_located_list(text, mentions, m):
            people[i] = m
    if not people or gazetteer is None:
        return set()
    found = gazetteer.lookup({m.span.text for m in people.values()} | set(areas_after.values())
                             | set(area_named.values()))
    for name in list(areas_after.values()):  # "Gezira State": the area by its bare name
        words = name.split()
        if len(words) >= 2 and words[-1].lower() in AREA_WORDS and place_key(name) not in found:
            found |= {place_key(name): v for v in gazetteer.lookup([" ".join(words[:-1])]).values()}

    def area_countries(name: str) -> set[str]:
        return {p.country for p in found.get(place_key(name), [])
                if (p.feature in {"admin1", "admin2", "admin"} or p.population >= PAIRED_TOWN) and p.by_main_name}

    def a_place(i: int, readings: list[GazetteerPlace]) -> bool:
        if i in described and any(p.feature in {"city", "locality"} for p in readings):
            return True  # a town the text calls a town, under any of its names
        if i in area_named and any(p.feature in {"admin1", "admin2", "admin"} and p.by_main_name
                                   for p in found.get(place_key(area_named[i]), [])):
            return True  # "Gezira State"
        if i in areas_after and {p.country for p in readings if p.feature in {"city", "locality"}} \
                & area_countries(areas_after[i]):
            return True  # "Wad Madani, Gezira State"
        return any(p.by_main_name and (p.country == followed[i] if i in followed
                                       else p.population >= 100_000 or p.feature in {"admin1", "country"})
                   for p in readings)

    return {i for i, m in people.items() if a_place(i, found.get(place_key(m.span.text), []))}


PAIRED_AFTER = re.compile(r"(?<!\s)\s+(?:and|et)\s+")
PAIRED_BEFORE = re.compile(r"\b(?:between|entre)\s+$", re.I)
PAIRED_TOWN = 5000  # a town this big vouches for the name paired with it ("between Lashkar Gah and Sangin")


def _states_taken_for_speakers(text: str, mentions: list[Mention], gazetteer: Gazetteer | None) -> set[int]:
    """"according to Rhode Island state officials": two capitalised words after a speech cue read as
    a speaker's name; they are the place when the gazetteer knows that very name as a state, a
    country or a large town and a lower-case word follows, the officials or body it qualifies."""
    candidates = {i: m for i, m in enumerate(mentions) if m.kind == "person_candidate" and m.candidates == ("role",)
                  and re.match(r"\s[a-z]", text[m.span.end:m.span.end + 2])}
    if not candidates or gazetteer is None:
        return set()
    found = gazetteer.lookup({m.span.text for m in candidates.values()})
    return {i for i, m in candidates.items()
            if any(p.by_main_name and place_key(p.name) == place_key(m.span.text)
                   and (p.feature in {"admin1", "country"} or p.population >= 100_000)
                   for p in found.get(place_key(m.span.text), []))}


# ", and " before a name; the look-behind starts a match only where a name ends (linear scans)
LIST_GAP_BEFORE = re.compile(r"(?<![\s,])(?:,\s*(?:and\s+|or\s+|et\s+)?|\s+(?:and|or|et|ou)\s+)$")


def _ends_a_located_list(text: str, mentions: list[Mention], last: Mention) -> bool:
    """Whether the names before `last`, joined to it by commas and "and", are place names the
    first of which follows a clear locative ("in Khartoum and …")."""
    before = {m.span.end: m for m in mentions if m.kind == "place_candidate" and m.span.end <= last.span.start}
    current = last
    for _ in range(12):  # a list of a dozen names is long enough to tell
        gap = LIST_GAP_BEFORE.search(text, max(0, current.span.start - 8), current.span.start)
        previous = before.get(current.span.start - len(gap.group(0))) if gap else None
        if previous is None:
            return False
        if cue_before(text, previous.span.start).strength >= 2:
            return True
        current = previous
    return False


# ", ", " and ", " et ", and a repeated preposition ("in Florida and in Georgia", "en Floride et en
# Géorgie"); the look-behind keeps scans linear
STATE_LIST_GAP = re.compile(r"(?<!\s)(?:\s*,\s*(?:and\s+|or\s+|et\s+|ou\s+)?|\s+(?:and|or|et|ou)\s+)"
                            r"(?:(?:in|en|au|aux|dans)\s+)?")


def _written_as_its_area(text: str, town_end: int, start: int, end: int) -> bool:
    """Whether the name at `start`..`end` is written right after a town as the area it lies in, the
    way `_areas_after` reads it: "Atlanta, Georgia", "Atlanta, en Géorgie", "Dalton (Géorgie)"."""
    if TOWN_AREA_GAP.fullmatch(text, town_end, start):
        return True
    return BRACKET_OPENS.fullmatch(text, town_end, start) is not None and text[end:end + 1] == ")"


def _country_names_as_states(ctx: Context, extraction: Extraction, gazetteer: Gazetteer | None,
                             links: dict[int, str]) -> None:
    """A country's name that is also a state of another country names the state when the text puts
    it there: listed among that country's states ("Colorado, Georgia, Illinois") or right after one
    of its towns ("Atlanta, Georgia", French "Atlanta, en Géorgie", "Rome (Géorgie)"). The mention
    moves from the country to the state."""
    if gazetteer is None:
        return
    mentions = extraction.mentions
    by_id = {e.id: e for e in ctx.entities.values()}
    moved: dict[str, str] = {}  # the name's key -> the state's country, once the text placed it there
    placed: list[Entity] | None = None  # `_placed_entities`, made again after a state is added
    for index, mention in enumerate(mentions):
        country = by_id.get(links.get(index, ""))
        if mention.kind != "country" or country is None or country.feature != "country":
            continue
        votes: Counter[str] = Counter()
        for step in (-1, 1):
            j = index + step
            if not 0 <= j < len(mentions):
                continue
            a, b = sorted((mentions[j].span, mention.span), key=lambda span: span.start)
            other = by_id.get(links.get(j, ""))
            after_its_town = step == -1 and other is not None and other.precision in {"locality", "point"} \
                and _written_as_its_area(ctx.text, a.end, b.start, b.end)
            if other is None or other.kind != "place" or not other.country or other.country == country.country \
                    or not (after_its_town or STATE_LIST_GAP.fullmatch(ctx.text[a.end:b.start])):
                continue
            if other.precision == "admin1" or after_its_town:
                votes[other.country] += 1
        if not votes and place_key(mention.span.text) not in moved:
            placed = _placed_entities(ctx) if placed is None else placed
            code = _state_country_of_document(placed, country, gazetteer.lookup([mention.span.text]).get(
                place_key(mention.span.text), []))
            if code is None:
                continue
            votes[code] += 1
        # one sense per text: after "Blakely, Georgia", "the Georgia plant" is the state too
        code = votes.most_common(1)[0][0] if votes else moved[place_key(mention.span.text)]
        states = [p for p in gazetteer.lookup([mention.span.text]).get(place_key(mention.span.text), [])
                  if p.feature == "admin1" and p.country == code]
        if not states:
            continue
        state = min(states, key=lambda p: (place_key(p.name) != place_key(mention.span.text), p.id))
        moved[place_key(mention.span.text)] = code
        entity = _entity(ctx, ("place", state.id), Entity(
            "", "place", state.name, country=state.country, lat=state.lat, lon=state.lon, feature="admin",
            gazetteer_id=state.id if state.id.startswith("geonames:") else None,
            catalog_id=state.id if not state.id.startswith("geonames:") else None, precision="admin1"))
        by_id[entity.id] = entity
        placed = None
        _take_mention(ctx, country, mention.span.start)  # gone if the text never named the country itself
        entity.mentions.append(mention.span)
        links[index] = entity.id


# The catalog reads a bare "Congo" as the Republic of the Congo; the Democratic Republic goes by it too.
SHARED_SHORT_NAMES = {"congo": ("CG", "CD"), "le congo": ("CG", "CD"), "du congo": ("CG", "CD"),
                      "au congo": ("CG", "CD")}


def _short_congo(ctx: Context, extraction: Extraction, links: dict[int, str], actor_links: dict[int, str]) -> None:
    """"The Democratic Republic of the Congo … in Ituri district, in the northern part of Congo": a
    short name both Congos go by is the one the text names in full, or, if it names neither in full,
    the one its other places lie in (Ituri, Kinshasa). With no such evidence, or with evidence for
    both, the catalog's reading (the Republic of the Congo) stands. Place and state actor both move."""
    mentions = extraction.mentions
    short = [i for i, m in enumerate(mentions) if m.kind == "country" and place_key(m.span.text) in SHARED_SHORT_NAMES]
    if not short:
        return
    codes = SHARED_SHORT_NAMES[place_key(mentions[short[0]].span.text)]
    full = {c.split(":", 1)[1] for m in mentions if m.kind == "country"
            and place_key(m.span.text) not in SHARED_SHORT_NAMES for c in m.candidates} & set(codes)
    if not full:
        full = {e.country for e in ctx.entities.values() if e.kind == "place" and e.country in codes
                and e.feature not in {"country", "region"} and e.lat is not None}
    if len(full) != 1:
        return
    (code,) = full
    by_id = {e.id: e for e in ctx.entities.values()}
    for index in short:
        current = by_id.get(links.get(index, ""))
        if current is None or current.kind != "place" or current.country == code:
            continue
        entity = _country_entity(ctx, code)
        _take_mention(ctx, current, mentions[index].span.start)
        entity.mentions.append(mentions[index].span)
        links[index] = entity.id
        actor = by_id.get(actor_links.get(index, ""))
        if actor is not None and actor.country != code:
            _take_mention(ctx, actor, mentions[index].span.start)
            state = _state_actor(ctx, code)
            state.mentions.append(mentions[index].span)
            actor_links[index] = state.id


# How far from a state's centroid another place of the document may lie and still be its neighbour.
STATE_NEIGHBOUR_KM = 800


def _placed_entities(ctx: Context) -> list[Entity]:
    """The document's places below a country that have a point: what `_state_country_of_document`
    weighs. Made once per run of `_country_names_as_states` (again after it adds a state): made per
    country name, it cost a long report's resolution seconds (30,000 names × every entity)."""
    return [e for e in ctx.entities.values() if e.kind == "place" and e.feature not in {"country", "region"}
            and e.country and e.lat is not None and e.lon is not None]


def _state_country_of_document(places: list[Entity], country: Entity, readings: list[GazetteerPlace]) -> str | None:
    """The country whose state a country's name means, judged from the whole document: "a farm in
    Alabama … tested at a lab in Georgia … Ames, Iowa" is the American state, not the Caucasian
    republic. At least two other places of the document (`places`, `_placed_entities`) lie in that
    country, one of them near the state, and none in the country of the same name (which "Tbilisi"
    or "Abkhazia" would be)."""
    if any(e.country == country.country for e in places):
        return None
    for state in readings:
        if state.feature != "admin1" or not state.by_main_name or state.country == country.country:
            continue
        same = [e for e in places if e.country == state.country and e.catalog_id != state.id]
        if len(same) >= 2 and any(km(e.lat, e.lon, state.lat, state.lon) <= STATE_NEIGHBOUR_KM for e in same):
            return state.country
    return None


def _coordinated_states(ctx: Context, extraction: Extraction, actor_links: dict[int, str]) -> None:
    """"Norway and Belgium have pledged…": a country listed with one that acts acts too."""
    mentions = extraction.mentions
    for index in sorted(actor_links):
        for step in (-1, 1):
            j = index + step
            while 0 <= j < len(mentions) and mentions[j].kind == "country" and j not in actor_links:
                a, b = sorted((mentions[j].span, mentions[j - step].span), key=lambda span: span.start)
                if not re.fullmatch(r"\s*(?:,|and|,\s*and|or|et)\s*", ctx.text[a.end:b.start]):
                    break
                code = mentions[j].candidates[0].split(":", 1)[1]
                actor = _state_actor(ctx, code)
                actor.mentions.append(mentions[j].span)
                actor_links[j] = actor.id
                j += step


def _focus_place(ctx: Context) -> str | None:
    if not ctx.countries:
        return None
    code = ctx.countries.most_common(1)[0][0]
    entity = ctx.entities.get(("place", "country:" + code))
    return entity.id if entity else None
