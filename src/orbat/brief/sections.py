"""The words and tables of a brief, one builder per section, from a `Scope` of query answers.

Each builder returns a `Section` of plain strings and cites its evidence through `Notes`, so the
numbering of source notes follows the order a reader meets them. Likelihood cells use
`orbat.brief.certainty` (ICD 203 words, Admiralty credibility); the header's dagger points at the
footnote that explains the mapping.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from orbat.brief.certainty import estimate
from orbat.brief.content import Section, Table, TableRow
from orbat.brief.judgments import long_date, succession_events
from orbat.brief.scope import RANK, Notes, Scope
from orbat.catalog import load_catalogs
from orbat.model import ClaimFact
from orbat.query import ObservationRow, PostureRow

LIKELIHOOD = "Likelihood†"
OPERATOR_ROLES = ("operator", "recipient", "owner")
QUOTE_CHARS = 200
DISAGREEMENT_KINDS = {"count": "quantity", "recipient": "recipient", "origin": "origin", "denied": "denial"}


EVENT_ONLY = {
    "presence": "forces present (no system named)",
    "construction": "construction",
    "withdrawal": "withdrawal",
    "loss": "losses",
}


def plural(n: int, word: str) -> str:
    """ "1 source", "3 sources"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def quantity(low: int | None, high: int | None) -> str:
    """ "5–12", "7", or "" when no source gave a figure."""
    if low is None and high is None:
        return ""
    if low is None or high is None or low == high:
        return str(low if low is not None else high)
    return f"{low}–{high}"


def _where(row: ObservationRow) -> str:
    place, country = row.place_name, row.country
    return place if not country or place in (None, country) else f"{place} ({country})"


def _best(rows: Iterable[ObservationRow]) -> ObservationRow | None:
    """The best-attested row: a catalogued system before a class noun, then certainty and sources,
    then a sighting at a named place before one placed only at its country, then more outlets."""
    from orbat.brief.places import is_country

    return min(
        rows,
        key=lambda r: (
            r.catalog_id is None,
            RANK.get(r.certainty, 9),
            -r.independent_sources,
            not r.place_name or is_country(r.place_name),
            -r.publisher_count,
            r.first_seen or "",
        ),
        default=None,
    )


# --- headline --------------------------------------------------------------------------------


def headline(scope: Scope, notes: Notes) -> tuple[str, list[int]]:
    """One paragraph: how many first sightings, and the best attested one with its likelihood."""
    new = [r for r in scope.new if r.equipment_name]
    best = _best(new) or _best(r for r in scope.rows if r.equipment_name and r.event_group == "presence")
    if best is None:
        return (f"Sources in the knowledge base report no equipment for {scope.subject} on or after {scope.since}.", [])
    corroborated = sum(1 for r in new if r.independent_sources >= 2)
    if new:
        opening = (
            f"Since {scope.since}, sources report {plural(len(new), 'first sighting')} "
            f"({corroborated or 'none'} by two or more independent sources)."
        )
    else:
        opening = f"No system was seen for the first time since {scope.since}."
    label = best.equipment_name + (
        f" ({best.equipment_class})" if best.equipment_class and best.equipment_class != best.equipment_name else ""
    )
    sources = plural(best.independent_sources, "independent source")
    figure = quantity(best.quantity_min, best.quantity_max)
    text = (
        f"{opening} Best attested: {label} at {_where(best)}, first seen {best.first_seen}"
        f"{', ' + figure + ' reported' if figure else ''}, {sources}; "
        f"likelihood {estimate(best.certainty, best.independent_sources).long}."
    )
    return text, notes.cite(scope.facts([best.id]))


# --- what is new, what is there --------------------------------------------------------------


def new_section(scope: Scope, notes: Notes) -> Section:
    rows = [
        TableRow(
            [
                _first(r, scope),
                r.equipment_name or "",
                r.equipment_class or "",
                _where(r),
                figure(r, scope),
                str(r.independent_sources),
                estimate(r.certainty, r.independent_sources).short,
            ],
            notes.cite(scope.facts([r.id])),
        )
        for r in scope.new
    ]
    return Section(
        "new",
        f"New since {scope.since}",
        "Systems seen for the first time in a country on or after the date.",
        [Table(["First seen", "Equipment", "Class", "Where", "Quantity", "Sources", LIKELIHOOD], rows)],
        empty="No first sightings in this period.",
    )


def _first(r: ObservationRow, scope: Scope) -> str:
    """The event date; "reported on" when sources gave only their publication date."""
    detail = scope.details.get(r.id)
    dated_by_publication = detail is not None and detail.observation.dated_by_publication
    return f"reported on {r.first_seen}" if dated_by_publication and r.first_seen else r.first_seen or ""


def figure(r: ObservationRow, scope: Scope) -> str:
    """The count a brief prints for a sighting: its readings side by side, else its range."""
    detail = scope.details.get(r.id)
    if detail is not None and detail.observation.quantity_text:
        return detail.observation.quantity_text
    return quantity(r.quantity_min, r.quantity_max)


def _posture_row(p: PostureRow, notes: Notes, scope: Scope) -> TableRow:
    kept = [i for i in p.observation_ids if i in scope.details]
    figure = quantity(p.quantity_min, p.quantity_max)
    if len(kept) == 1 and scope.details[kept[0]].observation.quantity_text:
        figure = scope.details[kept[0]].observation.quantity_text or figure  # readings, never summed
    independent = p.independent_sources or p.sources
    return TableRow(
        [
            p.equipment,
            figure,
            p.first_seen or "",
            p.last_seen or "",
            str(p.observations),
            str(independent),
            estimate(p.certainty, independent).short,
            ", ".join(p.operators),
        ],
        notes.cite(scope.facts(p.observation_ids)),
    )


def _shown(p: PostureRow, scope: Scope) -> bool:
    """A class row whose every sighting folded into a named system is not a second sighting."""
    return not scope.folded or any(i not in scope.folded for i in p.observation_ids)


def equipment_section(scope: Scope, notes: Notes) -> Section:
    """Equipment by class (a country brief) or by country (a system brief), one table per group."""
    by_country = scope.kind == "equipment"
    headers = ["Equipment", "Quantity", "First seen", "Last seen", "Sightings", "Sources", LIKELIHOOD, "Operators"]
    tables = [
        Table(headers, [_posture_row(p, notes, scope) for p in rows if _shown(p, scope)], caption=group)
        for group, rows in sorted(scope.holdings.items())
    ]
    return Section(
        "equipment",
        "Equipment by country" if by_country else "Equipment by class",
        "Quantities run from the largest single sighting's lowest figure to the sum of every "
        "sighting's highest (figures read from one piece of evidence are never added); sources "
        "are independent primary sources, not the outlets that repeated them.",
        tables,
        empty="No equipment reported present in this period.",
    )


def infrastructure_section(scope: Scope, notes: Notes) -> Section:
    """Bases built or expanded: construction observations, with what the best source said."""
    rows = []
    for r in (r for r in scope.rows if r.event_group == "construction"):
        facts = scope.facts([r.id])
        quote = facts[0].sentence if facts else ""
        quote = quote if len(quote) <= QUOTE_CHARS else quote[: QUOTE_CHARS - 1].rstrip() + "…"
        rows.append(
            TableRow(
                [
                    r.first_seen or "",
                    _where(r),
                    quote,
                    str(r.independent_sources),
                    estimate(r.certainty, r.independent_sources).short,
                ],
                notes.cite(facts),
            )
        )
    return Section(
        "infrastructure",
        "Infrastructure",
        "Bases built or expanded (construction reports).",
        [Table(["Date", "Where", "What sources say", "Sources", LIKELIHOOD], rows)],
        empty="No construction reported in this period.",
    )


def route_level(facts: list[ClaimFact]) -> tuple[str, int]:
    """A route is as likely as its weakest leg: the least certain claim giving an origin or a stop.

    The sighting at the destination may be confirmed; that says nothing about how it came, so
    only the claims that state the route count, and competing origins cap it at roughly even chance.
    """
    legs = [f for f in facts if f.origin_name or f.transit]
    if not legs:
        return "speculative", 0
    weakest = max((f.certainty for f in legs), key=lambda c: RANK.get(c, 9))
    if len({f.origin_name for f in legs if f.origin_name}) > 1 and RANK.get(weakest, 9) < RANK["possible"]:
        weakest = "possible"
    return weakest, len({f.publisher for f in legs})


def routes_section(scope: Scope, notes: Notes) -> Section:
    rows = []
    for r in scope.routes:
        destination = ", ".join(x for x in (r.destination, r.country) if x)
        path = " → ".join([" / ".join(r.origins) or "?", *r.transit, destination or "?"])
        legs = [f for f in scope.facts([r.observation_id]) if f.origin_name or f.transit]
        level, sources = route_level(legs)
        rows.append(
            TableRow(
                [path, r.equipment or "", r.first_seen or "", str(sources), estimate(level, sources).short],
                notes.cite(legs),
            )
        )
    return Section(
        "routes",
        "Routes as sources state them",
        "Origin → transit → destination, each at the likelihood of its weakest leg (the least "
        "certain claim stating it), never at that of the sighting.",
        [Table(["Route", "Equipment", "First seen", "Sources", LIKELIHOOD], rows)],
        empty="No origin or transit reported in this period.",
    )


# --- who has it, who disagrees ---------------------------------------------------------------


@dataclass(slots=True)
class _Force:
    name: str
    catalog_id: str | None
    roles: set[str] = field(default_factory=set)
    systems: set[str] = field(default_factory=set)
    reported_as: set[str] = field(default_factory=set)
    observation_ids: list[str] = field(default_factory=list)


def succession(catalog_id: str | None, name: str, departures: dict[str, str] | None = None) -> str:
    """ "Africa Corps (claims about Wagner Group included; Wagner Group announced its departure on …)".

    A source's dated departure beats the catalog's succession date, which only says when the
    successor took over the name, not that the predecessor left: the two never contradict.
    """
    if not catalog_id:
        return name
    earlier = [a for a in load_catalogs().actors.values() if a.succeeded_by == catalog_id]
    if not earlier:
        return name
    departures = departures or {}
    parts = []
    for a in earlier:
        if a.name in departures:
            parts.append(f"{a.name}, which announced its departure on {departures[a.name]}")
        else:
            parts.append(a.name + (f", succeeded from {a.succession_date}" if a.succession_date else ""))
    return f"{name} (includes claims about {'; '.join(parts)})"


def operators_section(scope: Scope, notes: Notes) -> Section:
    """Who operates or receives what, rolled up to successors with the names sources used."""
    forces: dict[str, _Force] = {}
    for obs in scope.observations():
        for actor in obs.actors:
            if actor.role not in OPERATOR_ROLES:
                continue
            force = forces.setdefault(actor.catalog_id or actor.name, _Force(actor.name, actor.catalog_id))
            force.roles.add(actor.role)
            force.systems.add(obs.equipment_name or EVENT_ONLY.get(obs.event_group, obs.event_group))
            force.reported_as.update(n for n in actor.reported_as if n != actor.name)
            force.observation_ids.append(obs.id)
    departures = {e.force: long_date(e.date) for e in succession_events(scope)}
    rows = [
        TableRow(
            [
                succession(f.catalog_id, f.name, departures),
                ", ".join(sorted(f.roles)),
                ", ".join(sorted(f.systems)),
                ", ".join(sorted(f.reported_as)),
            ],
            notes.cite(scope.facts(f.observation_ids)),
        )
        for f in sorted(forces.values(), key=lambda f: (-len(f.observation_ids), f.name))
    ]
    return Section(
        "operators",
        "Who operates what",
        "Forces named as operator or recipient; a force that was renamed or absorbed shows "
        "under its successor, with the name sources used.",
        [Table(["Force", "Role", "Systems", "Reported as"], rows)],
        empty="No source names an operator or recipient.",
    )


def disagreements_section(scope: Scope, notes: Notes) -> Section:
    rows = []
    for obs in scope.observations():
        subject = f"{obs.equipment_name or obs.event_group} at {obs.place_name or obs.country or '?'}"
        for d in obs.disagreements:
            cited = [f for f in scope.facts([obs.id]) if f.claim_id in set(d.claim_ids)]
            rows.append(
                TableRow(
                    [subject, DISAGREEMENT_KINDS.get(d.kind, d.kind), "; ".join(d.values)],
                    notes.cite(cited, limit=len(d.values) + 1),
                )
            )
    return Section(
        "disagreements",
        "Where sources disagree",
        "Competing readings of the same observation, shown side by side and never averaged.",
        [Table(["Observation", "About", "Readings"], rows)],
        empty="Sources in scope do not contradict each other.",
    )
