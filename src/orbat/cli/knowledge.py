"""Knowledge-base commands: ingest, stats, posture, where, timeline, new, routes, show, reprocess.

Each command parses its input, calls one function of `orbat.ingest` or `orbat.query`, and
formats the answer (`orbat.cli.knowledge_render`). The database is `./orbat.db` unless `--db`
or `ORBAT_DB` names another SQLite file or a `postgresql://` URL.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import click

from orbat.cli import main

FORMATS = click.Choice(["table", "json", "csv"])


def db_option(func: Callable) -> Callable:
    return click.option("--db", default="orbat.db", envvar="ORBAT_DB", show_default=True,
                        help="SQLite file or postgresql:// URL (env ORBAT_DB).")(func)


def format_option(func: Callable) -> Callable:
    return click.option("--format", "fmt", type=FORMATS, default="table", show_default=True,
                        help="Rich table, or JSON / CSV for scripts.")(func)


def open_db(db: str, create: bool = False):
    """Open the store; a query never creates a database file as a side effect of a typo."""
    from orbat.errors import UserError
    from orbat.store import open_store

    if not create and "://" not in db and not Path(db).expanduser().exists():
        raise UserError(f"no database at {db}: run `orbat ingest SOURCES --db {db}` first")
    return open_store(db)


def check_date(value: str | None, option: str) -> str | None:
    """ISO dates at any precision (2025, 2025-01, 2025-01-17); anything else is refused."""
    from orbat.errors import InputError
    from orbat.merge import parse_day

    if value is not None and (parse_day(value) is None or len(value) not in (4, 7, 10)):
        raise InputError(f"{option} {value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


# --- ingest and reprocess --------------------------------------------------------------------


def strict_option(func: Callable) -> Callable:
    return click.option("--strict", is_flag=True,
                        help="Exit 1 if any source fails (default: 0 with a warning when others succeed).")(func)


@main.command("ingest")
@click.argument("targets", nargs=-1, required=True)
@db_option
@format_option
@strict_option
@click.option("--follow-symlinks", is_flag=True,
              help="In folders, also read files and folders behind symbolic links (skipped by default).")
def ingest_command(targets: tuple[str, ...], db: str, fmt: str, strict: bool, follow_symlinks: bool) -> None:
    """Acquire, extract and store TARGETS: files, folders, URLs, feeds, JSONL/CSV corpora, - (stdin)."""
    from orbat.ingest import ingest
    from orbat.settings import Settings

    settings = Settings()
    settings.follow_symlinks = follow_symlinks
    with open_db(db, create=True) as store:

        def run(on_result, advance) -> None:
            for target in targets:  # one call per target so the bar moves as targets finish
                ingest([target], store, settings, on_result)
                advance()

        results = _with_progress(len(targets), "ingest", run, fmt)
        _finish(store, results, fmt, strict, targets)


@main.command("reprocess")
@db_option
@format_option
@strict_option
def reprocess_command(db: str, fmt: str, strict: bool) -> None:
    """Re-extract stored documents with the current catalogs; old claims keep their versions."""
    from orbat.ingest import ingest_one
    from orbat.pipeline import extract_source
    from orbat.settings import Settings

    settings = Settings()
    with open_db(db) as store:
        documents = store.documents()
        if not documents:
            from orbat.errors import UserError

            raise UserError("the database holds no documents to reprocess")

        changes: list[dict] = []

        def run(on_result, advance) -> None:
            for info in documents:
                before = _claim_lines(store, info.id)
                result = ingest_one(_stored_source(store, info), store, settings, extract_source)
                if result.status == "failed":
                    store.record_error(result.origin, result.external_id, result.reason or "failed")
                elif result.status == "reprocessed":
                    changes.append(_claim_diff(info, before, _claim_lines(store, info.id)))
                on_result(result)
                advance()

        results = _with_progress(len(documents), "reprocess", run, fmt)
        _finish(store, results, fmt, strict, changes=changes)


def _claim_lines(store, document_id: str) -> Counter[str]:
    """The document's latest claims as one readable line each (ids differ between runs, facts do not)."""
    lines: Counter[str] = Counter()
    for fact in store.facts(document_id=document_id):
        count = "" if fact.quantity_min is None else f" ×{fact.quantity_min}" + (
            f"-{fact.quantity_max}" if fact.quantity_max not in (None, fact.quantity_min) else "")
        lines[f"{fact.event} {fact.equipment_name or fact.equipment_class or '-'}{count} @ {fact.place_name or '-'}"
              f" {fact.date or 'undated'} ({fact.certainty}) [{fact.sentence_start}]"] += 1
    return lines


def _claim_diff(info, before: Counter[str], after: Counter[str]) -> dict:
    """What re-extraction changed in one document: claims kept, gained and lost (RELIABILITY row 31)."""
    gained, lost = after - before, before - after
    return {"document_id": info.id, "origin": info.origin, "kept": sum((before & after).values()),
            "gained": sum(gained.values()), "lost": sum(lost.values()),
            "gained_claims": sorted(gained.elements()), "lost_claims": sorted(lost.elements())}


def _stored_source(store, info):
    """The raw capture of a stored document, as acquire first handed it over."""
    from orbat.model import SourceDocument

    stored = store.document(info.id)
    return SourceDocument(raw=store.capture(info.id) or b"", content_type=stored.content_type,
                          origin=info.origin, url=info.url, title=info.title, publisher=info.publisher,
                          published=info.published, language=info.language, retrieved=info.retrieved,
                          external_id=info.external_id)


def _with_progress(total: int, verb: str, work: Callable, fmt: str) -> list:
    """Run `work(on_result, advance)` under a Rich progress bar on stderr; return the results."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    results: list = []
    out = Console(highlight=False)
    err = Console(stderr=True)
    with Progress(TextColumn(f"{verb} [progress.description]{{task.description}}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as progress:
        task = progress.add_task("", total=total)

        def on_result(result) -> None:
            results.append(result)
            progress.update(task, description=f"{len(results)} sources")
            if fmt == "table":
                out.print(_result_line(result))

        work(on_result, lambda: progress.advance(task))
    return results


def _result_line(result) -> str:
    from rich.markup import escape

    mark = {"new": "[green]new[/]", "reprocessed": "[cyan]reprocessed[/]", "duplicate": "[dim]duplicate[/]",
            "failed": "[red]failed[/]"}[result.status]
    detail = f"{result.claims} claims" if result.status != "failed" else escape(result.reason or "")
    return f"{mark:<24} {escape(result.origin)}  {detail}"


def _finish(store, results: list, fmt: str, strict: bool = False, targets: tuple[str, ...] = (),
            changes: list[dict] | None = None) -> None:
    """Summary (after the observation index is brought up to date) and the exit status.

    Failed sources are in the summary, the result lines and `ingest_errors`. A record that
    fails inside a corpus, feed or folder only warns; the run fails (exit 1) under `--strict`,
    when a target named on the command line failed as a whole, or when nothing came through.
    """
    from orbat.cli.knowledge_render import as_data, echo_csv, echo_json, table
    from orbat.ingest import IngestSummary
    from orbat.observation_index import ensure_fresh
    from orbat.query import stats

    summary = IngestSummary()
    for result in results:
        summary.add(result)
    ensure_fresh(store)
    counts = stats(store)
    totals = {"sources": summary.total, "new": summary.new, "reprocessed": summary.reprocessed,
              "duplicate": summary.duplicate, "failed": summary.failed, "claims_added": summary.claims,
              "documents": counts.documents, "claims": counts.claims, "observations": counts.observations}
    if fmt == "json":
        echo_json({"results": results, "summary": totals} | ({"changes": changes} if changes is not None else {}))
    elif fmt == "csv":
        echo_csv([as_data(r) for r in results], ["origin", "status", "document_id", "claims", "reason"])
    else:
        from rich.console import Console

        console = Console(highlight=False)
        if changes:
            console.print(table("Changes", [("origin", lambda c: c["origin"]), ("kept", lambda c: c["kept"]),
                                            ("gained", lambda c: c["gained"]), ("lost", lambda c: c["lost"])],
                                changes))
            for change in changes:
                for sign, key in (("+", "gained_claims"), ("-", "lost_claims")):
                    for line in change[key]:
                        console.print(f"{sign} {change['document_id'][:12]} {line}", markup=False)
        console.print(table("Summary", [("", lambda kv: kv[0]), ("count", lambda kv: kv[1])], list(totals.items())))
    named = {r.origin for r in summary.failures} & set(targets)
    exit_for_failures(summary.failed, summary.total, strict or bool(named), "sources")


def exit_for_failures(failed: int, total: int, strict: bool, what: str) -> None:
    """Exit 1 when failures fail the run; otherwise warn on stderr and return (status 0)."""
    if not failed:
        return
    if strict or failed == total:
        click.echo(f"orbat: {failed} of {total} {what} failed", err=True)
        sys.exit(1)
    click.echo(f"orbat: warning: {failed} of {total} {what} failed and were skipped "
               "(each is listed above; --strict makes this exit 1)", err=True)


# --- queries ---------------------------------------------------------------------------------


@main.command("stats")
@db_option
@format_option
def stats_command(db: str, fmt: str) -> None:
    """Counts of documents, runs, claims and observations in the database."""
    from orbat.cli.knowledge_render import as_data, echo_csv, echo_json, table
    from orbat.query import stats

    with open_db(db) as store:
        counts = as_data(stats(store))
    if fmt == "json":
        echo_json(counts)
    elif fmt == "csv":
        echo_csv([{"name": k, "value": v} for k, v in counts.items()])
    else:
        from rich.console import Console

        rows = [(k, v) for k, v in counts.items()]
        Console(highlight=False).print(table("Knowledge base", [("", lambda r: r[0]), ("", lambda r: r[1])], rows))


@main.command("posture")
@click.argument("country")
@click.option("--since", help="Only sightings seen on or after this date (YYYY[-MM[-DD]]).")
@click.option("--until", help="Only sightings that began on or before this date.")
@db_option
@format_option
def posture_command(country: str, since: str | None, until: str | None, db: str, fmt: str) -> None:
    """Equipment in COUNTRY (ISO code or name) by class: quantities, dates, sources, certainty, operators."""
    from orbat.cli.knowledge_render import emit, quantity
    from orbat.query import country_code, posture

    code = country_code(country)
    with open_db(db) as store:
        rows = posture(store, code, check_date(since, "--since"), check_date(until, "--until"))
    emit(rows, [("class", lambda r: r.equipment_class), ("equipment", lambda r: r.equipment),
                ("quantity", lambda r: quantity(r.quantity_min, r.quantity_max)),
                ("first seen", lambda r: r.first_seen), ("last seen", lambda r: r.last_seen),
                ("sightings", lambda r: r.observations), ("sources", lambda r: r.sources),
                ("certainty", lambda r: r.certainty), ("operators", lambda r: r.operators)],
         fmt, f"Posture: {code}" + (f" since {since}" if since else ""), "no equipment seen there")


@main.command("where")
@click.argument("equipment")
@db_option
@format_option
def where_command(equipment: str, db: str, fmt: str) -> None:
    """Countries and places EQUIPMENT (a system or a family) was seen, with dates and counts."""
    from orbat.cli.knowledge_render import emit
    from orbat.query import where

    with open_db(db) as store:
        rows = where(store, equipment)
    emit(rows, [("country", lambda r: r.country), ("place", lambda r: r.place),
                ("first seen", lambda r: r.first_seen), ("last seen", lambda r: r.last_seen),
                ("sightings", lambda r: r.observations), ("claims", lambda r: r.claims),
                ("max reported", lambda r: r.quantity_max), ("systems", lambda r: r.systems),
                ("events", lambda r: r.events), ("sources", lambda r: r.sources)],
         fmt, f"Where: {equipment}", f"no sighting of {equipment}")


def _observation_columns() -> list:
    from orbat.cli.knowledge_render import quantity

    return [("first seen", lambda o: o.first_seen), ("last seen", lambda o: o.last_seen),
            ("country", lambda o: o.country), ("place", lambda o: o.place_name),
            ("events", lambda o: o.events), ("equipment", lambda o: o.equipment_name),
            ("quantity", lambda o: quantity(o.quantity_min, o.quantity_max, o.quantity_headline)),
            ("certainty", lambda o: o.certainty), ("sources", lambda o: o.publisher_count),
            ("id", lambda o: o.id)]


@main.command("timeline")
@click.argument("country", required=False)
@click.option("--since", help="Only observations seen on or after this date.")
@click.option("--until", help="Only observations that began on or before this date.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows (oldest first).")
@db_option
@format_option
def timeline_command(country: str | None, since: str | None, until: str | None, limit: int | None, db: str,
                     fmt: str) -> None:
    """Dated observations, oldest first, in COUNTRY or everywhere."""
    from orbat.cli.knowledge_render import emit
    from orbat.query import country_code, timeline

    code = country_code(country) if country else None
    with open_db(db) as store:
        rows = timeline(store, code, check_date(since, "--since"), check_date(until, "--until"), limit)
    emit(rows, _observation_columns(), fmt, f"Timeline: {code or 'all countries'}", "no dated observations")


@main.command("new")
@click.option("--since", required=True, help="First sightings on or after this date.")
@click.option("--country", help="Only this country (ISO code or name).")
@db_option
@format_option
def new_command(since: str, country: str | None, db: str, fmt: str) -> None:
    """First sightings of a system in a country since a date."""
    from orbat.cli.knowledge_render import emit
    from orbat.query import country_code, new_sightings

    code = country_code(country) if country else None
    with open_db(db) as store:
        rows = new_sightings(store, check_date(since, "--since") or "", code)
    emit(rows, _observation_columns(), fmt, f"New since {since}", "no first sightings in that period")


@main.command("routes")
@click.option("--country", help="Only routes ending in this country.")
@db_option
@format_option
def routes_command(country: str | None, db: str, fmt: str) -> None:
    """Transfers: origin → (transit) → destination, with equipment and certainty."""
    from orbat.cli.knowledge_render import emit
    from orbat.query import country_code, routes

    code = country_code(country) if country else None
    with open_db(db) as store:
        rows = routes(store, code)
    emit(rows, [("origin", lambda r: r.origins), ("transit", lambda r: " → ".join(r.transit)),
                ("destination", lambda r: ", ".join(x for x in (r.destination, r.country) if x)),
                ("equipment", lambda r: r.equipment), ("quantity", lambda r: r.quantity),
                ("first seen", lambda r: r.first_seen), ("certainty", lambda r: r.certainty),
                ("sources", lambda r: r.publishers), ("id", lambda r: r.observation_id)],
         fmt, "Routes", "no transfer with a known origin or transit")


@main.command("show")
@click.argument("observation_id")
@db_option
@format_option
def show_command(observation_id: str, db: str, fmt: str) -> None:
    """One observation and every claim behind it: sentence, source, date, certainty."""
    from orbat.cli.knowledge_render import as_data, echo_csv, echo_json
    from orbat.query import show

    with open_db(db) as store:
        detail = show(store, observation_id)
    if fmt == "json":
        echo_json(detail)
    elif fmt == "csv":
        echo_csv([{"observation_id": detail.observation.id, **as_data(f)} for f in detail.claims])
    else:
        _print_detail(detail)


def _print_detail(detail) -> None:
    from rich.console import Console

    from orbat.cli.knowledge_render import quantity, table

    o = detail.observation
    facts = [("id", o.id), ("equipment", o.equipment_name), ("class", o.equipment_class),
             ("events", o.events), ("place", ", ".join(x for x in (o.place_name, o.country) if x)),
             ("seen", f"{o.first_seen or '?'} – {o.last_seen or '?'}"),
             ("quantity", quantity(o.quantity_min, o.quantity_max, o.quantity_headline)),
             ("certainty", f"{o.certainty}: {o.certainty_rule}"), ("sources", o.publishers),
             ("operators", [f"{a.name} ({a.role})" for a in o.actors]), ("origins", o.origins),
             ("transit", o.transit), ("markings", o.markings)]
    console = Console(highlight=False)
    console.print(table("Observation", [("", lambda r: r[0]), ("", lambda r: r[1])], facts))
    if o.disagreements:
        console.print(table("Disagreements", [("about", lambda d: d.kind), ("readings", lambda d: d.values)],
                            o.disagreements))
    console.print(table("Claims", [("date", lambda f: f.date or f.published), ("source", lambda f: f.publisher),
                                   ("certainty", lambda f: f.certainty), ("evidence", lambda f: f.evidence),
                                   ("sentence", lambda f: f.sentence), ("url", lambda f: f.url)],
                        detail.claims))

