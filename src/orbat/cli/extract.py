"""`orbat extract`: one report (or a JSONL corpus) to extraction records."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from orbat.cli import main


def _source(path: str, published: str | None, language: str | None, max_bytes: int):
    from orbat.acquire import SourceError
    from orbat.acquire.files import read_file, read_stdin
    from orbat.errors import InputError

    meta = {"published": published, "language": language}
    try:
        return read_stdin(max_bytes, **meta) if path == "-" else read_file(Path(path), max_bytes, **meta)
    except SourceError as exc:
        raise InputError(str(exc)) from None


def _check_date(published: str | None) -> None:
    from orbat.errors import InputError
    from orbat.extract.dates import parse_anchor

    if published and parse_anchor(published) is None:
        raise InputError(f"--published {published!r} is not a date (use YYYY-MM-DD)")


@main.command("extract")
@click.argument("path")
@click.option("--published", help="Publication date (YYYY-MM-DD): the anchor for relative dates.")
@click.option("--language", default=None, help="Language code of the text (en, fr).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default="table", show_default=True)
def extract_command(path: str, published: str | None, language: str | None, fmt: str) -> None:
    """Extract equipment, places, actors, dates and claims from PATH (a file, or - for stdin)."""
    from orbat.pipeline import extract_source
    from orbat.settings import Settings

    _check_date(published)
    settings = Settings()
    if fmt == "jsonl" or path.endswith((".jsonl", ".ndjson")):
        _extract_corpus(path, settings, published)
        return
    record = extract_source(_source(path, published, language, settings.max_document_bytes), settings)
    if fmt == "json":
        click.echo(json.dumps(record.to_json(), ensure_ascii=False, indent=1))
    else:
        from orbat.cli.tables import print_record

        print_record(record)


def _extract_corpus(path: str, settings, published: str | None) -> None:
    """One record per input line, in order; a bad line is reported and the corpus goes on."""
    from orbat.acquire import SourceError
    from orbat.acquire.files import iter_jsonl
    from orbat.errors import InputError
    from orbat.pipeline import extract_source

    if path != "-" and not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    failures = 0
    for item in iter_jsonl(path, settings.max_document_bytes):
        if isinstance(item, SourceError):
            failures += 1
            click.echo(json.dumps({"schema": "orbat.extraction/1", "error": str(item), "origin": item.origin}))
            print(f"orbat: {item}", file=sys.stderr)
            continue
        if published and not item.published:
            item.published = published
        try:
            record = extract_source(item, settings)
        except InputError as exc:
            failures += 1
            click.echo(json.dumps({"schema": "orbat.extraction/1", "error": str(exc), "origin": item.origin}))
            continue
        click.echo(json.dumps(record.to_json(), ensure_ascii=False))
    if failures:
        sys.exit(1)
