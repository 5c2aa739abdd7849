"""`orbat extract`: one report (or a JSONL corpus) to extraction records."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from orbat.cli import main
from orbat.errors import UserError


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
    from orbat.validate import require_date

    require_date(published, "--published")
    if published and parse_anchor(published) is None:
        raise InputError(f"--published {published!r} is not a date (use YYYY-MM-DD)")


@main.command("extract")
@click.argument("path")
@click.option("--published", help="Publication date (YYYY-MM-DD): the anchor for relative dates.")
@click.option("--language", default=None, help="Language code of the text (en, fr).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default="table", show_default=True)
@click.option("--strict", is_flag=True,
              help="Corpora: exit 1 if any line fails (default: 0 with a warning when others succeed).")
def extract_command(path: str, published: str | None, language: str | None, fmt: str, strict: bool) -> None:
    """Extract equipment, places, actors, dates and claims from PATH (a file, or - for stdin)."""
    from orbat import compiled
    from orbat.settings import Settings, default_home

    settings = Settings()
    corpus = fmt == "jsonl" or path.endswith((".jsonl", ".ndjson"))
    # orbat's tables compile some 400 regular expressions on import and first use: kept on disk.
    # A corpus keeps only what the imports compile (each document's own few would fill the file).
    with compiled.kept(default_home() / compiled.EXTRACT_FILE):
        from orbat.pipeline import extract_source

        _check_date(published)
        if not corpus:
            record = extract_source(_source(path, published, language, settings.max_document_bytes), settings)
    if corpus:
        _extract_corpus(path, settings, published, strict)
        return
    if fmt == "json":
        click.echo(json.dumps(record.to_json(), ensure_ascii=False, indent=1))
    else:
        from orbat.cli.tables import print_record

        print_record(record)


def _extract_corpus(path: str, settings, published: str | None, strict: bool) -> None:
    """One line per input line, in order: a record, or `{"id", "error"}` for a line that failed.

    Any failure of one line (bad JSON, a lone surrogate, a bug in a stage) is that line's error
    record; the corpus goes on, and the count is reported at the end.
    """
    from orbat import pooled
    from orbat.acquire.files import iter_jsonl
    from orbat.cli.knowledge import exit_for_failures
    from orbat.errors import InputError

    if path != "-" and not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    failures = total = 0
    # several lines at a time, their spaCy work pooled (`orbat.pooled`): the same lines, in order
    for line, error in pooled.imap(lambda item: _corpus_line(item, settings, published),
                                   iter_jsonl(path, settings.max_document_bytes)):
        total += 1
        if error:
            failures += 1
            print(f"orbat: {error}", file=sys.stderr)
        click.echo(line)
    exit_for_failures(failures, total, strict, "lines")


def _corpus_line(item, settings, published: str | None) -> tuple[str, str | None]:
    """(the JSON line to print, the error if the line failed)."""
    from orbat.acquire import SourceError
    from orbat.pipeline import extract_source

    if isinstance(item, SourceError):
        return _error_line(item.origin, item.external_id, item.reason), str(item)
    if published and not item.published:
        item.published = published
    try:
        line = json.dumps(extract_source(item, settings).to_json(), ensure_ascii=False)
        line.encode("utf-8")  # a value that cannot be written out fails this line, not the run
    except Exception as exc:  # a bug on one document must not end the corpus
        reason = " ".join(str(exc).split())[:300] or type(exc).__name__
        if not isinstance(exc, UserError):
            reason = f"{type(exc).__name__}: {reason}"
        return _error_line(item.origin, item.external_id, reason), f"{item.origin}: {reason}"
    return line, None


def _error_line(origin: str, external_id: str | None, reason: str) -> str:
    return json.dumps({"schema": "orbat.extraction/1", "id": external_id, "error": reason, "origin": origin},
                      ensure_ascii=True)
