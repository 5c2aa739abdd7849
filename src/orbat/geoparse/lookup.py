"""Gazetteer look-ups that depend on how a name is written: "Dallas County", "Illinois Department",
"Mexico City" around the country name "Mexico"."""

from __future__ import annotations

import dataclasses
import re

from orbat.gazetteer import Gazetteer, place_key
from orbat.geoparse.cues import AREA_WORDS, names_an_area
from orbat.model import GazetteerPlace, Mention, Span

# Areas commonly named after their seat town, whose own names a small index often lacks.
# Districts, LGAs, raions, townships and territories of conflict regions are too ("Sinjar district",
# "Kajuru LGA", "Pokrovsk raion", "Myawaddy township", "territoire de Rutshuru").
SEAT_NAMED_AREAS = {"county", "parish", "cercle", "département", "departement", "district", "lga", "raion", "rayon",
                    "township", "territory", "territoire"}
# "Illinois Department (of Health)", "Kano Police": a place that names the body after it.
BODY_WORDS = {"department", "ministry", "agency", "council", "office", "police", "government", "authorities",
              "officials", "health", "hospital", "airport", "university", "province", "state"}

WIDER_WORDS = re.compile(r"(?:New|Inner|Outer|South|North|East|West|Northern|Southern|Eastern|Western|Upper|Lower|"
                         r"Central|Greater)\s")
DETERMINERS = {"the", "a", "an", "this", "that", "its", "their", "our", "la", "le", "les", "l", "un", "une"}


# A ministry or department named after its portfolio is no place: "the Justice Department" is not
# Justice, Illinois, nor "the Commerce Secretary" Commerce, California, nor "Interior Ministry" Interior,
# South Dakota.
PORTFOLIOS = {"justice", "defense", "defence", "interior", "commerce", "energy", "labor", "labour", "treasury",
              "agriculture", "education", "transportation", "transport", "health", "state", "homeland",
              "veterans", "housing", "finance", "foreign", "trade", "environment", "culture", "war"}
OFFICE_WORDS = {"department", "ministry", "secretary", "minister", "office"}
# Universities and colleges are often named after their founders: "Vanderbilt University" is not
# Vanderbilt, Michigan (564 people), nor "Yale University" Yale, Michigan; a town that names a
# university ("Keele University", "Auburn University") is seldom a hamlet.
SCHOOL_WORDS = {"university", "college"}
FOUNDER_TOWN = 2000
OTHER_NAMED_CITY = 100_000


def areas_by_stem(gazetteer: Gazetteer, mentions: list[tuple[int, Mention]],
                   found: dict[str, list[GazetteerPlace]]) -> None:
    """"Dallas County", "Nyanza Province": an area the gazetteer lists under its bare name; "Illinois
    Department": a place followed by the body it names."""
    stems = {}
    for _, mention in mentions:
        key = place_key(mention.span.text)
        words = key.split()
        if key not in found and len(words) >= 2 and words[-1] in AREA_WORDS | BODY_WORDS \
                and words[0] not in DETERMINERS \
                and not _names_no_place(words[-2], words[-1]):  # "The Department", "the Justice Department"
            stems[key] = " ".join(words[:-1])
    if not stems:
        return
    by_stem = gazetteer.lookup(set(stems.values()))
    for key, stem in stems.items():
        areas = [p for p in by_stem.get(stem, []) if p.feature in {"admin1", "admin2", "admin"}
                 or (key.split()[-1] in BODY_WORDS and _names_the_body(p, key.split()[-1]))]
        if areas:  # a town of the same name is often far from the county ("Scott County")
            found[key] = areas
        elif key.split()[-1] in SEAT_NAMED_AREAS:
            # no such county in the index: its namesake town stands for it, less exactly ("Dallas
            # County" around Dallas), and only where the ranking finds that town plausible
            found[key] = [p for p in by_stem.get(stem, []) if p.feature in {"city", "locality"} and p.by_main_name]
            if not found[key]:
                del found[key]


def inside_wider_places(mentions: list[Mention], gazetteer: Gazetteer | None) -> set[int]:
    """Indexes to leave out: a country inside a longer place the gazetteer knows by that very
    name ("Mexico" in "Mexico City"), or the longer candidate when the gazetteer does not know it."""
    wider = [(i, m) for i, m in enumerate(mentions) if m.kind == "place_candidate" and "wider" in m.candidates]
    if not wider:
        return set()
    # "Bas Congo Province" is GeoNames' "Bas-Congo" province: the name without its area word
    stems = {place_key(m.span.text): " ".join(m.span.text.split()[:-1]) for _, m in wider
             if m.span.text.split()[-1].lower() in AREA_WORDS}
    found = gazetteer.lookup({m.span.text for _, m in wider} | set(stems.values())) if gazetteer else {}
    hidden = set()
    for index, mention in wider:
        key = place_key(mention.span.text)
        readings = found.get(key) or [p for p in found.get(place_key(stems.get(key, "")), [])
                                      if p.feature in {"admin1", "admin2", "admin"}]
        # a word of its own before the country ("Mbanza Congo") may be the place's alternate name; a
        # direction or "New" before it ("South Sudan", "New Mexico") must be its own name
        own_word = not WIDER_WORDS.match(mention.span.text)
        if any(p.by_main_name or (own_word and p.feature != "country") for p in readings):
            if key not in found:
                found[key] = readings
            hidden |= {j for j, m in enumerate(mentions) if j != index
                       and m.kind in {"country", "region", "place_candidate"}
                       and mention.span.start <= m.span.start and m.span.end <= mention.span.end}
        else:
            hidden.add(index)
    return hidden


# Words that start the name of an office, a body or a title after the place it belongs to:
# "Queensland Premier Peter Beattie", "the Auckland Regional Public Health Service", "Santa Ana City Council",
# "Mexico City Health Secretary". Area words are not here: "Scott County" is a county, not Scott;
# nor are a title's words: "the Los Angeles Times" is a newspaper.
HEAD_WORDS = BODY_WORDS - {"province", "state"} | {
    "premier", "mayor", "governor", "president", "presidents", "minister", "secretary", "senator", "attorney",
    "city", "hall", "council", "regional", "district", "court", "centers", "centres", "center", "centre",
    "army", "navy", "public", "primary", "board", "international", "provincial", "municipal", "metropolitan",
    "national", "federal",
    # a US county's offices: "the Hamilton County Sheriff's Office", "the Cook County Jail"
    "sheriff", "sheriffs", "jail", "commissioners", "prosecutor", "prosecutors", "coroner", "courthouse", "clerk",
    "medical", "schools", "sanitation", "transit", "transportation", "flood",
    # a US school district named after its town: "the Santa Ana Unified School District"
    "unified",
    # a deputy's title in one hyphenated word: "Mabini Vice-Mayor Ester Tabigue", "the Texas Lieutenant Governor"
    "vice mayor", "vice governor", "vice president", "vice premier", "lieutenant", "deputy"}
LEADING_DETERMINER = re.compile(r"^(?:The|A|An|This|That|Le|La|Les|L['’]|Un|Une|Two|Three|Four|Five|Six|Seven|Eight|"
                                r"Nine|Ten|Several|Many|Some|Most|All|Both|Few)\s+|"
                                r"^(?:État|Etat|Région|Province|Cercle|Département|Préfecture|Commune|Wilaya)\s+"
                                r"(?:de\s+la\s+|de\s+l['’]|de\s+|du\s+|d['’])")


# "North-Western Sydney", "Central Mali": a capitalised direction before a place, as "northern X" is.
# "the Salinas Valley", "the Swat Valley": a valley named after a town or a district lies around it
VALLEY_AFTER = re.compile(r"(?<!\s)\s+Valley$")
LEADING_DIRECTION = re.compile(r"^(?:Northern|Southern|Eastern|Western|Central|North-?[Ee]astern|North-?[Ww]estern|"
                               r"South-?[Ee]astern|South-?[Ww]estern)\s+(?=[A-Z])")


def _names_no_place(before: str, head: str) -> bool:
    """Whether the word `before` a body's head word names a portfolio or an institution, not a place:
    "Justice Department", "Women's College Hospital" (not College, Alaska), "University Hospital"
    (not University, Florida)."""
    return (head in OFFICE_WORDS and before in PORTFOLIOS) or before in SCHOOL_WORDS


def _names_the_body(place: GazetteerPlace, body: str) -> bool:
    """Whether `place` may be the place that heads the name of a body ("Aberdeen University",
    "Nakhichevan Airport"). A university or college is often its founder's: the town must go by that
    name as its own or be a city known by it too ("Peking University"), not a small town's other name
    ("Duke University" is not Erwin, which GeoNames also calls Duke), and no hamlet."""
    if body not in SCHOOL_WORDS or place.feature not in {"city", "locality"}:
        return True
    return (place.by_main_name or place.population >= OTHER_NAMED_CITY) and place.population >= FOUNDER_TOWN


# "İstanbul Atatürk International Airport", "Paris Charles de Gaulle Airport": a large city opens the name of
# its airport; a small town's name there is more often a person's ("John Wayne Airport")
AIRPORT_CITY = 100_000


def narrowed(document: str, gazetteer: Gazetteer, mentions: list[tuple[int, Mention]],
             found: dict[str, list[GazetteerPlace]], demonyms: frozenset[str]) -> dict[int, Mention]:
    """Candidates the gazetteer does not know whole, cut down to the place they start with.

    A sentence's first capitalised run takes its article ("The NSW government"), a French area keeps
    its area word ("État de Washington", "Région de Tillabéri"), and a place often heads the name of
    its office or body ("Queensland Premier", "Auckland Regional"); the place is the longest leading part
    the gazetteer knows that ends before such a head word, and that names a place by its own name
    ("Duke University" is not Erwin, which GeoNames also calls Duke), or a state named with its area
    word ("California State Senator Joe Dunn"). A nationality before an area is left out ("the
    Sudanese Warab state", "the Afghan Helmand province"). Returns the replacement mention for each
    index it cut (the new key is added to `found`).
    """
    options: dict[int, list[Span]] = {}
    spans_after_nationality: list[tuple[int, Span]] = []
    airports: list[tuple[int, Span]] = []  # the first words of an airport's name, longer first
    heads: dict[int, str] = {}  # the word after each cut: "Vanderbilt University" is cut before "university"
    directional: set[int] = set()
    valleys: set[int] = set()
    for index, mention in mentions:
        if place_key(mention.span.text) in found:
            continue
        text, start = mention.span.text, mention.span.start
        article = LEADING_DETERMINER.match(text)
        if article:
            text, start = text[article.end():], start + article.end()
        words = list(re.finditer(r"\S+", text))
        if len(words) >= 2 and place_key(words[0].group()) in demonyms:  # "Sudanese Warab"
            spans_after_nationality.append((index, Span(start + words[1].start(), mention.span.end,
                                                        text[words[1].start():])))
        if len(words) >= 3 and place_key(words[-1].group()) == "airport":  # "İstanbul Atatürk International Airport"
            airports.extend((index, Span(start, start + words[k].end(), text[:words[k].end()])) for k in (1, 0))
        ends = [len(text)] if article and words else []
        ends += [words[k - 1].end() for k in range(len(words) - 1, 0, -1)
                 if place_key(words[k].group()) in HEAD_WORDS
                 and not _names_no_place(place_key(words[k - 1].group()), place_key(words[k].group()))]
        spans = [Span(start, start + end, text[:end]) for end in ends]
        heads.update((start + words[k - 1].end(), place_key(words[k].group())) for k in range(1, len(words)))
        direction = LEADING_DIRECTION.match(text)
        if direction and len(words) >= 2:  # "Northern Sydney": Sydney, and the cue reads the direction
            spans.append(Span(start + direction.end(), mention.span.end, text[direction.end():]))
            directional.add(index)
        valley = VALLEY_AFTER.search(text)
        if valley and len(words) >= 2:  # "Salinas Valley": around Salinas, at a coarser precision
            spans.append(Span(start, start + valley.start(), text[:valley.start()]))
            valleys.add(index)
        if spans:
            options[index] = spans
    if not options and not spans_after_nationality and not airports:
        return {}
    # "California State" before "Senator": the state the gazetteer knows by its bare name
    stems = {" ".join(place_key(s.text).split()[:-1]) for spans in options.values() for s in spans
             if len(s.text.split()) >= 2 and place_key(s.text).split()[-1] in AREA_WORDS}
    known = gazetteer.lookup({span.text for spans in options.values() for span in spans}
                             | {span.text for _, span in (*spans_after_nationality, *airports)} | stems)

    def area_stem(span: Span) -> bool:
        words = place_key(span.text).split()
        return len(words) >= 2 and words[-1] in AREA_WORDS and any(
            p.by_main_name and p.feature in {"admin1", "admin2", "admin"} for p in known.get(" ".join(words[:-1]), []))

    out: dict[int, Mention] = {}
    by_index = dict(mentions)

    def take(index: int, span: Span) -> None:
        """The mention cut to `span`, a known place, instead of any cut `options` offered."""
        found.setdefault(place_key(span.text), known[place_key(span.text)])
        flags = tuple(f for f in by_index[index].candidates if f != "sentence-start")
        out[index] = dataclasses.replace(by_index[index], span=span, candidates=flags)
        options.pop(index, None)

    for index, span in spans_after_nationality:
        # only an area by its own name that the text calls an area: "French Milan and HOT missiles" name
        # weapons (Milan is a province too), "Dutch Harbor" a port
        areas = [p for p in known.get(place_key(span.text), [])
                 if p.by_main_name and p.feature in {"admin1", "admin2", "admin"}]
        if areas and names_an_area(document, span.start, span.end):
            take(index, span)
    for index, span in airports:  # an airport named after its city and a person: the city, if a large one
        if index not in out and any(p.by_main_name and p.feature in {"city", "locality"}
                                    and p.population >= AIRPORT_CITY for p in known.get(place_key(span.text), [])):
            take(index, span)
    for index, spans in options.items():
        # a known place, or an area the article hid ("A Dallas County") for `areas_by_stem` to find
        span = next((s for s in spans if any(p.by_main_name and _names_the_body(p, heads.get(s.end, ""))
                                             for p in known.get(place_key(s.text), []))
                     or (s is spans[0] and s.start != by_index[index].span.start and index not in directional
                         and place_key(s.text).split()[-1] in AREA_WORDS | BODY_WORDS)
                     # "Michigan State University" is the university's name, as "University of Texas" is
                     or (s.end != by_index[index].span.end and area_stem(s) and heads.get(s.end) not in SCHOOL_WORDS)),
                    None)
        if span is not None and index in directional and span is spans[-1] \
                and not any(p.by_main_name and (p.population >= 100_000 or p.feature not in {"city", "locality"})
                            for p in known.get(place_key(span.text), [])):
            continue  # "Western Union", "Northern Fleet": only a large place or an area reads as "northern X"
        if span is not None and index in valleys and span is spans[-1] \
                and not any(p.by_main_name and p.feature not in {"country", "continent", "locality"}
                            for p in known.get(place_key(span.text), [])):
            continue  # "Jordan Valley", "Silicon Valley": only a town or an area of that very name (`decide`)
        if span is None:
            continue
        if place_key(span.text) in known:
            found.setdefault(place_key(span.text), known[place_key(span.text)])
        mention = by_index[index]
        flags = mention.candidates if span.start == mention.span.start else \
            tuple(f for f in mention.candidates if f != "sentence-start")
        if index in valleys and span is spans[-1]:
            flags = (*flags, "valley")
        out[index] = dataclasses.replace(mention, span=span, candidates=flags)
    return out


# "le Plateau central", "la Vallée centrale": French puts an area's adjective after its noun, in
# lower case, where the capitalised run that a name is read from stops
LOWER_WORD_AFTER = re.compile(r" ([a-zàâçéèêëîïôöûùüÿœ]{3,20})\b")


def lengthened(text: str, gazetteer: Gazetteer, mentions: list[tuple[int, Mention]],
               found: dict[str, list[GazetteerPlace]]) -> dict[int, Mention]:
    """Mentions that the lower-case word after them completes into the name of an area the gazetteer
    knows by that name ("le Plateau central" is Haiti's Centre department, not Plateau, Nigeria).
    Returns the longer mention for each index it lengthened (the new key is added to `found`)."""
    longer: dict[int, Span] = {}
    for index, mention in mentions:
        after = LOWER_WORD_AFTER.match(text, mention.span.end)
        # not "The first", "The territory", nor an area word in lower case ("the Eastern province of
        # Prince Edward Island" is no Eastern Province), which `areas_by_stem` reads when it is a name
        if after and place_key(mention.span.text) not in DETERMINERS and after.group(1) not in AREA_WORDS:
            longer[index] = Span(mention.span.start, after.end(), text[mention.span.start:after.end()])
    if not longer:
        return {}
    known = gazetteer.lookup({span.text for span in longer.values()})
    out: dict[int, Mention] = {}
    by_index = dict(mentions)
    for index, span in longer.items():
        areas = [p for p in known.get(place_key(span.text), [])
                 if p.by_main_name and p.feature in {"admin1", "admin2", "admin"}]
        if areas:
            found[place_key(span.text)] = areas
            out[index] = dataclasses.replace(by_index[index], span=span)
    return out


# "CDC Atlanta", "SOS Children's Village Malakal", "MSF Brussels": a body's name that opens with its
# acronym and ends with the city its branch or office is in. Read back from the name to the run's first
# word: capitalised words, possessives ("Children's") and one linking word ("de", "of") at most.
ACRONYM = re.compile(r"[A-Z]{2,6}")
RUN_WORD = re.compile(r"(?<![\w'’-])(?:[A-Z][\w'’-]*+|de|of|du|des)\s++$")  # possessive: linear scans
RUN_WORDS = 6  # how far back a body's name may open: "SOS Children's Village" is three words
BRANCH_CITY = 100_000  # only a large city by its own name: "AC Milan", not "IS Khorasan" nor a hamlet


def branches(text: str, gazetteer: Gazetteer, mentions: list[tuple[int, Mention]],
             found: dict[str, list[GazetteerPlace]]) -> dict[int, Mention]:
    """Mentions the gazetteer does not know whole that end a body's name with a large city: the
    name opens with the body's acronym, in the mention or just before it ("CDC Atlanta", "SOS
    Children's Village Malakal"), and its last one or two words are a city of ≥ `BRANCH_CITY`
    people by its own name. That city is where the body's branch is: a place named in the text.
    Returns the cut mention (the city's words) for each index it cut (the key is added to `found`)."""
    tails: dict[int, list[Span]] = {}
    for index, mention in mentions:
        words = list(re.finditer(r"\S+", mention.span.text))
        if len(words) < 2 or place_key(mention.span.text) in found or not _opens_with_acronym(text, mention):
            continue
        tails[index] = [Span(mention.span.start + w.start(), mention.span.end, mention.span.text[w.start():])
                        for w in words[-2:][::-1] if w.start() > 0][::-1]
    if not tails:
        return {}
    known = gazetteer.lookup({span.text for spans in tails.values() for span in spans})
    out: dict[int, Mention] = {}
    by_index = dict(mentions)
    for index, spans in tails.items():
        for span in spans:  # the longer tail first: "… Village Port Sudan" is Port Sudan
            cities = [p for p in known.get(place_key(span.text), []) if p.by_main_name
                      and p.feature in {"city", "locality"} and p.population >= BRANCH_CITY]
            if cities:
                found.setdefault(place_key(span.text), cities)
                flags = tuple(f for f in by_index[index].candidates if f not in {"sentence-start", "locative"})
                out[index] = dataclasses.replace(by_index[index], span=span, candidates=flags)
                break
            if span is not spans[-1] and known.get(place_key(span.text)):
                break  # "l'aéroport JFK de New York": "York" is the end of a longer name the index knows
    return out


def _opens_with_acronym(text: str, mention: Mention) -> bool:
    """Whether the capitalised run a mention ends opens with an acronym ("CDC", "SOS"), in the mention
    itself or within `RUN_WORDS` words before it."""
    first = mention.span.text.split()[0]
    if ACRONYM.fullmatch(first):
        return True
    position = mention.span.start
    for _ in range(RUN_WORDS):
        word = RUN_WORD.search(text, max(0, position - 40), position)
        if word is None:
            return False
        if ACRONYM.fullmatch(word.group(0).rstrip()):
            return True
        position = word.start()
    return False


# "l'aéroport Modibo-Keïta de Bamako", "l'aéroport international Modibo Keïta de Bamako": French joins an
# airport's own name, most often a person's, to the town it serves with "de", and the capitalised run
# reads the whole as one name, as it reads "Charles de Gaulle". Only right after "aéroport": "l'aéroport
# de Paris-Charles de Gaulle" names its town first.
#: "l'aéroport", "l'aéroport international": what opens a French airport's name, ending where the name starts
AEROPORT = r"\ba[ée]roport\s++(?:(?:international|régional|militaire)\s++)?"
AIRPORT_NAME_BEFORE = re.compile(AEROPORT + "$", re.I)
SERVED_AFTER = re.compile(r"\sde\s++")
# "l'aéroport de Paris-Charles de Gaulle", "l'aéroport de Lyon-Saint Exupéry": after "aéroport de" the town
# comes first and the hyphen joins the airport's own name, a person's, to it
SERVED_BEFORE_HYPHEN = re.compile(AEROPORT + r"(?:de\s++|d['’]\s*+)$", re.I)
# "Paris-Charles de Gaulle Airport", "Lyon-Saint Exupéry airport": the same name, read in English, with
# "Airport" after the name or ending it
AIRPORT_AFTER_HYPHENED = re.compile(r"\s++(?:International\s++)?Airport\b", re.I)
AIRPORT_ENDING = re.compile(r"\sAirport$", re.I)


def airport_towns(text: str, gazetteer: Gazetteer, mentions: list[tuple[int, Mention]],
                  found: dict[str, list[GazetteerPlace]]) -> dict[int, Mention]:
    """Mentions the gazetteer does not know whole that follow "aéroport" and end with "de" and a town
    it knows: the town the airport serves, which is the place the text names; the airport's own name
    before it is no place. After "aéroport de" the town comes first, before a hyphen
    ("Paris-Charles de Gaulle"), as it does before "Airport" in English. Returns the cut mention (the
    town's words) for each index it cut (the key is added to `found`)."""
    tails: dict[int, list[Span]] = {}  # the town's words each mention may be cut to, longer first
    # a part before a hyphen must be a town's own name: "Roissy-Charles de Gaulle" is not Roissy-en-Brie,
    # which GeoNames also calls Roissy, 25 km from the airport
    hyphened: set[int] = set()
    for index, mention in mentions:
        start, written = mention.span.start, mention.span.text
        if place_key(written) in found:
            continue
        if "-" in written and (SERVED_BEFORE_HYPHEN.search(text, max(0, start - 40), start)
                               or AIRPORT_AFTER_HYPHENED.match(text, mention.span.end)
                               or AIRPORT_ENDING.search(written)):
            # "Saint-Denis-Pierrefonds": the longest part before a hyphen that names a town
            hyphens = [m.start() for m in re.finditer("-", written) if m.start() > 0][::-1]
            tails[index] = [Span(start, start + cut, written[:cut]) for cut in hyphens]
            hyphened.add(index)
            continue
        if not AIRPORT_NAME_BEFORE.search(text, max(0, start - 30), start):
            continue
        joiners = list(SERVED_AFTER.finditer(written))
        if joiners and joiners[-1].end() < len(written):  # the town after the last "de"
            cut = joiners[-1].end()
            tails[index] = [Span(start + cut, mention.span.end, written[cut:])]
    if not tails:
        return {}
    known = gazetteer.lookup({span.text for spans in tails.values() for span in spans})
    out: dict[int, Mention] = {}
    by_index = dict(mentions)
    for index, spans in tails.items():
        span = next((s for s in spans if any(p.feature in {"city", "locality"}
                                             and (p.by_main_name or index not in hyphened)
                                             for p in known.get(place_key(s.text), []))), None)
        if span is not None:
            found.setdefault(place_key(span.text), known[place_key(span.text)])
            flags = tuple(f for f in by_index[index].candidates if f != "sentence-start")
            out[index] = dataclasses.replace(by_index[index], span=span, candidates=flags)
    return out
