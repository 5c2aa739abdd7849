"""Filter vocabularies for read queries: country names, class nouns, actor aliases, allowed values.

Why a module of its own: the API, the CLI and exports all filter observations, and a value that
can match nothing ("certainty=bogus", "class=tnak") must be refused the same way everywhere,
with the values that would have worked, rather than answering an empty list.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from orbat.errors import InputError
from orbat.model import CERTAINTY_ORDER

if TYPE_CHECKING:
    from orbat.query import Filters

__all__ = ["EVENTS", "InvalidFilter", "actor_names", "checked_filters", "class_name", "country_code"]


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 code from a code or a country name ("ml", "Mali", "Russie")."""
    from orbat.catalog import load_catalogs

    countries = load_catalogs().countries
    wanted = value.strip()
    if wanted.upper() in countries:
        return wanted.upper()
    folded = wanted.casefold()
    for code, entry in countries.items():
        if folded in (entry.name.casefold(), *(a.casefold() for a in entry.aliases)):
            return code
    raise InvalidFilter(f"unknown country {value!r}: give an ISO 3166-1 alpha-2 code such as ML or UA",
                        sorted(countries))


class InvalidFilter(InputError):
    """A filter value outside its vocabulary; `allowed` lists what would have been accepted."""

    def __init__(self, message: str, allowed: list[str]):
        super().__init__(message)
        self.allowed = allowed


EVENTS = ("presence", "deployment", "delivery", "transfer", "transport", "display", "exercise", "combat",
          "construction", "withdrawal", "loss", "order", "production")


def checked_filters(f: Filters) -> Filters:
    """Refuse values no observation can carry, so a typo reads as an error, not as "nothing found"."""
    certainty = f.certainty.strip().lower() if f.certainty else None
    if certainty and certainty not in CERTAINTY_ORDER:
        raise InvalidFilter(f"certainty {f.certainty!r} is not one of the certainty levels", list(CERTAINTY_ORDER))
    event = f.event.strip().lower() if f.event else None
    if event and event not in EVENTS:
        raise InvalidFilter(f"event {f.event!r} is not an event type", list(EVENTS))
    if f.since and f.until and f.since[:len(f.until)] > f.until:
        raise InvalidFilter(f"since {f.since} is after until {f.until}", [])
    return replace(f, certainty=certainty, event=event,
                   equipment_class=class_name(f.equipment_class) if f.equipment_class else None,
                   country=country_code(f.country) if f.country else None)


def class_name(value: str) -> str:
    """The catalog class name observations carry, from an id, a name or a noun ("tank" → main battle tank)."""
    from orbat.catalog import load_catalogs

    classes = load_catalogs().classes
    wanted = value.strip().lower()
    if wanted.replace("_", "-") in classes:
        return classes[wanted.replace("_", "-")].name
    for entry in classes.values():
        if wanted in (entry.name.lower(), *(n.lower() for n in entry.nouns)):
            return entry.name
    raise InvalidFilter(f"class {value!r} is not an equipment class", sorted(e.name for e in classes.values()))


def actor_names(value: str) -> list[str]:
    """The name searched, plus the catalog names its actor is reported under (aliases, successors).

    Observations list operators by the name they roll up to ("Wagner" → Africa Corps), so a search
    by a predecessor's alias must look for its successor's name as well.
    """
    from orbat.catalog import load_catalogs

    actors = load_catalogs().actors
    folded = value.strip().casefold()
    names = [value.strip()]
    for actor in actors.values():
        if folded not in (actor.id.casefold(), actor.name.casefold(), *(a.casefold() for a in actor.aliases)):
            continue
        seen = {actor.id}
        names.append(actor.name)
        while actor.succeeded_by in actors and actor.succeeded_by not in seen:
            actor = actors[actor.succeeded_by]
            seen.add(actor.id)
            names.append(actor.name)
    return list(dict.fromkeys(names))
