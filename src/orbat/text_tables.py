"""Inventory tables written as plain-text columns, as encyclopedia dumps and reports render them:

      Vessel       Origin    Type          In service   Notes
      ------------ --------- ------------- ------------ -------------------
      Shaldag      Israel    Go-fast boat  6[50]        Assembled abroad

A header line, a line of dash runs (one run per column), then one row per line up to a blank
line. Each column's role comes from its header word (`table_headers` in
`patterns/designations.json`): the system's name, its origin, the count in service. Extract
reads the name cell as a system even when the catalog lacks it; relate reads the origin cell as
the system's origin, not as the place the system is. Stages share only this reading of the text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

SEPARATOR = re.compile(r"^[ \t]*-{3,}(?:[ \t]+-{3,})+[ \t]*$", re.M)
DASH_RUN = re.compile(r"-{3,}")
FOOTNOTES = re.compile(r"(?:\[\d{1,3}\])+")
COUNT = re.compile(r"^~?\s*(\d{1,5})(?![\d,.])")
QUOTES = "'\"“”‘’` "
ROLES = ("name", "origin", "count")


@dataclass(slots=True)
class Row:
    """One row: its line's offsets and, by role, the cell's offsets with quotes, spaces and
    footnote markers trimmed (a cell with nothing left is absent)."""

    start: int
    end: int
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)
    count: int | None = None


@cache
def _headers() -> dict[str, frozenset[str]]:
    data = json.loads(resources.files("orbat.patterns").joinpath("designations.json").read_text(encoding="utf-8"))
    return {role: frozenset(w.lower() for w in data["table_headers"][role]) for role in ROLES}


def _role(header: str) -> str | None:
    words = " ".join(FOOTNOTES.sub("", header).lower().split())
    return next((role for role in ROLES if words in _headers()[role]), None)


def _trimmed(line: str, offset: int, a: int, b: int) -> tuple[int, int] | None:
    cell = line[a:b]
    cell = FOOTNOTES.sub(lambda m: " " * len(m.group(0)), cell)
    left = len(cell) - len(cell.lstrip(QUOTES))
    right = len(cell.rstrip(QUOTES))
    return (offset + a + left, offset + a + right) if right > left else None


def table_rows(text: str) -> list[Row]:
    """Every row of every plain-text table whose header names a name column."""
    rows: list[Row] = []
    if "---" not in text:
        return rows
    for sep in SEPARATOR.finditer(text):
        header_end = sep.start() - 1
        header_start = text.rfind("\n", 0, max(0, header_end)) + 1
        if header_end <= header_start:
            continue
        header = text[header_start:header_end]
        runs = [(m.start(), m.end()) for m in DASH_RUN.finditer(sep.group(0))]
        bounds = [(a, runs[i + 1][0] if i + 1 < len(runs) else 10_000) for i, (a, _) in enumerate(runs)]
        roles = {r: i for i, (a, b) in reversed(list(enumerate(bounds))) if (r := _role(header[a:b]))}
        if "name" not in roles:
            continue
        start = sep.end() + 1
        while start < len(text):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            line = text[start:end]
            if not line.strip():
                break
            row = Row(start, end)
            for role, i in roles.items():
                a, b = bounds[i]
                if (span := _trimmed(line, start, a, min(b, len(line)))) is not None:
                    row.cells[role] = span
            if "count" in row.cells and (m := COUNT.match(text[slice(*row.cells["count"])])):
                row.count = int(m.group(1))
            if "name" in row.cells:
                rows.append(row)
            start = end + 1
    return rows
