"""What a brief is about: the query answers for one country or one system since a date.

Every number comes from the read-side functions the CLI tables use (`posture`, `timeline`,
`new_sightings`, `routes`, `where`, `show`), so a brief never disagrees with `orbat posture`.
A country brief and a system brief differ only in how their `Scope` is read; the sections
(`orbat.brief.sections`) are built the same way from either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from orbat.brief.content import SourceNote
from orbat.catalog import load_catalogs
from orbat.errors import InputError, UserError
from orbat.merge import parse_day
from orbat.model import CERTAINTY_ORDER, ClaimFact, Observation
from orbat.query import (
    ObservationDetail,
    ObservationRow,
    PostureRow,
    RouteRow,
    country_code,
    new_sightings,
    posture,
    routes,
    show,
    timeline,
    where,
)
from orbat.store import Store
from orbat.store.read import facts_query, load_facts

MAX_DETAILED = 200  # observations read whole (`show`) per brief: bounds the time a large country takes
NOTES_PER_ROW = 3
RANK = {c: n for n, c in enumerate(CERTAINTY_ORDER)}


class Notes:
    """Source notes, numbered in the order the brief first cites them; one note per sentence."""

    def __init__(self) -> None:
        self.notes: list[SourceNote] = []
        self._numbers: dict[tuple[str, int], int] = {}

    def cite(self, facts: Iterable[ClaimFact], limit: int = NOTES_PER_ROW) -> list[int]:
        """Numbers for up to `limit` facts: strongest first, one per publisher before any repeat."""
        ordered = sorted(facts, key=lambda f: (RANK.get(f.certainty, 9), f.published or "9999"))
        publishers: set[str | None] = set()
        first, rest = [], []
        for fact in ordered:
            (rest if fact.publisher in publishers else first).append(fact)
            publishers.add(fact.publisher)
        return sorted({self._number(f) for f in (first + rest)[:limit]})

    def _number(self, fact: ClaimFact) -> int:
        key = (fact.document_id, fact.sentence_start)
        if key not in self._numbers:
            self._numbers[key] = len(self.notes) + 1
            self.notes.append(SourceNote(len(self.notes) + 1, fact.publisher, fact.published, fact.url,
                                         fact.title, fact.sentence, fact.certainty))
        return self._numbers[key]


@dataclass(slots=True)
class Scope:
    """The observations a brief is about, with the query answers its sections are built from.

    `holdings` groups posture rows: by class for a country, by country for a system.
    """

    kind: str  # country | equipment
    subject: str
    codes: list[str]
    since: str
    rows: list[ObservationRow]
    new: list[ObservationRow]
    holdings: dict[str, list[PostureRow]]
    routes: list[RouteRow]
    details: dict[str, ObservationDetail] = field(default_factory=dict)
    omitted: int = 0
    # Every claim of the documents in scope, wherever placed: "Wagner leaves Mali" may name no
    # place, and "no evidence links the convoy to Syria" may be placed in Syria.
    document_facts: list[ClaimFact] = field(default_factory=list)
    folded: set[str] = field(default_factory=set)  # class-level sightings folded into a named system

    def facts(self, ids: Iterable[str]) -> list[ClaimFact]:
        return [f for i in ids if i in self.details for f in self.details[i].claims]

    def observations(self) -> list[Observation]:
        return [d.observation for d in self.details.values()]


def on_or_after(value: str | None, since: str) -> bool:
    """Compare ISO dates at the value's own precision, as the queries do ("2025-01" ≥ "2025-01-17")."""
    return bool(value) and value >= since[:len(value)]


def default_since(rows: list[ObservationRow]) -> str:
    """Without --since: the whole record, from the earliest date any observation in scope has.

    A newcomer asking about a country wants what is known about it, not the last 90 days of
    whatever was reported last; `--since` or `--last` narrow it.
    """
    days = [d for r in rows if (d := parse_day(r.first_seen))]
    return (min(days) if days else date.today()).isoformat()[:4]


def since_last(text: str, today: date | None = None) -> str:
    """`--last 90d` (or 12w, 6m, 1y) as the ISO date it starts on."""
    value, unit = text.strip()[:-1], text.strip()[-1:].lower()
    days = {"d": 1, "w": 7, "m": 30, "y": 365}.get(unit)
    if days is None or not value.isdigit() or int(value) == 0:
        raise InputError(f"--last {text!r}: give a number and d, w, m or y (e.g. 90d)")
    return ((today or date.today()) - timedelta(days=int(value) * days)).isoformat()


def country_name(code: str) -> str:
    entry = load_catalogs().countries.get(code)
    return entry.name if entry else code


def _read_details(store: Store, scope: Scope) -> None:
    """Read whole (`show`) the observations the sections cite first, up to MAX_DETAILED."""
    wanted = [*(r.id for r in scope.new), *(i for rows in scope.holdings.values() for p in rows
                                            for i in p.observation_ids),
              *(r.observation_id for r in scope.routes), *(r.id for r in scope.rows)]
    unique = list(dict.fromkeys(wanted))
    for obs_id in unique[:MAX_DETAILED]:
        scope.details[obs_id] = show(store, obs_id)
    scope.omitted = max(0, len(unique) - MAX_DETAILED)
    documents = sorted({d for detail in scope.details.values() for d in detail.observation.document_ids})
    with store.engine.connect() as conn:
        scope.document_facts = [f for d in documents for f in load_facts(conn, facts_query(document_id=d))]


def country_scope(store: Store, country: str, since: str | None) -> Scope:
    """Everything seen in one country since a date."""
    code = country_code(country)
    since = since or default_since(timeline(store, code))
    holdings: dict[str, list[PostureRow]] = {}
    for row in posture(store, code, since):
        holdings.setdefault(row.equipment_class or "unclassified", []).append(row)
    scope = Scope("country", country_name(code), [code], since, rows=timeline(store, code, since),
                  new=new_sightings(store, since, code), holdings=holdings,
                  routes=[r for r in routes(store, code) if on_or_after(r.last_seen, since)])
    _read_details(store, scope)
    return scope


def equipment_scope(store: Store, equipment: str, since: str | None) -> Scope:
    """Everywhere one system (or every variant of a family) was seen since a date.

    Construction at the places the system was seen stays in scope: a base built where the
    tanks are is part of their story.
    """
    places = where(store, equipment)
    if not places:
        raise UserError(f"no sighting of {equipment} in the database (see `orbat where {equipment}`)")
    systems = {s for p in places for s in p.systems}
    codes = sorted({p.country for p in places if p.country})
    everything = [r for c in codes for r in timeline(store, c)]
    seen_at = {r.place_name for r in everything if r.equipment_name in systems}
    since = since or default_since([r for r in everything if r.equipment_name in systems])
    rows = [r for r in everything if on_or_after(r.last_seen, since) and (
        r.equipment_name in systems or (r.event_group == "construction" and r.place_name in seen_at))]
    holdings = {country_name(c): found for c in codes
                if (found := [p for p in posture(store, c, since) if p.equipment in systems])}
    scope = Scope("equipment", equipment.strip(), codes, since, rows=rows,
                  new=[r for r in new_sightings(store, since) if r.equipment_name in systems], holdings=holdings,
                  routes=[r for r in routes(store) if r.equipment in systems and on_or_after(r.last_seen, since)])
    _read_details(store, scope)
    return scope
