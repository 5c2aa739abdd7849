"""Formatting for the knowledge-base commands: Rich tables for people, JSON and CSV for scripts.

One `emit` serves every query so the three formats never drift: JSON is the dataclasses as they
are, CSV flattens them (lists joined with "; ", nested records as JSON) and defuses cells a
spreadsheet would run as formulas, and the table shows the columns an analyst reads first.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from orbat.spreadsheet import defuse

Column = tuple[str, Callable[[Any], Any]]


def as_data(value: Any) -> Any:
    """Dataclasses (and lists of them) to plain JSON-able values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list | tuple):
        return [as_data(v) for v in value]
    if isinstance(value, dict):
        return {k: as_data(v) for k, v in value.items()}
    return value


def echo_json(value: Any) -> None:
    click.echo(json.dumps(as_data(value), ensure_ascii=False, indent=2))


def csv_cell(value: Any) -> Any:
    """Flatten one value; strings a spreadsheet would evaluate get a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        if any(isinstance(v, dict) for v in value):
            return csv_cell(json.dumps(value, ensure_ascii=False))
        return csv_cell("; ".join(str(v) for v in value))
    if isinstance(value, dict):
        return csv_cell(json.dumps(value, ensure_ascii=False))
    return defuse(value)


def echo_csv(records: Sequence[dict[str, Any]], fieldnames: list[str] | None = None) -> None:
    names = fieldnames or (list(records[0]) if records else [])
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(names)
    for record in records:
        writer.writerow([csv_cell(record.get(name)) for name in names])


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def table(title: str, columns: Sequence[Column], rows: Sequence[Any], caption: str | None = None) -> Table:
    out = Table(title=title, title_justify="left", caption=caption, caption_justify="left")
    for header, _ in columns:
        out.add_column(header, overflow="fold")
    for row in rows:
        out.add_row(*(text(get(row)) for _, get in columns))
    return out


def emit(rows: Sequence[Any], columns: Sequence[Column], fmt: str, title: str,
         empty: str = "nothing found") -> None:
    """Print query results in the chosen format; an empty result says so in the table caption."""
    if fmt == "json":
        echo_json(list(rows))
    elif fmt == "csv":
        records = [as_data(r) for r in rows]
        fields = [f.name for f in dataclasses.fields(rows[0])] if rows else [h for h, _ in columns]
        echo_csv(records, fields)
    else:
        Console(highlight=False).print(table(title, columns, rows, None if rows else empty))


def quantity(low: int | None, high: int | None, headline: int | None = None) -> str:
    """"5–12 (5)": the range, and the headline figure when it differs from a single value."""
    if low is None and high is None:
        return ""
    span = str(low) if low == high or high is None else f"{low if low is not None else '?'}–{high}"
    return f"{span} ({headline})" if headline is not None and low != high and high is not None else span
