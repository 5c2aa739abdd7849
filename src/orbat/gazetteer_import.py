"""`orbat gazetteer import`: village-level places and ADM1/ADM2 names from GeoNames files.

Accepted files, plain or zipped: country dumps (`ML.txt`, `allCountries.txt`: 19 tab-separated
columns), `admin1CodesASCII.txt` and `admin2Codes.txt` (code, name, ASCII name, geoname id).
allCountries is about 1.5 GB unzipped, so lines are streamed and written in batches; nothing is
held in memory but one batch. Every file is imported into a private copy of the index that is
renamed over the old one only when all files went in, so a bad line, an interruption or a full
disk leaves the previous index as it was; a rerun simply starts again (ids are keys, so nothing
is ever doubled).
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from orbat.gazetteer import is_alternate, warn
from orbat.gazetteer_build import Row, area_stems, build_index, insert, open_scratch, scratch_copy

# GeoNames feature codes kept from dumps besides populated places and administrative areas:
# the military and airfield codes analysts care about.
KEPT_FEATURE_CODES = {"AIRB", "AIRF", "AIRP", "AIRH", "INSM", "MILB", "CMP", "NVB", "PRT"}
ADMIN_FEATURES = {"ADM1": "admin1", "ADM1H": "admin1", "ADM2": "admin2", "ADM2H": "admin2", "ADM3": "admin",
                  "ADM4": "admin", "ADMD": "admin", "PCLI": "country", "PCLD": "country", "PCLIX": "country",
                  "PCLS": "country", "PCLF": "country", "TERR": "country"}
PROGRESS_EVERY = 200_000


class DumpError(ValueError):
    """A line that is not what a GeoNames file holds: the message names the file and the line."""


def import_files(index_path: Path, files: list[Path], progress: Callable[[str], None] = warn,
                 every: int = PROGRESS_EVERY) -> dict[str, int]:
    """Import every file into a copy of the index, then swap it in; returns places (or codes) per file.

    `progress` hears every `every` lines and at the end of each file; it may raise (Ctrl-C) to stop."""
    from orbat.gazetteer import is_current

    if not is_current(index_path):
        build_index(index_path)
    tmp = scratch_copy(index_path, "importing")
    counts: dict[str, int] = {}
    try:
        with contextlib.closing(open_scratch(tmp)) as db:
            for file in files:
                counts[str(file)] = _import_one(db, file, progress, every)
            _admin_places(db)
            db.commit()
        os.replace(tmp, index_path)
    finally:
        tmp.unlink(missing_ok=True)
    return counts


def _import_one(db: sqlite3.Connection, file: Path, progress: Callable[[str], None], every: int) -> int:
    count = 0
    source = f"import:{file.name}"
    for label, lines in _text_members(file):
        kind = ""
        batch: list[tuple[Row, set[str]]] = []
        number = 0
        for number, fields in lines:
            kind = kind or _kind(label, number, fields)
            if number % every == 0:
                progress(f"{label}: {number:,} lines read")
            if kind == "admin":
                count += _insert_admin_line(db, label, number, fields)
                continue
            parsed = dump_row(label, number, fields)
            if parsed is not None and not _known_country(db, *parsed):
                batch.append(parsed)
            if len(batch) >= 5000:
                count += insert(db, batch, source)
                batch.clear()
        count += insert(db, batch, source)
        progress(f"{label}: {number:,} lines read")
    return count


def _known_country(db: sqlite3.Connection, row: Row, names: set[str]) -> bool:
    """A dump's country feature (PCLI…) for a country the index already has adds only its names.

    The index places every country by one convention (see `gazetteer_build`); GeoNames' own point
    for Mali, and its formal name "Republic of Mali", would otherwise replace them for the users who
    imported ML.txt, and a country would be drawn and named differently from one index to the next."""
    if row[5] != "country" or db.execute("SELECT 1 FROM places WHERE id = ? AND feature = 'country'",
                                         (row[0],)).fetchone() is None:
        return False
    db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, 0)", [(k, row[0]) for k in _keys(*names)])
    return True


def _kind(label: str, number: int, fields: list[str]) -> str:
    if len(fields) == 4 and fields[0].count(".") in (1, 2):
        return "admin"
    if len(fields) >= 15:
        return "dump"
    raise DumpError(f"{label}:{number}: not a GeoNames dump line ({len(fields)} columns, need 19) "
                    f"nor an admin code line (4 columns)")


def _text_members(file: Path) -> Iterator[tuple[str, Iterator[tuple[int, list[str]]]]]:
    """(label, numbered lines) of a text file or of each .txt file inside a zip."""
    if not zipfile.is_zipfile(file):
        if file.suffix.lower() == ".zip":
            raise DumpError(f"{file}:1: not a readable zip archive (truncated or damaged)")
        with file.open("rb") as handle:
            yield str(file), _lines(str(file), handle)
        return
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DumpError(f"{file}:1: not a readable zip archive ({exc})") from None
    with archive:
        members = [m for m in archive.namelist() if m.lower().endswith(".txt") and "readme" not in m.lower()]
        if not members:
            raise DumpError(f"{file}:1: the zip archive holds no .txt file")
        for member in members:
            label = f"{file}!{member}"
            with archive.open(member) as handle:
                yield label, _lines(label, handle)


def _lines(label: str, handle: io.BufferedIOBase) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        for raw in handle:
            number += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise DumpError(f"{label}:{number}: not UTF-8 text") from None
            line = line.rstrip("\r\n")
            if line and not line.startswith("#"):
                yield number, line.split("\t")
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise DumpError(f"{label}:{number + 1}: the zip archive is truncated or damaged ({exc})") from None


def dump_row(label: str, number: int, fields: list[str]) -> tuple[Row, set[str]] | None:
    """One place from a dump line, or None for a feature we do not keep (streams, hills…)."""
    if len(fields) < 15:
        raise DumpError(f"{label}:{number}: not a GeoNames dump line ({len(fields)} columns, need 19)")
    try:
        lat, lon, population = float(fields[4]), float(fields[5]), int(fields[14] or 0)
    except ValueError:
        raise DumpError(f"{label}:{number}: bad latitude, longitude or population") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise DumpError(f"{label}:{number}: coordinates out of range ({lat}, {lon})")
    feature_class, code = fields[6], fields[7]
    if feature_class == "P":
        feature = "city" if population >= 10_000 else "locality"
    elif code in KEPT_FEATURE_CODES:
        feature = "installation"
    elif feature_class == "A" and code in ADMIN_FEATURES:
        feature = ADMIN_FEATURES[code]
    else:
        return None
    country = fields[8]
    admin1 = f"{country}.{fields[10]}" if fields[10] else ""
    admin2 = f"{admin1}.{fields[11]}" if admin1 and fields[11] else ""
    row = (f"geonames:{fields[0]}", fields[1], country, round(lat, 5), round(lon, 5), feature, population,
           admin1, admin2)
    names = {fields[1], fields[2], *(a for a in fields[3].split(",") if is_alternate(a))}
    if feature.startswith("admin"):
        names |= area_stems(fields[1]) | area_stems(fields[2])
    return row, names


def _insert_admin_line(db: sqlite3.Connection, label: str, number: int, fields: list[str]) -> int:
    if len(fields) != 4 or fields[0].count(".") not in (1, 2) or not fields[3].isdigit():
        raise DumpError(f"{label}:{number}: not an admin code line (code, name, ASCII name, geoname id)")
    db.execute("INSERT OR REPLACE INTO admins VALUES (?,?,?,?)",
               (fields[0], fields[1], fields[2], f"geonames:{fields[3]}"))
    return 1


def _admin_places(db: sqlite3.Connection) -> None:
    """Give every ADM1/ADM2 code a place: GeoNames' own feature when a dump brought it, else the
    mean position of the places filed under the code (a centroid good enough to draw and rank)."""
    rows = db.execute("SELECT code, name, ascii, place_id FROM admins").fetchall()
    if not rows:
        return
    db.execute("CREATE INDEX IF NOT EXISTS places_admin1 ON places (admin1)")  # one look-up per code, not a scan
    db.execute("CREATE INDEX IF NOT EXISTS places_admin2 ON places (admin2)")
    for code, name, ascii_name, place_id in rows:
        level = "admin2" if code.count(".") == 2 else "admin1"
        column = "admin2" if level == "admin2" else "admin1"
        if db.execute("SELECT 1 FROM places WHERE id = ?", (place_id,)).fetchone() is None:
            lat, lon, n = db.execute(f"SELECT avg(lat), avg(lon), count(*) FROM places WHERE {column} = ? "
                                     "AND feature IN ('city', 'locality')", (code,)).fetchone()
            if not n:
                continue
            row = (place_id, name, code.split(".")[0], round(lat, 5), round(lon, 5), level, 0, "", "")
            insert(db, [(row, {name, ascii_name})], "admin-codes")
        else:
            db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, 0)",
                           [(k, place_id) for k in _keys(name, ascii_name)])


def _keys(*names: str) -> set[str]:
    from orbat.gazetteer import place_key

    return {place_key(n) for n in names if n and len(n) >= 2}
