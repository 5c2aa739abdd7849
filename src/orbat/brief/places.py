"""Coordinates for names a map needs but observations do not carry, and reference points.

Route origins and transit points are stored as names ("Syria", "Conakry", "Hmeimim"); the map
needs a point for each. Installations come from our catalog, countries from the gazetteer at the
point extraction gives them (`orbat.gazetteer.country_point`), towns from the gazetteer: all offline. The
country's own installations and largest towns are drawn as grey reference points so a reader
can place a sighting without a basemap.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from orbat.catalog import load_catalogs
from orbat.model import GazetteerPlace
from orbat.normalize import fold

if TYPE_CHECKING:
    from orbat.gazetteer import Gazetteer

LatLon = tuple[float, float]


@cache
def _installation_index() -> dict[str, LatLon]:
    index: dict[str, LatLon] = {}
    for entry in load_catalogs().installations.values():
        for name in (entry.name, *entry.aliases):
            index.setdefault(fold(name), (entry.lat, entry.lon))
    return index


@cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, entry in load_catalogs().countries.items():
        for name in (code, entry.name, *entry.aliases):
            index.setdefault(fold(name), code)
    return index


def _gazetteer() -> Gazetteer:
    from orbat.gazetteer import Gazetteer
    from orbat.settings import Settings

    return Gazetteer(Settings().gazetteer_path)


def country_point(code: str) -> LatLon | None:
    """The country's point: the one extraction gave it (`orbat.gazetteer.country_point`)."""
    from orbat.gazetteer import country_point as pinned

    return pinned(code)


def _towns_named(name: str, country: str | None = None) -> list[GazetteerPlace]:
    gazetteer = _gazetteer()
    try:
        candidates = [p for found in gazetteer.lookup([name]).values() for p in found]
    finally:
        gazetteer.close()
    return [p for p in candidates if country is None or p.country == country]


def is_country(name: str) -> bool:
    """Whether a place name is a country's (a sighting placed there has no finer place)."""
    return fold(name.strip()) in _country_index()


def country_code_of(name: str) -> str | None:
    """The ISO code when a place name is a country's, else None."""
    return _country_index().get(fold(name.strip()))


def locate(name: str) -> LatLon | None:
    """A point for a place name: installation, then country, then the most populous town."""
    key = fold(name.strip())
    if not key:
        return None
    if key in _installation_index():
        return _installation_index()[key]
    if key in _country_index():
        return country_point(_country_index()[key])
    towns = _towns_named(name)
    return (towns[0].lat, towns[0].lon) if towns else None


def installations(codes: list[str], limit: int = 15) -> list[tuple[str, float, float]]:
    """The catalog's installations in these countries: (name, lat, lon)."""
    wanted = {c.upper() for c in codes}
    found = [(e.name, e.lat, e.lon) for e in load_catalogs().installations.values() if e.country in wanted]
    return found[:limit]


def towns(codes: list[str], per_country: int = 6) -> list[GazetteerPlace]:
    """The largest towns of each country, from the gazetteer."""
    gazetteer = _gazetteer()
    try:
        return [p for code in codes for p in gazetteer.largest(code.upper(), per_country)]
    finally:
        gazetteer.close()
