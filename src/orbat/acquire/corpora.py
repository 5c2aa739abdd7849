"""CSV and Parquet corpora: one document per row, with the same columns as JSONL corpora.

Columns: `id`, `text` or `html`, `url`, `title`, `publisher`, `published`, `language`; other
columns are ignored. Like `files.iter_jsonl`, a bad row yields a `SourceError` and the corpus
goes on; a file that cannot be read at all yields one `SourceError`. Origins are
`corpus.csv:N` with N the row number, counted from 1 after the header.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from orbat.acquire import SourceError
from orbat.acquire.files import corpus_item_or_error
from orbat.model import SourceDocument

COLUMNS = ("id", "text", "html", "url", "title", "publisher", "published", "language")
BATCH_ROWS = 1024
MAX_CONSECUTIVE_ERRORS = 1000


def _clean_item(item: dict, origin: str, max_bytes: int) -> SourceDocument | SourceError:
    """Drop empty cells, turn dates and bytes into text, enforce the size cap, then map the row."""
    cleaned: dict[str, object] = {}
    for key, value in item.items():
        if not isinstance(key, str) or value is None or value == "":
            continue
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        elif isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        cleaned[key.strip().lower()] = value
    body = cleaned.get("html") or cleaned.get("text")
    if isinstance(body, str) and len(body.encode("utf-8", "surrogatepass")) > max_bytes:
        return SourceError(origin, f"row larger than the {max_bytes:,}-byte cap", "too-large")
    return corpus_item_or_error(cleaned, origin)


def iter_csv(path: Path | str, max_bytes: int) -> Iterator[SourceDocument | SourceError]:
    """Yield one source per CSV row (UTF-8, header row first; a BOM is accepted).

    Invalid UTF-8 is replaced rather than fatal, so one bad byte does not lose the whole corpus.
    The csv module's field-size limit is raised to the document cap, since a long article is a
    legitimate cell; larger cells are reported per row.
    """
    origin_base = str(path)
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes + 1))
    try:
        handle = open(path, encoding="utf-8-sig", errors="replace", newline="")  # noqa: SIM115
    except OSError as exc:
        yield SourceError(origin_base, f"cannot open ({exc.strerror or exc})", "unreadable")
        return
    with handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"text", "html"} & {f.strip().lower() for f in reader.fieldnames}:
            yield SourceError(origin_base, 'needs a header row with a "text" or "html" column', "bad-corpus")
            return
        yield from _csv_rows(reader, origin_base, max_bytes)


def _csv_rows(reader: csv.DictReader, origin_base: str,
              max_bytes: int) -> Iterator[SourceDocument | SourceError]:
    """Rows are numbered from 1 after the header (a bad row keeps its number)."""
    number = failures = 0
    while failures < MAX_CONSECUTIVE_ERRORS:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            failures += 1
            yield SourceError(f"{origin_base}:{number}", f"bad CSV row ({exc})", "bad-row")
            continue
        failures = 0
        if any(v not in (None, "") for k, v in row.items() if k is not None):
            yield _clean_item(row, f"{origin_base}:{number}", max_bytes)
    yield SourceError(origin_base, f"gave up after {failures} bad rows in a row", "bad-corpus")


def iter_parquet(path: Path | str, max_bytes: int) -> Iterator[SourceDocument | SourceError]:
    """Yield one source per Parquet row, reading only the known columns, a batch at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    origin_base = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        yield SourceError(origin_base, f"not a readable Parquet file ({exc})", "bad-corpus")
        return
    with parquet:
        names = {name.lower(): name for name in parquet.schema_arrow.names}
        if "text" not in names and "html" not in names:
            yield SourceError(origin_base, 'needs a "text" or "html" column', "bad-corpus")
            return
        columns = [names[c] for c in COLUMNS if c in names]
        row_number = 0
        try:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns):
                for item in batch.to_pylist():
                    row_number += 1
                    yield _clean_item(item, f"{origin_base}:{row_number}", max_bytes)
        except (OSError, pa.ArrowException) as exc:
            yield SourceError(f"{origin_base}:{row_number + 1}", f"cannot read further ({exc})", "bad-corpus")
