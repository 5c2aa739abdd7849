"""Exports: observations and records in the formats other tools read.

`export(store, fmt, filters, out)` selects once (`orbat.export.data.select`) and hands the same
observations to the writer of the chosen format, so every format agrees on what a filter means:

- `csv`     ACLED-style columns, Excel-safe (`orbat.export.acled`);
- `geojson` RFC 7946 points and route lines for QGIS (`orbat.export.geojson`);
- `kml`     Google Earth placemarks with time spans (`orbat.export.kml`);
- `stix`    a STIX 2.1 bundle, validated beyond what stix2 checks (`orbat.export.stix`);
- `jsonl`   one `orbat.extraction/1` record per document (`orbat.export.jsonl`).

`output(path)` writes a file all at once (a temporary file in the same folder, renamed when
complete), so a failed export never leaves half a file where a good one was.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from orbat.atomic import write_failed
from orbat.errors import InputError
from orbat.export.data import ExportFilters
from orbat.store import Store

FORMATS = ("csv", "geojson", "kml", "stix", "jsonl")

__all__ = ["FORMATS", "ExportFilters", "ExportSummary", "export", "output"]


@dataclass(slots=True)
class ExportSummary:
    """What was written: observations (and how many had no position), routes, documents, objects."""

    format: str
    observations: int = 0
    unlocated: int = 0
    places: int = 0
    routes: int = 0
    documents: int = 0
    objects: int = 0


def export(store: Store, fmt: str, filters: ExportFilters, out: BinaryIO) -> ExportSummary:
    """Write the observations (or records) the filters select to `out` in format `fmt`."""
    from orbat.export import acled, data, geojson, jsonl, kml, stix

    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    items = data.select(store, filters)
    summary = ExportSummary(fmt, len(items), sum(1 for i in items if i.point is None))
    if fmt == "csv":
        acled.write(items, out)
    elif fmt == "jsonl":
        summary.documents = jsonl.write(data.documents(store, items, filters), out)
    elif fmt == "stix":
        summary.objects = stix.write(items, out)
    else:
        places, routes = data.places(items), data.route_paths(store, items, filters)
        summary.places, summary.routes = len(places), len(routes)
        (geojson if fmt == "geojson" else kml).write(items, places, routes, out)
    return summary


@contextmanager
def output(path: str) -> Iterator[BinaryIO]:
    """A binary stream to `path` ("-" for stdout), replaced atomically when the block succeeds.

    The folder must exist: an export never creates directories the user did not name.
    """
    if path == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path).expanduser()
    if target.is_dir():
        raise InputError(f"{path}: is a folder; name the file to write")
    if not target.parent.is_dir():
        raise InputError(f"{path}: folder {target.parent} does not exist")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115  (closed below; renamed only on success)
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False)
    except OSError as exc:
        raise InputError(f"{path}: cannot write there ({exc.strerror or exc})") from None
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o666 & ~_umask())  # as an ordinary new file, not the temp file's 0600
        os.replace(handle.name, target)
    except OSError as exc:  # full disk, quota, file size limit: one line, the old file untouched
        Path(handle.name).unlink(missing_ok=True)
        raise write_failed(path, exc) from None
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
