"""Page layout: what an infobox's place field and a footnote's list of places say.

Rules:
1. in a page about an operation or a mission (its title says so), the infobox's place field
   ("Localisation Drapeau de l'Irak Irak", "Lieu Sahel : Mauritanie, Mali, …", "Location: Iraq")
   and the lines that only carry on its list of places say where the operation's forces are: one
   presence claim per country;
2. a footnote that only lists places ("[1] Bulgarie, Estonie, Hongrie …") spells out the places of
   the fact its marker was set on ("huit bataillons multinationaux [1] déployés"): that fact again,
   once per place;
3. a row of a plain-text inventory table (`orbat.text_tables`) lists what a force holds: its
   system is present (a deployment, counted by the count column), the place named in the
   origin column is where the system came from, and the notes ("Assembled in Azerbaijan", "The
   first vessel was commissioned in 2017") neither place the holding nor make it another event.
"""

from __future__ import annotations

import re

from orbat.model import Claim, Cue, Entity, Mention, Span
from orbat.relate.views import SentenceView, State
from orbat.relate.vocabulary import _c, alt
from orbat.text_tables import Row

LOCATION_FIELD = _c(rf"^\s*{alt('location_labels')}(?:\s*:|\s+(?!of\b|de\b|du\b|des\b))")
OPERATION_TITLE = _c(rf"\b{alt('operation_words')}\b")
FOOTNOTE_START = re.compile(r"^\s*(\[\d{1,3}\])\s")
LIST_FILLER = _c(rf"[\W\d_]+|\b(?:{alt('location_labels')}|{alt('list_filler_words')})\b")


def _only_places(view: SentenceView, places: list[tuple[Mention, Entity]], skip: int = 0) -> bool:
    """The line holds nothing but place names and list words (flags, commas, "et", "and")."""
    text, start = view.sentence.text, view.sentence.start
    for mention, _ in places:
        a, b = mention.span.start - start, mention.span.end - start
        text = text[:a] + " " * (b - a) + text[b:]
    return not LIST_FILLER.sub("", text[skip:]).strip()


def _countries(places: list[tuple[Mention, Entity]]) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for _, entity in places:
        if entity.country and entity.feature == "country":
            seen.setdefault(entity.country, entity)
    return list(seen.values())


def infobox_places(
    view: SentenceView, places: list[tuple[Mention, Entity]], state: State, title: str | None
) -> list[Claim]:
    """Rule 1: the place field of an operation's infobox, and the lines that continue it."""
    if not title or not OPERATION_TITLE.search(title):
        return []
    if LOCATION_FIELD.match(view.sentence.text):
        state.location_field = True
    elif not (state.location_field and places and _only_places(view, places)):
        state.location_field = False
        return []
    sentence = Span(view.sentence.start, view.sentence.end, view.sentence.text)
    return [Claim("deployment", sentence, place=country.id, certainty="reported") for country in _countries(places)]


def footnote_places(view: SentenceView, places: list[tuple[Mention, Entity]], claims: list[Claim]) -> list[Claim]:
    """Rule 2: "[1] Bulgarie, Estonie, …" lists the places of the fact marked [1]."""
    start = FOOTNOTE_START.match(view.sentence.text)
    if start is None or not places or not _only_places(view, places, start.end()):
        return []
    marker = start.group(1)
    marked = [c for c in claims if marker in c.sentence.text and c.sentence.end <= view.sentence.start]
    if not marked:
        return []
    fact = marked[-1]
    sentence = Span(view.sentence.start, view.sentence.end, view.sentence.text)
    return [
        Claim(
            fact.event,
            sentence,
            equipment=list(fact.equipment),
            classes=list(fact.classes),
            actors=list(fact.actors),
            place=country.id,
            date=fact.date,
            date_precision=fact.date_precision,
            certainty=fact.certainty,
            attributed_to=fact.attributed_to,
        )
        for country in _countries(places)
    ]


def table_row(view: SentenceView, rows: list[Row]) -> Row | None:
    """Rule 3: the inventory-table row this line is, if any."""
    start = view.sentence.start
    return next((r for r in rows if r.start <= start < r.end), None)


def split_origin_column(row: Row | None, places: list[tuple[Mention, Entity]]
                        ) -> tuple[list[tuple[Mention, Entity]], list[tuple[Mention, Entity]]]:
    """Rule 3: a row's places that may place the holding (none: the place is the force's), and
    those of its origin column."""
    if row is None:
        return places, []
    a, b = row.cells.get("origin", (0, 0))
    return [], [(m, e) for m, e in places if a <= m.span.start and m.span.end <= b]


def row_cues(row: Row | None, cues: list[Cue]) -> list[Cue]:
    """Rule 3: a row's event words count only in its name column."""
    if row is None:
        return cues
    a, b = row.cells["name"]
    return [c for c in cues if c.kind != "event" or (a <= c.span.start and c.span.end <= b)]


def table_origins(made: list[Claim], origins: list[tuple[Mention, Entity]]) -> None:
    """Rule 3: the origin column gives each claim of the row its origin."""
    countries = [e for _, e in origins if e.country]
    if not countries:
        return
    for claim in made:
        if claim.origin is None and claim.place != countries[0].id:
            claim.origin = countries[0].id
