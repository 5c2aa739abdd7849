"""Rich tables for `orbat extract`: what an analyst reads in a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from orbat.model import ExtractionRecord


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def print_record(record: ExtractionRecord) -> None:
    console = Console()
    doc = record.document
    console.print(f"[bold]{doc.title or doc.source.origin}[/bold]  published {doc.published or '?'}  "
                  f"{record.extractor}, catalog {record.catalog}", markup=True, highlight=False)
    by_kind: dict[str, Table] = {
        "equipment": _table("Equipment", "name", "catalog id", "class", "origin", "family", "mentions"),
        "equipment_class": _table("Equipment classes", "name", "mentions"),
        "place": _table("Places", "name", "country", "lat", "lon", "feature", "mentions"),
        "actor": _table("Actors", "name", "type", "country", "successor", "mentions"),
    }
    for e in record.entities:
        count = str(len(e.mentions))
        row = {"equipment": [e.name, e.catalog_id or "(unknown)", e.equipment_class, e.origin, e.family, count],
               "equipment_class": [e.name, count],
               "place": [e.name, e.country, _num(e.lat), _num(e.lon), e.feature, count],
               "actor": [e.name, e.actor_type, e.country, e.successor, count]}[e.kind]
        by_kind[e.kind].add_row(*[str(x) if x is not None else "" for x in row])
    for table in by_kind.values():
        if table.row_count:
            console.print(table)
    dates = _table("Dates", "value", "precision", "text")
    for d in record.dates:
        dates.add_row(d.value, d.precision, d.span.text)
    console.print(dates)
    console.print(_claims_table(record))


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _claims_table(record: ExtractionRecord) -> Table:
    names = {e.id: e.name for e in record.entities}
    table = _table("Claims", "event", "equipment", "place", "origin", "date", "certainty", "evidence", "sentence")
    for c in record.claims:
        systems = ", ".join(_with_quantity(names.get(e.entity, e.entity), e.quantity) for e in c.equipment + c.classes)
        table.add_row(c.event, systems, names.get(c.place or "", ""), names.get(c.origin or "", ""), c.date or "",
                      c.certainty, ", ".join(c.evidence), c.sentence.text[:160])
    return table


def _with_quantity(name: str, quantity) -> str:
    if quantity is None:
        return name
    if quantity.min is not None and quantity.min == quantity.max:
        return f"{'~' if quantity.approximate else ''}{quantity.min} {name}"
    low = "" if quantity.min is None else f"≥{quantity.min} "
    return f"{low}{name}" if not quantity.max or quantity.min is not None else f"≤{quantity.max} {name}"
