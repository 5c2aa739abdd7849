"""Actors in running text that the catalogs lack: units, forces, public bodies and people.

Catalog hits are found first (the lexicon) and keep their ids; this module only looks at text
they left free. Two recognisers propose the rest, each where it measured better on the real-text
set (docs/extraction.md, "Actors beyond the catalogs"):

- patterns, for what has a fixed shape: numbered units ("838th Transportation Battalion",
  "12e régiment de cuirassiers"), named operations, public bodies built on a head word ("Defense
  Security Cooperation Agency", "Government of Denmark") and collective forces tied to a state
  by a demonym ("Iraqi security forces", "forces de sécurité irakiennes");
- spaCy's small NER, for people named without a title ("Barbara Visser said"), run only on the
  sentences that hold a free run of capitalised words, so most sentences never reach it.

Every proposal is an `actor_candidate` mention whose candidates say its type, its source
("source:pattern" or "source:ner") and, where the text gives it, its state ("country:IQ").
All patterns are linear: bounded repetitions, possessive where a run could be given back.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from orbat import budget, pooled
from orbat.extract.alternations import first_letter_alternation
from orbat.extract.designations import vocabulary
from orbat.extract.lexicon import Lexicon
from orbat.extract.spans import Occupied
from orbat.model import Mention, Sentence, Span

# --- units -----------------------------------------------------------------------------------

# Echelons, smallest first: "1st Battalion, 214th Field Artillery Regiment" joins a battalion to
# the larger unit it belongs to; two units of the same echelon in a list stay apart.
ECHELONS = {
    "team": 1,
    "detachment": 1,
    "battery": 1,
    "company": 1,
    "troop": 1,
    "squadron": 2,
    "battalion": 2,
    "regiment": 3,
    "group": 3,
    "wing": 4,
    "brigade": 4,
    "flotilla": 4,
    "division": 5,
    "fleet": 6,
    "corps": 6,
    "command": 6,
    "bn": 2,
    "bde": 4,
    "regt": 3,
    "sqn": 2,
    "div": 5,
    "bty": 1,
    "co": 1,
}
_CAP = r"[A-Z][\w'’.-]{0,30}+"
_UNIT_HEAD = (
    r"(?:Battalion|Brigade|Division|Wing|Squadron|Regiment|Command|Fleet|Company|Detachment|Group|Corps|"
    r"Battery|Team|Flotilla|Troop|Bn|BDE|Bde|Regt|Sqn|Div|Bty)"
)
UNIT_EN = re.compile(
    rf"(?<![\w-])(?:(?P<ordinal>\d{{1,4}}(?:st|nd|rd|th|d))|(?P<pair>\d{{1,3}}-\d{{1,3}}(?:st|nd|rd|th)?)"
    rf"|(?P<bare>\d{{1,4}})|(?P<roman>[IVX]{{1,4}}))(?P<role>\s\((?:{_CAP})\))?"
    rf"(?P<words>(?:\s(?:{_CAP}|and|of)){{0,6}})\s(?P<head>{_UNIT_HEAD})(?![\w-])"
)
TASK_FORCE = re.compile(
    r"(?<![\w-])(?:(?!The\s|A\s)[A-Z][a-z]{2,20}+\s){0,2}Task [Ff]orce\s"
    r"(?:\d{1,4}(?:\.\d{1,2})?|[A-Z][\w-]{2,30}+)(?![\w-])"
)
BRANCH_PARENT = re.compile(
    r"(?<=,\s)\d{1,3}(?:st|nd|rd|th|d)(?:\s[A-Z][a-z]{2,20}+){0,3}\s(?:Artillery|Infantry|Cavalry|Armor|Armour|"
    r"Aviation|Engineers|Marines)(?![\w-])(?!\s(?:Regiment|Brigade|Battalion|Division|Group))"
)
UNIT_FR = re.compile(  # "les 30e et 4e escadres de chasse": one mention for both
    r"(?<![\w-])\d{1,3}(?:e|er|re|ème|ᵉ)(?:\s(?:et|ou)\s\d{1,3}(?:e|er|re|ème|ᵉ))?\s(?:[Rr]égiments?|[Ee]scadres?|"
    r"[Ee]scadrons?|[Ee]scadrilles?|[Bb]rigades?|[Dd]ivisions?|[Bb]ataillons?|[Cc]ompagnies?|[Ff]lottilles?|"
    r"[Gg]roupements?|[Bb]ases? aériennes?)"
    r"(?:\s(?:étrangers?|étrangère|parachutiste|blindée?|légère|aéromobile|mécanisée|motorisée|interarmes|d['’]infanterie"
    r"|d['’]\w{3,20}+|de\s(?:la\s|l['’])?\w{3,20}+|du\s\w{3,20}+|des\s\w{3,20}+)){0,4}"
)
UNIT_PAIR_FR = re.compile(r"(?P<first>\d{1,3}(?:e|er|re|ème|ᵉ))\s(?:et|ou)\s(?P<second>\d{1,3}(?:e|er|re|ème|ᵉ))\s")
FLOTILLA_FR = re.compile(r"(?<![\w-])[Ff]lottille\s\d{1,2}F(?![\w-])")
_OPERATION_NAME = r"[A-Z][A-Za-zÀ-ÿ'’-]{2,30}+(?:\s[A-Z][a-zà-ÿ'’-]{2,30}+){0,2}"
OPERATION = re.compile(rf"(?<![\w-])(?P<word>[Oo]pération|Operation|[Mm]ission|[Ff]orce)\s(?P<name>{_OPERATION_NAME})")

# --- public bodies ---------------------------------------------------------------------------

BODY_HEADS = {
    "Command",
    "Agency",
    "Department",
    "Ministry",
    "Council",
    "Commission",
    "Service",
    "Directorate",
    "Forces",
    "Force",
    "Army",
    "Navy",
    "Guard",
    "Corps",
    "Fleet",
    "Group",
    "Coalition",
    "Alliance",
    "Organization",
    "Organisation",
    "Activity",
    "Administration",
    "Assembly",
    "Senate",
    "Congress",
    "Gendarmerie",
    "Police",
    "Region",
    "Defense",
    "Defence",
    "Staff",
}
GENERAL_STAFF = re.compile(r"General\sStaff(?![\w-])")  # a body, though "General" alone is a rank
# "Defense"/"Defence" alone are adjectives ("Defense Secretary"); they count only after a body word.
WEAK_HEADS = {"Defense", "Defence", "Region", "Service", "Group", "Force"}
CONNECTORS = {"of", "for", "the", "and", "in", "on", "--", "–", "-"}
# A possessive ending or a dash ends a word: "the Joint Disengagement Commission’s efforts", "Group—a".
BODY_WORD = re.compile(
    r"(?:U\.S\.|U\.K\.|[A-Z][\w'’&-]{0,30}?|[A-Z]\.|of|for|the|and|in|on|--|–)(?=(?:['’]s)?[\s,;:.!?)\]—–]|$)"
)
LEADING = {
    "The",
    "In",
    "At",
    "On",
    "For",
    "From",
    "With",
    "By",
    "As",
    "And",
    "But",
    "Of",
    "To",
    "A",
    "An",
    "Both",
    "While",
    "When",
    "After",
    "Before",
    "Since",
    "During",
    "Under",
    "Following",
    "According",
    "Meanwhile",
    "No",
    "This",
    "That",
    "These",
    "Those",
    "Its",
    "Their",
    "His",
    "Her",
    "Our",
    "Today",
    "Yesterday",
    "Photo",
    "Read",
    "Related",
    "Also",
    "Dear",
    "Le",
    "La",
    "Les",
    "Du",
    "Des",
    "De",
    "Au",
    "Aux",
    "En",
    "Dans",
    "Pour",
    "Par",
    "Sur",
    "Avec",
    "Selon",
}
GOVERNMENT_OF = re.compile(
    r"(?<![\w-])(?P<head>[Gg]overnment|[Mm]inistry of Defen[cs]e|[Mm]inistry of Foreign Affairs|"
    r"[Aa]rmed [Ff]orces|[Gg]ouvernement|[Mm]inistère des [Aa]rmées|[Rr]égime)\s(?:of|de|du|des)\s"
    r"(?:the\s|la\s|l['’])?(?P<country>[A-Z][\w'’-]{1,30}+(?:\s[A-Z][\w'’-]{1,30}+){0,2})"
)

# --- collective forces -----------------------------------------------------------------------

FORCE_NOUNS_EN = (
    r"(?:(?:national\s|special\s)?(?:security|armed|government|military|defen[cs]e|opposition|regular|"
    r"ground|naval|air|border|coalition)\s)?(?:forces|military|army|government|authorities|"
    r"navy|air force|regime|militias?|pirates|rebels|insurgents|intelligence(?:\sservices?)?|"
    r"(?:interior|defen[cs]e|foreign)\sministry)"
)
# "The Danish and Dutch governments": one body per state, each named in the singular.
PLURAL_NOUNS_EN = {"governments": "government", "armed forces": "armed forces", "forces": "forces",
                   "armies": "army", "navies": "navy", "militaries": "military", "air forces": "air force"}  # fmt: skip
FORCE_NOUNS_FR = (
    r"(?:armée\sde\sl['’]air|forces|armée|armées|gouvernement|autorités|régime|marine|aviation|gendarmerie)"
    r"(?:\s(?:de\ssécurité|armées|aériennes|spéciales|régulières|terrestres|navales|gouvernementales))?"
)
GENERIC_FORCES = re.compile(
    r"(?<![\w-])(?:the\s|les?\s|la\s|l['’])?(?P<name>(?:(?:[Gg]overnment|[Cc]oalition|[Oo]pposition|[Rr]ebel|[Rr]egime|"
    r"pro-government|[Aa]llied|[Ii]nternational)\sforces|(?:[Ii]nternational|[Gg]lobal|(?:US|U\.S\.|Saudi|Western)-led)\s"
    r"coalition|[Tt]he\s[Cc]oalition|[Ll]a\s[Cc]oalition(?:\sinternationale)?"
    r"|[Cc]oalition\sinternationale|forces\sgouvernementales|the\s(?:military|interim|transitional)\sgovernment"
    r"|the\sjunta|la\sjunte|gendarmerie(?:\snationale)?)"
    # "la coalition contre l'État islamique", "the coalition against ISIS": the coalition named by its enemy
    r"(?:\s(?:contre|against)\s(?:l['’]|le\s|la\s|the\s)?[A-ZÀ-Þ][\w'’-]{1,30}+"
    r"(?:\s(?:islamique|islamiste|[A-Z][\w-]{1,30}+))?)?)(?![\w-])"
)
# "Les Britanniques avaient déployé…": a capitalised French demonym in the plural is the nation's forces.
NATION_PLURAL_FR = re.compile(r"(?<=\b(?:[Ll]es|[Dd]es|[Aa]ux)\s)(?P<owner>[A-ZÀ-Þ][a-zà-ÿ]{3,30}?s)(?![\w'’-])")
# "groupement commandos montagne (GCM)": a French unit written in lower case, named by the acronym after it.
UNIT_BY_ACRONYM_FR = re.compile(
    r"(?<![\w-])(?P<name>(?:sous[- ])?(?:groupement|bataillon|escadron|détachement|régiment|compagnie|peloton|"
    r"brigade|division|commandement|état-major)(?:\s(?:d['’])?[a-zà-ÿ'’-]{2,30}+){1,5}?)\s\((?P<acronym>[A-Z]{2,8})\)"
)
ACRONYM_SKIPS = {"de", "du", "des", "la", "le", "les", "et", "d", "l"}


@cache
def _demonym_forms(lexicon: Lexicon) -> dict[str, str]:
    """Demonyms, with their French feminine and plural forms, and possessive names, to ISO codes."""
    out: dict[str, str] = {}
    for code, country in lexicon.catalogs.countries.items():
        for demonym in country.demonyms:
            for form in _inflections(demonym):
                out.setdefault(form, code)
        for name in (country.name, *country.aliases):
            if name[:1].isupper():
                out.setdefault(name, code)
    french = json.loads((resources.files("orbat") / "patterns" / "demonyms_fr.json").read_text(encoding="utf-8"))
    for code, demonym in french.items():
        if not code.startswith("_"):
            for form in _inflections(demonym):
                out.setdefault(form, code)
    return out


def _inflections(word: str) -> set[str]:
    """ "irakien" → irakienne, irakiens, irakiennes; English demonyms come back as they are."""
    forms = {word}
    if word[:1].islower():
        if word.endswith("ien"):
            forms |= {word + "ne", word + "s", word + "nes"}
        elif word.endswith("c"):  # turc, grec
            forms |= {word + "s", word + "que" if word.endswith("ec") else word + "que", word + "ques"}
        elif word.endswith("ais") or word.endswith("ois"):
            forms |= {word + "e", word + "es"}
        elif word.endswith("e"):
            forms |= {word + "s"}
        elif not word.endswith(("s", "x", "è")):
            forms |= {word + "e", word + "s", word + "es"}
    return forms


def _longest_first(word: str) -> tuple[int, str]:
    """Longest first, ties in a fixed order: the same pattern text in every process (the sets it is
    built from iterate in a per-process order), so its compiled form can be kept on disk
    (`orbat.compiled`). Which alternative comes first among equals cannot change a match: two
    words of one length that both match at one place match the same characters."""
    return -len(word), word




@cache
def _collective_patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    # Demonyms only: in "Sudan's army" the country name stays a mention of its own (a place, a state)
    countries = lexicon.catalogs.countries.values()
    names = {n for c in countries for n in (c.name, *c.aliases)}
    forms = [
        f for f in sorted((f for f in _demonym_forms(lexicon) if f not in names), key=_longest_first) if len(f) >= 3
    ]
    english = re.compile(
        rf"(?<![\w-])(?P<owner>{first_letter_alternation(forms)})\s(?P<noun>{FORCE_NOUNS_EN})(?![\w-])"
    )
    # every French force noun opens with one of these letters: other places are passed over at once
    owners_fr = first_letter_alternation(forms, ignore_case=True)
    french = re.compile(rf"(?=[afgmr])(?<![\w-])(?P<noun>{FORCE_NOUNS_FR})\s(?P<owner>{owners_fr})(?![\w-])", re.I)
    return english, french


@cache
def _coordinated_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    """ "the Danish and Dutch governments": two demonyms sharing one plural noun."""
    countries = lexicon.catalogs.countries.values()
    names = {n for c in countries for n in (c.name, *c.aliases)}
    forms = sorted((f for f in _demonym_forms(lexicon) if f not in names and f[:1].isupper()), key=_longest_first)
    alternation = first_letter_alternation([f for f in forms if len(f) >= 3])
    nouns = "|".join(sorted(PLURAL_NOUNS_EN, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w-])(?P<first>{alternation})\s(?:and|or)\s(?P<second>{alternation})\s(?P<noun>{nouns})(?![\w-])"
    )


@cache
def _attributive_country(lexicon: Lexicon) -> re.Pattern[str]:
    """ "the Palau government": a country's name used as an adjective before a government word."""
    names = {n for c in lexicon.catalogs.countries.values() for n in (c.name, *c.aliases) if n[:1].isupper()}
    alternation = first_letter_alternation([n for n in sorted(names, key=_longest_first) if len(n) >= 4])
    return re.compile(rf"(?<=\b[Tt]he\s)(?P<owner>{alternation})\s(?P<noun>government|authorities)(?![\w-])")


# --- people ----------------------------------------------------------------------------------

RANKS_FR = re.compile(
    r"(?<![\w-])(?P<title>(?:sous-)?lieutenant(?:-colonel)?|commandant|capitaine(?:\sde\s(?:frégate|corvette|vaisseau))?|"
    r"colonel|général(?:\sde\s(?:brigade|division|corps d['’]armée|brigade aérienne|division aérienne))?|"
    r"adjudant(?:-chef)?|sergent(?:-chef)?|caporal(?:-chef)?|major|amiral|vice-amiral|contre-amiral|"
    r"chef\sde\sbataillon|chef\sd['’]escadron|aspirant|brigadier|maréchal\sdes\slogis(?:-chef)?|médecin|"
    r"ministre|président|préfet|ambassadeur|porte-parole)\s(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]{1,30}+(?:\s[A-ZÀ-ÖØ-Þ]"
    r"[\w'’-]{1,30}+){0,2})"
)
# English ranks as written before a name, abbreviated or not ("Spc. Israel Toomes", "Petty Officer 1st
# Class Delaney Jensen", "Lt. Col William Prince, Jr."), and credit lines ("Photo by …", "By … , DOD News").
RANKS_EN = (
    r"(?:Sgt\.?\s1st\sClass|Staff\sSgt\.?|Master\sSgt\.?|(?:Command\s)?Sgt\.?\sMaj\.?|"
    r"(?:Chief\s)?Petty\sOfficer(?:\s(?:1st|2nd|3rd)\sClass)?|Mass\sCommunication\sSpecialist(?:\s(?:1st|2nd|3rd)\sClass|"
    r"\sSeaman)?|Airman\s1st\sClass|Senior\sAirman|(?:Chief\s)?Warrant\sOfficer(?:\s\d)?|Lt\.?\sCol\.?|Lt\.?\sGen\.?|"
    r"Maj\.?\sGen\.?|Brig\.?\sGen\.?|(?:1st|2nd)\sLt\.?|Spc\.|Sgt\.|Pfc\.|Pvt\.|Cpl\.|Lt\.|Capt\.|Maj\.|Col\.|Gen\.|"
    r"Adm\.|Cmdr\.|Cdr\.|SFC|SSG|SGT|SPC|PFC|CPT|LTC)"
)
_PERSON_NAME_EN = (
    r"(?P<name>[A-Z][a-z]{0,3}[A-Za-z'’-]{1,30}+(?:\s(?:[A-Z]\.){1,3})?(?:\s[A-Z][a-z]{0,3}[A-Za-z'’-]{1,30}+){1,2}"
    r"(?:,?\s(?:Jr|Sr)\.|\s(?:II|III|IV)(?![\w-]))?)"
)
# The look-ahead holds the letters a rank opens with, so other places are passed over at once.
RANKED_NAME_EN = re.compile(rf"(?=[ABCGLMPSW12])(?<![\w-]){RANKS_EN}\s{_PERSON_NAME_EN}(?![\w'’-])")
BYLINE = re.compile(
    rf"(?=[PpVvB])(?:\b[Pp]hoto\s[Bb]y|\b[Vv]ideo\s[Bb]y|(?:^|(?<=[|)\s]\s)|(?<=\n))By)\s{_PERSON_NAME_EN}(?=\s?[,|)\n]|\s\s|$)"
)
DEFINED_AFTER = re.compile(r"\s\(([A-Z][A-Za-z0-9-]{1,9})\)")
INITIAL_AFTER = re.compile(
    r"(?:(?<=\b[A-Z])\.|(?<=\b[A-Z]\.))\s[A-ZÀ-ÖØ-Þ][\w'’-]{1,30}+(?:,?\s(?:Jr|Sr)\.?)?|,?\s(?:Jr|Sr)\.?(?!\w)"
)
WINDOW_WORDS = 2
NER_LABELS = {"PERSON": "person", "PER": "person"}
# The recogniser reads only entities. The small pipelines' "ner" embeds the words itself (its own
# Tok2Vec, not a listener on the shared "tok2vec"), so the shared encoder is switched off too:
# the entities are the same and a third of the network's work is saved.
NER_OFF = ["tok2vec", "parser", "tagger", "morphologizer", "attribute_ruler"]
PERSON_WORD = re.compile(
    r"[A-ZÀ-ÖØ-Þ](?:[a-zß-öø-ÿ'’]{1,30}+(?:-[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿ'’]{1,30}+){0,3}|\.)|"
    r"(?:al|el|ad|as|ag|ar|at|an|Al|El|Ad|As|Ar|At|An)-[A-ZÀ-ÖØ-Þ][\w'’]{1,30}+|(?:Jr|Sr|III|II|IV)\.?|al-|bin|ben|de|van|von|"
    r"el-|ag|Ag|ould|Ould|Abou|Abu|du|da|le"
)
CAPITAL_PAIR = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]{1,30}+\s[A-ZÀ-ÖØ-Þ][\w'’.-]")
NOT_PEOPLE = {
    "patriot",
    "stinger",
    "covid",
    "bradley",
    "bradleys",
    "humvee",
    "humvees",
    "leclerc",
    "caesar",
    "accueil",
    "opérations",
    "premier",
    "ministre",
    "president",
    "secretary",
    "general",
    "press",
    "date",
    "posted",
    "brèves",
    "monde",
    "team",
    "battery",
    "live",
    "fire",
    "programs",
    "forward",
    "presence",
    "chief",
    "staff",
    "sergeant",
    "captain",
    "colonel",
    "commander",
    "specialist",
    "officer",
    "class",
    "airman",
    "petty",
    "corporal",
    "private",
    "lieutenant",
    "major",
    "admiral",
    "spc",
    "sgt",
    "capt",
    "mass",
    "communication",
    "public",
    "affairs",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "lord",
    "lady",
    "saint",
    "col",
    "lt",
    "gen",
    "maj",
    "adm",
    "brig",
    "affaires",
    "full",
    "size",
    "courtesy",
    "ceremony",
    "handover",
    "minister",
    "ambassador",
    "spokesman",
    "spokesperson",
    "deputy",
    "acting",
    "senior",
    "junior",
    "vice",
    "governor",
    "senator",
    "chancellor",
    "king",
    "queen",
    "prince",
    "emir",
    "sheikh",
    "pope",
}
# A run that ends on one of these names a thing or an event, not a body ("Army Prepositioned Stocks").
THING_WORDS = {
    "Stock",
    "Stocks",
    "Sales",
    "Ceremony",
    "Program",
    "Programme",
    "Base",
    "Station",
    "Exercise",
    "Course",
    "Training",
    "Area",
    "Week",
    "Day",
    "Update",
    "Statement",
    "Release",
    "Photo",
    "Award",
    "Medal",
    "Hospital",
    "School",
    "Academy",
    "University",
    "Headquarters",
    "Building",
    "Change",
    "Conference",
    "Summit",
    "Meeting",
    "Plan",
    "Strategy",
    "Act",
    "Law",
    "Report",
    "Review",
    "Fund",
    "Initiative",
}


def find_actors(
    text: str,
    sentences: list[Sentence],
    language: str,
    taken: Occupied,
    lexicon: Lexicon,
    ner: bool = True,
    soft: Occupied | None = None,
) -> list[Mention]:
    """Actor candidates on text that `taken` leaves free; each span is taken as it is found.

    `soft` marks catalog actors a longer body's name may hold: "U.S. Army" inside "U.S. Army Corps
    of Engineers"; the caller drops those catalog mentions."""
    out: list[Mention] = []
    soft = soft or Occupied(len(text))

    def free(start: int, end: int, crossing: bool = False) -> bool:
        if not crossing:
            return taken.free(start, end)
        return all(t == 0 or s for t, s in zip(taken.mask[start:end], soft.mask[start:end], strict=True))

    def add(start: int, end: int, actor_type: str, source: str, *extra: str, crossing: bool = False) -> None:
        while end > start and text[end - 1] in " ,.;:":
            end -= 1
        if end > start and free(start, end, crossing):
            acronym = DEFINED_AFTER.match(text, end)  # "the Joint Force Command (JFC)"
            flags = (f"acronym:{acronym.group(1)}",) if acronym else ()
            out.append(
                Mention(
                    "actor_candidate",
                    Span(start, end, text[start:end]),
                    (f"type:{actor_type}", f"source:{source}", *extra, *flags),
                )
            )
            taken.take(start, acronym.end() if acronym else end)

    for start, end in _units(text):
        pair = UNIT_PAIR_FR.match(text, start, end)
        if pair:  # "les 30e et 4e escadres de chasse": two units, each named in the singular
            rest = re.sub(r"^(\w+?)s(?=\s|$)", r"\1", text[pair.end("second") + 1 : end])
            add(start, pair.end("first"), "unit", "pattern", f"name:{pair.group('first')} {rest}")
            add(pair.start("second"), end, "unit", "pattern", f"name:{pair.group('second')} {rest}")
        else:
            add(start, end, "unit", "pattern")
    for start, end, hull in _named_hulls(text):
        add(start, end, "unit", "pattern", f"hull:{hull}")
    for m in OPERATION.finditer(text):
        if m.group("name").isupper() and len(m.group("name")) < 5:
            continue  # "mission ATL": an aircraft type, not a named operation
        if m.group("word").lower() == "force" and not text[m.start() : m.start() + 1].islower():
            continue  # "Force Wagram" after "Task": the task force pattern names it
        add(m.start(), m.end(), "organisation", "pattern")
    english, french = _collective_patterns(lexicon)
    for m in GOVERNMENT_OF.finditer(text):
        code = _demonym_forms(lexicon).get(m.group("country"))
        if code:
            head = m.group("head").lower()
            kind = "armed_force" if "forces" in head else "government"
            add(m.start(), m.end(), kind, "pattern", f"country:{code}")
    for pattern in (english, french):
        for m in pattern.finditer(text):
            code = _demonym_forms(lexicon).get(m.group("owner")) or _demonym_forms(lexicon).get(
                m.group("owner").lower()
            )
            if code is None:
                continue
            noun = m.group("noun").lower()
            kind = (
                "government"
                if re.search(r"government|gouvernement|authorities|autorités|regime|régime|ministry|intelligence", noun)
                else "armed_group"
                if re.search(r"militia|pirates|rebels|insurgents", noun)
                else "armed_force"
            )
            # crossing: "Armée de l'Air Tchadienne" holds the French air force's short name
            add(m.start(), m.end(), kind, "pattern", f"country:{code}", f"noun:{m.group('noun')}", crossing=True)
    for m in _coordinated_pattern(lexicon).finditer(text):
        singular = PLURAL_NOUNS_EN[m.group("noun")]
        kind = "government" if singular == "government" else "armed_force"
        for owner, start, end in (("first", m.start("first"), m.end("first")), ("second", m.start("second"), m.end())):
            code = _demonym_forms(lexicon).get(m.group(owner))
            if code:
                add(
                    start,
                    end,
                    kind,
                    "pattern",
                    f"country:{code}",
                    f"noun:{singular}",
                    f"name:{m.group(owner)} {singular}",
                )
    for m in _attributive_country(lexicon).finditer(text):
        code = _demonym_forms(lexicon).get(m.group("owner"))
        if code:
            add(m.start(), m.end(), "government", "pattern", f"country:{code}", f"noun:{m.group('noun')}")
    for m in GENERIC_FORCES.finditer(text):
        name = m.group("name")
        kind = (
            "government"
            if re.search(r"government|junta|junte", name, re.I) and not re.search("forces", name, re.I)
            else "armed_force"
        )
        add(m.start("name"), m.end("name"), kind, "pattern")
    for m in UNIT_BY_ACRONYM_FR.finditer(text):
        initials = "".join(w[0] for w in re.split(r"[\s'’-]+", m.group("name")) if w and w not in ACRONYM_SKIPS)
        if len(initials) >= 2 and m.group("acronym").lower().startswith(initials):
            add(m.start("name"), m.end("name"), "unit", "pattern")
    if language == "fr":
        for m in NATION_PLURAL_FR.finditer(text):
            code = _demonym_forms(lexicon).get(m.group("owner").lower())
            if code:
                add(m.start(), m.end(), "armed_force", "pattern", f"country:{code}")
    if language == "en":
        for pattern in (RANKED_NAME_EN, BYLINE):
            for m in pattern.finditer(text):
                start, end = m.start("name"), m.end("name")
                words = text[start:end].split()
                while len(words) > 2 and (
                    words[-1].lower() in NOT_PEOPLE | {w.lower() for w in BODY_HEADS} or words[-1].isupper()
                ):
                    end -= len(words.pop()) + 1  # "Trevor Wild Commander", "Paige Weldon VIRIN": the name stops
                if not {w.lower() for w in words[:-1]} & (NOT_PEOPLE | {w.lower() for w in BODY_HEADS} | {"naval"}):
                    add(start, end, "person", "pattern")  # a surname may be a title word ("William Prince")
    if language == "fr":  # English ranks: RANKED_NAME_EN ("a major Estonian-led exercise" is no one)
        for m in RANKS_FR.finditer(text):
            add(m.start("name"), m.end("name"), "person", "pattern", f"title:{m.group('title')}")
    if ner:  # people before bodies: "Minister for the Armed Forces Mark Lancaster"
        for start, end, kind in _recognised(text, sentences, language, taken):
            if not lexicon.lookup(text[start:end]):  # NER calls "Burkina Faso" a person at times
                add(start, end, kind, "ner")
    headlines = [(s.start, s.end) for s in sentences if title_case(s.text)]
    for start, end, kind in _bodies(text, taken, soft, lexicon, headlines):
        add(start, end, kind, "pattern", crossing=True)
    return out


def another_persons_surname(text: str, mention: Mention, lexicon: Lexicon) -> bool:
    """A catalog person's name that names something else: a place ("la base aérienne d’Al Assad"),
    or, for a one-word name, part of another name after a capitalised word ("Hafez Assad")."""
    ids = [c.split(":", 1)[1] for c in mention.candidates if c.startswith("actor:")]
    actors = [lexicon.catalogs.actors.get(i) for i in ids]
    if not actors or any(a is None or a.actor_type != "person" for a in actors):
        return False
    if _names_a_place(text, mention.span.start, mention.span.end):
        return True  # "la base aérienne d’Al Assad"
    if " " in mention.span.text.strip():
        return False
    window = text[max(0, mention.span.start - 32) : mention.span.start]
    before = re.search(r"(?:^|[\s('’])([A-ZÀ-Þ][\w-]{0,30})\s$", window)
    if before is None:
        return False
    word = before.group(1).rstrip(".")
    return word not in LEADING and word.lower() not in NOT_PEOPLE and word.lower() not in TITLE_WORDS_EN


TITLE_WORDS_EN = {
    "mr", "mrs", "ms", "dr", "president", "minister", "secretary", "general", "prime", "chancellor",
    "senator", "premier", "ministre", "président", "général", "colonel", "leader", "dictator",
}  # fmt: skip


def at_a_seat(text: str, start: int) -> bool:
    """ "at the White House", "back to the Kremlin": a body's seat named as where something happens."""
    return bool(AT_A_SEAT.search(text, max(0, start - 12), start))


AT_A_SEAT = re.compile(r"\b(?:[Aa]t|back\sto)\s(?:the\s)?$")


def names_a_thing(name: str) -> bool:
    """A name a text defines an acronym for that is a programme, a place or a post, not a body:
    "Foreign Military Sales (FMS)", "Central Training Area (CTA)", "Memorandum of Understanding (MOU)"."""
    return bool((THING_WORDS | NOT_BODY_WORDS) & {re.sub(r"['’]s$", "", w) for w in name.split()})


NOT_BODY_WORDS = {"Memorandum", "Understanding", "Agreement", "Representative", "Treaty", "Sales"}


def title_case(sentence: str) -> bool:
    """A headline in title case ("US Delivers Bradleys to Ukraine"): its capitalised words are not
    names, so neither the body patterns nor the NER read it."""
    words = [w for w in re.findall(r"[^\W\d_]{4,}", sentence)]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


# Prefixes of two letters ("FS", "JS") and those that are also other words ("SAS", "ENS": an ensign)
# name a hull only with a pennant, which the designations stage reads as a system.
AMBIGUOUS_SHIP_PREFIXES = {"SAS", "ENS"}


def _named_hulls(text: str) -> list[tuple[int, int, str]]:
    """A warship by prefix and name without a pennant ("HMS Westminster", "USS Gerald R. Ford Carrier
    Strike Group"): a commissioned ship, or the formation it heads, is a unit the text speaks of."""
    words = vocabulary()
    out = []
    for m in words.prefixed.finditer(text):
        if m.group("pennant") or len(m.group("prefix")) < 3 or m.group("prefix") in AMBIGUOUS_SHIP_PREFIXES:
            continue
        name = re.sub(r"\s(?:of|de|du|des|la|le|d['’]|von|van)$", "", m.group("name"))
        end = m.start("name") + len(name)
        formation = words.formation.match(text, end)
        if formation is None and not words.formation_inside.search(name):
            # the hull by its last name word: "USS Harry S. Truman" and "USS Truman" are one ship
            out.append((m.start(), end, f"{m.group('prefix')} {name.split()[-1]}"))
        else:
            out.append((m.start(), formation.end() if formation else end, ""))
    return out


def _units(text: str) -> list[tuple[int, int]]:
    """Numbered units, a battalion joined to its regiment ("1st Battalion, 214th Field Artillery")."""
    spans: list[tuple[int, int, int, bool]] = []  # start, end, echelon, bare number and echelon
    for m in UNIT_EN.finditer(text):
        if m.group("bare") and (
            re.fullmatch(r"(?:19|20)\d\d", m.group("bare")) or not (m.group("words").strip() or m.group("role"))
        ):
            continue  # "2024 Command" is a year; "12 Squadron" alone is too thin, "1 (Fighter) Squadron" is not
        if m.group("roman") and m.group("head") != "Corps":
            continue
        bare = not m.group("words").strip()  # "1st Battalion" names nothing without its regiment
        spans.append((m.start(), m.end(), ECHELONS.get(m.group("head").lower(), 0), bare))
    for m in TASK_FORCE.finditer(text):
        spans.append((m.start(), m.end(), 4, False))
    for m in BRANCH_PARENT.finditer(text):  # "3rd Battalion, 2nd Air Defense Artillery": a regiment by its branch
        spans.append((m.start(), m.end(), ECHELONS["regiment"], False))
    for pattern in (UNIT_FR, FLOTILLA_FR):
        for m in pattern.finditer(text):
            spans.append((m.start(), m.end(), 0, False))
    spans.sort()
    out: list[list[int]] = []  # start, end, echelon, open for a parent unit
    for start, end, echelon, bare in spans:
        last = out[-1] if out else None
        if last and start < last[1]:
            continue
        gap = text[last[1] : start] if last else ""
        if last and last[3] and re.fullmatch(r",\s", gap) and echelon > last[2] > 0:
            last[1], last[2], last[3] = end, echelon, 0
            continue
        out.append([start, end, echelon, int(bare)])
    joined = []
    for start, end, echelon, _ in out:
        regiment = re.match(r",\sThe\s[A-Z][\w'’-]{2,30}+(?:\s[A-Z][\w'’-]{2,30}+){0,2}", text[end : end + 60])
        if echelon == ECHELONS["battalion"] and regiment:  # "1st Battalion, The Royal Welsh"
            end += regiment.end()
        joined.append((start, end))
    return joined


def _bodies(
    text: str, taken: Occupied, soft: Occupied, lexicon: Lexicon, headlines: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """Runs of capitalised words that contain a body's head word: "Army Sustainment Command".

    A run may go through a catalog actor (`soft`) when its own words add a head: "U.S. Army Corps
    of Engineers" is a body of its own, "Royal Air Force Typhoons" is not."""
    out = []
    owners = _demonym_forms(lexicon)
    words = [m for m in BODY_WORD.finditer(text)]
    run: list[re.Match[str]] = []

    def catalogued(word: re.Match[str]) -> bool:
        return not taken.free(word.start(), word.end()) and all(soft.mask[word.start() : word.end()])

    def flush() -> None:
        while run and (run[-1].group(0) in CONNECTORS):
            run.pop()
        while run and (
            run[0].group(0) in CONNECTORS or run[0].group(0) in LEADING or run[0].group(0).endswith(("'s", "’s"))
        ):  # "Poland's Armament Agency"
            run.pop(0)
        names = [w.group(0) for w in run]
        joint = next((i for i, n in enumerate(names) if n in {"of", "for", "in"}), None)
        if joint is not None and not any(n in BODY_HEADS for n in names[:joint]):
            del run[: joint + 1]  # "Engineers of the U.S. Army Corps of Engineers": the body starts after "of"
            while run and run[0].group(0) in CONNECTORS:
                run.pop(0)
            names = [w.group(0) for w in run]
        where = max((i for i, n in enumerate(names) if n == "in"), default=None)
        if where is not None and not any(n in BODY_HEADS for n in names[where + 1 :]):
            del run[where:]  # "the Food and Agriculture Organization in Rome": the body is, the place is where
            while run and run[-1].group(0) in CONNECTORS:
                run.pop()
            names = [w.group(0) for w in run]
        heads = [w.group(0) for w in run if w.group(0) in BODY_HEADS and not catalogued(w)]
        strong = [n for n in heads if n not in WEAK_HEADS]
        last_head = len(names) >= 3 and names[-1] in BODY_HEADS and not catalogued(run[-1])
        if (
            run
            and (strong or last_head)
            and not all(catalogued(w) or w.group(0) in CONNECTORS for w in run)
            and len(names) >= 2
            and not all(n.isupper() for n in names if n not in CONNECTORS)
            and not THING_WORDS & {re.sub(r"-\d+$", "", n) for n in names}
            and not any(s <= run[0].start() < e for s, e in headlines)
            and not (len(names) == 2 and names[0] in owners)
        ):  # "Kuwaiti Army": national bodies decide
            kind = (
                "government"
                if {
                    "Ministry",
                    "Department",
                    "Administration",
                    "Council",
                    "Commission",
                    "Senate",
                    "Congress",
                    "Assembly",
                    "Directorate",
                }
                & set(heads)
                else "organisation"
                if {"Agency", "Organization", "Organisation", "Alliance", "Coalition", "Group", "Activity"} & set(heads)
                else "armed_force"
            )
            number = re.match(r"\s\d{1,3}(?![\w-]|[.,]\d)", text[run[-1].end() : run[-1].end() + 5])
            out.append((run[0].start(), run[-1].end() + (number.end() if number else 0), kind))  # "… Group 1"
        run.clear()

    for word in words:
        usable = taken.free(word.start(), word.end()) or catalogued(word)
        if run and (text[run[-1].end() : word.start()] != " " or not usable):
            flush()
        if not usable or (
            word.group(0).rstrip(".").lower() in NOT_PEOPLE
            and not GENERAL_STAFF.match(text, max(0, word.start() - len("General ")))
            and not GENERAL_STAFF.match(text, word.start())
        ):
            flush()
            continue
        if not run and word.group(0) in CONNECTORS:
            continue
        if word.group(0) == "and" and run and run[-1].group(0) in BODY_HEADS - WEAK_HEADS:
            flush()  # "the Armament Agency and Hyundai Rotem": the body ends at its head
            continue
        if word.group(0) == "the" and run and run[-1].group(0) not in {"of", "for", "in", "on"}:
            flush()  # "the Ministry of Defense and the U.S. Army Corps of Engineers": two bodies
            continue
        run.append(word)
    flush()
    return out


def _candidate_windows(text: str, sentences: list[Sentence], taken: Occupied) -> list[Sentence]:
    """The stretches of text a person's name can be in: a free pair of capitalised words that does
    not open with a function word, with `WINDOW_WORDS` words either side for context, inside its
    sentence. Reading windows rather than whole sentences keeps the NER to a fraction of the text."""
    out: list[Sentence] = []
    for sentence in sentences:
        if len(sentence.text) > 1500:
            continue
        spans: list[list[int]] = []
        for m in CAPITAL_PAIR.finditer(sentence.text):
            first, second = (sentence.text[m.start() : m.end()] + sentence.text[m.end() : m.end() + 30]).split()[:2]
            second = second.strip(",.;:)'’")
            if (
                first in LEADING
                or second in BODY_HEADS
                or second in THING_WORDS
                or not taken.free(sentence.start + m.start(), sentence.start + m.end())
            ):
                continue  # "The Minister", "Security Council": no person starts there
            start = _words_back(sentence.text, m.start(), WINDOW_WORDS)
            end = _words_on(sentence.text, m.end(), WINDOW_WORDS + 2)
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        out.extend(Sentence(sentence.start + a, sentence.start + b, sentence.text[a:b]) for a, b in spans)
    return out


def _words_back(text: str, index: int, words: int) -> int:
    for _ in range(words):
        space = text.rfind(" ", 0, max(0, index - 1))
        if space < 0:
            return 0
        index = space + 1
    return index


def _words_on(text: str, index: int, words: int) -> int:
    for _ in range(words):
        space = text.find(" ", index + 1)
        if space < 0:
            return len(text)
        index = space
    return index


def _recognised(text: str, sentences: list[Sentence], language: str, taken: Occupied) -> list[tuple[int, int, str]]:
    """People found by spaCy's small NER in the candidate sentences, filtered to name-shaped spans."""
    candidates = _candidate_windows(text, sentences, taken)
    candidates = candidates[: budget.take("windows", len(candidates))]
    if not candidates:
        return []
    from orbat.relate.syntax import load_pipeline  # the relate stage's loader: one import, one install

    nlp = load_pipeline(language)
    if nlp is None:
        return []
    out = []
    try:
        docs = pooled.pipe(nlp, [s.text for s in candidates], batch_size=64, disable=NER_OFF)
    except Exception:  # the recogniser is an aid; a batch it cannot read keeps the patterns' actors
        return []
    places: set[str] = set()
    for sentence, doc in zip(candidates, docs, strict=True):
        for ent in doc.ents:
            kind = NER_LABELS.get(ent.label_)
            if kind is None:
                continue
            start, end = sentence.start + ent.start_char, sentence.start + ent.end_char
            initial = INITIAL_AFTER.match(text, end)  # "Steven L" + ". Basham"; "Marcos" + " Jr."
            end = initial.end() if initial else end
            span = _person_span(text, start, end)
            if span and _names_a_place(text, *span):
                places.add(text[span[0] : span[1]])
            elif span:
                out.append((*span, kind))
    # "la ville de Tal Afar" once makes every "Tal Afar" of the document a place
    return [(start, end, kind) for start, end, kind in out if text[start:end] not in places]


PLACE_WORDS = {
    "Base", "Airbase", "Airport", "Airfield", "Oblast", "Krai", "Raion", "Province", "Governorate", "District",
    "County", "Region", "Island", "Islands", "Bay", "Valley", "River", "Mountains", "Street", "Avenue", "Square",
    "Village", "Town", "City", "Camp", "Lake", "Parish", "Township",  # "SOS Children's Village Malakal"
}  # fmt: skip
PLACE_AFTER = re.compile(r"\s(?:Air\s(?:Base|Field|Station)|Airbase|Airport|Airfield|Oblast|Province|Governorate)\b")
PLACE_BEFORE = re.compile(
    r"\b(?:ville|villes|village|villages|localité|région|province|bataille|base|aéroport|city|town|village|battle|"
    r"province|region)(?:\s[a-zà-ÿ]{3,15})?\s(?:de|d['’]|of)\s?(?:la\s|l['’]|the\s)?(?:\S{1,30}\s(?:et|and)\s(?:de\s|d['’])?)?$",
    re.I,
)
# "l'aéroport international Modibo Keïta de Bamako": the name right after "aéroport" is the airport's own,
# a person's it is named after, who is no actor of the text
AIRPORT_NAME_BEFORE = re.compile(r"\ba[ée]roport(?:\s(?:international|régional|militaire))?\s$", re.I)


def _names_a_place(text: str, start: int, end: int) -> bool:
    """An NER "person" that is a place: a place word in it or after it ("Kyurdamir Air Base", "Baku
    Kala Air Base", "Rostov Oblast"), or a place noun before it ("la ville de Tal Afar", "l'aéroport
    Modibo Keïta")."""
    return bool(
        PLACE_WORDS & set(text[start:end].split())
        or PLACE_AFTER.match(text, end)
        or PLACE_BEFORE.search(text, max(0, start - 60), start)
        or AIRPORT_NAME_BEFORE.search(text, max(0, start - 30), start)
    )


def _person_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name inside an NER span, or None when it is not shaped like a person's name."""
    name = text[start:end]
    for suffix in ("'s", "’s"):
        if name.endswith(suffix):
            name, end = name[:-2], end - 2
    words = name.split()
    while words and words[0].rstrip(".").lower() in NOT_PEOPLE:
        start += text[start:end].index(words[0]) + len(words[0])
        while start < end and text[start].isspace():
            start += 1
        words.pop(0)
    if not 2 <= len(words) <= 5 or "\n" in text[start:end]:
        return None
    if any(not PERSON_WORD.fullmatch(w.rstrip(",")) for w in words):
        return None
    if any(w.lower().strip(".,") in NOT_PEOPLE for w in words) or any(c.isdigit() for c in name):
        return None
    if not (words[-1][:1].isupper() or re.match(r"[a-z]{2}-[A-Z]", words[-1])):
        return None
    return start, end
