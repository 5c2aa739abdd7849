"""`orbat brief`: a written analysis drafted from the knowledge base.

Parses input, calls `orbat.brief` to draft and render, and says what it wrote. matplotlib,
WeasyPrint and Jinja2 are imported only inside the command, so other commands start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from orbat.cli import main
from orbat.cli.knowledge import check_date, db_option, open_db

if TYPE_CHECKING:
    from orbat.brief.content import Brief

SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def _format(fmt: str | None, output: Path | None) -> str:
    """--format, else the output's suffix, else Markdown."""
    if fmt:
        return fmt
    if output is not None:
        return SUFFIX_FORMATS.get(output.suffix.lower(), "md")
    return "md"


@main.command("brief")
@click.argument("country", required=False)
@click.option("--equipment", help="Brief on one system or family (e.g. T-72B3) instead of a country.")
@click.option("--since", help="What is new since this date (YYYY[-MM[-DD]]); default: the whole record.")
@click.option("--last", "last", help="Only the last N days, weeks, months or years before today (90d, 12w, 6m, 1y).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "pdf"]),
              help="Output format (default: from the -o suffix, else md).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (Markdown's pictures go beside it); stdout for md and html if omitted.")
@db_option
def brief_command(country: str | None, equipment: str | None, since: str | None, last: str | None,
                  fmt: str | None, output: Path | None, db: str) -> None:
    """Draft a brief on COUNTRY (or --equipment): findings, new sightings, equipment, routes, operators,
    disagreements, likelihood in ICD 203 words, a map, a timeline and numbered source notes."""
    from orbat.errors import InputError

    if bool(country) == bool(equipment):
        raise InputError("name a COUNTRY or give --equipment SYSTEM (one of the two), e.g. `orbat brief ML`")
    fmt = _format(fmt, output)
    if fmt == "pdf" and output is None:
        raise InputError("a PDF brief needs a file: add -o FILE.pdf")
    if output is not None and not output.expanduser().resolve().parent.is_dir():
        raise InputError(f"-o {output}: folder {output.parent} does not exist")
    since = check_date(since, "--since")
    if last is not None:
        from orbat.brief.scope import since_last

        if since is not None:
            raise InputError("give --since or --last, not both")
        since = since_last(last)
    brief = _draft(db, country, equipment, since)
    if output is None:
        click.echo(_to_stdout(brief, fmt), nl=False)
        return
    from orbat.brief.render import write

    for path in write(brief, fmt, output):
        click.echo(f"wrote {path}", err=True)


def _draft(db: str, country: str | None, equipment: str | None, since: str | None) -> Brief:
    from orbat.brief.draft import country_brief, equipment_brief
    from orbat.query import country_code

    code = country_code(country) if country else None
    with open_db(db) as store:
        return country_brief(store, code, since) if code else equipment_brief(store, equipment or "", since)


def _to_stdout(brief: Brief, fmt: str) -> str:
    """Markdown on stdout has no pictures (they need files); HTML carries them as data URIs."""
    from orbat.brief.render import draw, render_html, render_markdown

    return render_markdown(brief) if fmt == "md" else render_html(brief, draw(brief))
