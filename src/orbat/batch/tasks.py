"""Local inputs and output without the JVM in the data path: Spark schedules splits, Python does the rest.

When every input and the output folder are local paths, a Spark task receives only a `Split`
(an input file and a byte range, row groups or a list of files) and its Python worker reads those
documents itself, extracts them and writes its own Parquet files with pyarrow. The JVM then moves
no document: Spark's JSON/Parquet reading, the pickled rows into the JVM, the Arrow batches both
ways, the rows kept on disk and the Parquet writer cost its JVM as much CPU as the Python
extraction on a two-core machine, where the two compete for the cores.

Commit protocol (the job's exactly-once rule is unchanged, see `output`): a task writes each file
under a hidden temporary name inside the run's staging folder and renames it to `part-NNNNN-…`
when the task has written everything; it returns the names it published. The driver deletes
every staged file no successful task reported (a failed or speculative attempt's) before it
marks the run complete. A document already published (its key among the done keys the driver
wrote for this run) is counted as skipped and not extracted.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import mmap
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orbat.batch.rows import COLUMNS, TABLES, extract_rows, source_key

#: Inputs are cut into splits of at most this many bytes when `--partitions` asks for fewer tasks.
MAX_SPLIT_BYTES = 64 * 2**20
#: Rows a task buffers per table and month before handing them to the Parquet writer.
FLUSH_ROWS = 1000
#: A folder input's files of interest, as the Spark path reads them.
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
DONE_KEYS = "_done.keys"
#: Folder of the run's staging where each task keeps how many of its documents it has done, for
#: the driver's progress line: Spark hands a task's accumulator updates to the driver only when
#: the task ends, so with a task per core the line stood at 0 documents for most of a job.
PROGRESS = "_progress"
PROGRESS_WRITE_S = 2.0  # how often a task writes its count
_DIGEST = 16


@dataclass(frozen=True, slots=True)
class Split:
    """One task's share of one input: `jsonl` a byte range starting at line `first`; `parquet`
    row groups [start, end) starting at row `first`; `folder` the listed files."""

    index: int
    input_file: str
    kind: str
    start: int = 0
    end: int = 0
    first: int = 1
    files: tuple[str, ...] = field(default=())


@dataclass(slots=True)
class Plan:
    splits: list[Split]
    totals: dict[str, int]  # items per input file, as the marker and `batch status` count them


def plan_splits(inputs: list[tuple[str, str]], tasks: int) -> Plan:
    """Cut local inputs into about `tasks` splits of similar size (at most `MAX_SPLIT_BYTES` each).

    A JSONL file is scanned once here, for the line numbers that name a document's origin
    (`file:N`, counted from 1, blank lines included) and split at line ends; a Parquet file is
    split between row groups; a folder between files.
    """
    sizes = {path: _input_bytes(path, kind) for path, kind in inputs}
    target = max(1, min(MAX_SPLIT_BYTES, -(-sum(sizes.values()) // max(tasks, 1))))
    splits: list[Split] = []
    totals: dict[str, int] = {}
    for path, kind in inputs:
        reader = {"jsonl": _jsonl_splits, "parquet": _parquet_splits, "folder": _folder_splits}[kind]
        pieces, totals[path] = reader(path, target)
        first_index = len(splits)
        splits.extend(Split(first_index + n, path, kind, *piece) for n, piece in enumerate(pieces))
    return Plan(splits, totals)


def _input_bytes(path: str, kind: str) -> int:
    if kind == "folder":
        return sum(f.stat().st_size for f in _folder_files(path))
    return os.path.getsize(path)


def _jsonl_splits(path: str, target: int) -> tuple[list[tuple[Any, ...]], int]:
    """(start byte, end byte, number of the piece's first line) per piece, and the number of items.

    Lines end at a line feed, as `orbat extract` reads them; a blank line is no item, as there
    (`files.iter_jsonl`), though it keeps its number."""
    pieces: list[tuple[Any, ...]] = []
    start = offset = lines = items = 0
    first = 1
    with open(path, "rb") as handle:
        for line in handle:
            offset += len(line)
            lines += 1
            items += bool(line.strip())
            if offset - start >= target:
                pieces.append((start, offset, first))
                start, first = offset, lines + 1
    if offset > start:
        pieces.append((start, offset, first))
    return pieces, items


def _parquet_splits(path: str, target: int) -> tuple[list[tuple[Any, ...]], int]:
    """(first row group, end row group, number of the first row) per piece, and the number of rows."""
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(path).metadata
    pieces: list[tuple[Any, ...]] = []
    start = size = rows = 0
    first = 1
    for group in range(metadata.num_row_groups):
        size += metadata.row_group(group).total_byte_size
        rows += metadata.row_group(group).num_rows
        if size >= target:
            pieces.append((start, group + 1, first))
            start, size, first = group + 1, 0, rows + 1
    if start < metadata.num_row_groups:
        pieces.append((start, metadata.num_row_groups, first))
    return pieces, rows


def _folder_splits(path: str, target: int) -> tuple[list[tuple[Any, ...]], int]:
    files = _folder_files(path)
    pieces: list[tuple[Any, ...]] = []
    chosen: list[str] = []
    size = 0
    for file in files:
        chosen.append(str(file))
        size += file.stat().st_size
        if size >= target:
            pieces.append((0, 0, 1, tuple(chosen)))
            chosen, size = [], 0
    if chosen:
        pieces.append((0, 0, 1, tuple(chosen)))
    return pieces, len(files)


def _folder_files(path: str) -> list[Path]:
    """The folder's own text and HTML files, hidden names (`.x`, `_x`) left out as Hadoop's readers do."""
    return sorted(
        p
        for p in Path(path).iterdir()
        if p.is_file() and p.name.lower().endswith(TEXT_SUFFIXES) and not p.name.startswith((".", "_"))
    )


# --- in the task ---------------------------------------------------------------------------------

Item = Any  # SourceDocument | SourceError


def split_items(split: Split, max_bytes: int) -> Iterator[Item]:
    """Every source of a split, in order; a row that cannot be read is a `SourceError`, never raised."""
    reader = {"jsonl": _jsonl_items, "parquet": _parquet_items, "folder": _folder_items}[split.kind]
    return reader(split, max_bytes)


def _jsonl_items(split: Split, max_bytes: int) -> Iterator[Item]:
    from orbat.acquire import SourceError
    from orbat.acquire.corpora import _clean_item

    path = split.input_file
    try:
        handle = open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        yield SourceError(f"{path}:{split.first}", f"unreadable ({type(exc).__name__}: {exc})", "bad-item")
        return
    with handle:
        handle.seek(split.start)
        offset, number = split.start, split.first
        for line in handle:
            if offset >= split.end:
                return
            offset += len(line)
            origin = f"{path}:{number}"
            number += 1
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
                yield SourceError(origin, f"not JSON ({getattr(exc, 'msg', type(exc).__name__)})", "bad-line")
                continue
            if not isinstance(item, dict):
                yield SourceError(origin, "a JSONL line must be an object", "bad-line")
                continue
            yield _guarded(lambda item=item, origin=origin: _clean_item(item, origin, max_bytes), origin)


def _parquet_items(split: Split, max_bytes: int) -> Iterator[Item]:
    import pyarrow.parquet as pq

    from orbat.acquire import SourceError
    from orbat.acquire.corpora import COLUMNS as CORPUS_COLUMNS
    from orbat.acquire.corpora import _clean_item

    path, number = split.input_file, split.first
    try:
        parquet = pq.ParquetFile(path)
        names = {name.lower(): name for name in parquet.schema_arrow.names}
        columns = [names[c] for c in CORPUS_COLUMNS if c in names]
        for group in range(split.start, split.end):
            for row in parquet.read_row_group(group, columns=columns, use_threads=False).to_pylist():
                origin = f"{path}:{number}"
                number += 1
                yield _guarded(lambda row=row, origin=origin: _clean_item(row, origin, max_bytes), origin)
    except Exception as exc:  # a file that went bad after planning: the rest of the split is one error
        yield SourceError(f"{path}:{number}", f"unreadable ({type(exc).__name__}: {exc})", "bad-item")


def _folder_items(split: Split, max_bytes: int) -> Iterator[Item]:
    from orbat.acquire import SourceError
    from orbat.acquire.files import content_type_for, from_bytes

    for path in split.files:
        try:
            if os.path.getsize(path) > max_bytes:
                yield SourceError(path, f"larger than the {max_bytes:,}-byte cap", "too-large")
                continue
            raw = Path(path).read_bytes()
        except OSError as exc:
            yield SourceError(path, f"unreadable ({type(exc).__name__}: {exc})", "bad-item")
            continue
        yield _guarded(lambda raw=raw, path=path: from_bytes(raw, path, content_type_for(path, raw)), path)


def _guarded(read: Callable[[], Item], origin: str) -> Item:
    """A row whose mapping fails becomes that row's error, as in the Spark-side reading."""
    from orbat.acquire import SourceError

    try:
        return read()
    except Exception as exc:
        return SourceError(origin, f"unreadable ({type(exc).__name__}: {exc})", "bad-item")


def item_key(item: Item) -> str:
    try:
        return source_key(item)
    except Exception:  # unhashable text (lone surrogates): keyed by origin, fails in extraction
        return "origin:" + item.origin


# --- keys already published ----------------------------------------------------------------------


def _digest(key: str) -> bytes:
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=_DIGEST).digest()


def write_done_keys(path: Path, keys: Any) -> int:
    """Sorted fixed-size digests of the keys, so a task looks a key up in a memory map (no set per worker)."""
    digests = sorted({_digest(key) for key in keys})
    temp = path.with_name("." + path.name + ".tmp")
    temp.parent.mkdir(parents=True, exist_ok=True)
    temp.write_bytes(b"".join(digests))
    os.replace(temp, path)
    return len(digests)


class DoneKeys:
    """Membership in the digests `write_done_keys` wrote (binary search over the mapped file)."""

    def __init__(self, path: str | None):
        self._map: Any = None
        self._count = 0
        if path and os.path.exists(path) and os.path.getsize(path):
            with open(path, "rb") as handle:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            self._count = len(self._map) // _DIGEST

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> bytes:
        return self._map[index * _DIGEST : (index + 1) * _DIGEST]

    def __contains__(self, key: object) -> bool:
        if not self._count or not isinstance(key, str):
            return False
        digest = _digest(key)
        index = bisect.bisect_left(self, digest)
        return index < self._count and self[index] == digest


# --- writing a task's tables ---------------------------------------------------------------------

_ARROW = {"string": "string", "bigint": "int64", "double": "float64", "boolean": "bool_", "binary": "binary"}


def table_schema(table: str) -> Any:
    """A table's Parquet columns: `month` is the folder (`month=YYYY-MM`), not a column, as Spark writes it."""
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, _ARROW[kind])()) for name, kind in COLUMNS[table].items() if name != "month"])


class TaskTables:
    """One task's Parquet files, one per table and month, published by rename when the task ends."""

    def __init__(self, staging: Path, index: int):
        self.staging, self.index, self.token = staging, index, uuid.uuid4().hex[:12]
        self.schemas = {table: table_schema(table) for table in TABLES}
        self.pending: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.writers: dict[tuple[str, str], Any] = {}
        self.counts = dict.fromkeys(TABLES, 0)

    def add(self, table: str, row: dict[str, Any]) -> None:
        key = (table, row["month"])
        rows = self.pending.setdefault(key, [])
        rows.append(row)
        self.counts[table] += 1
        if len(rows) >= FLUSH_ROWS:
            self._flush(key)

    def _name(self, table: str, month: str, temporary: bool) -> Path:
        name = f"part-{self.index:05d}-{self.token}.parquet"
        return self.staging / table / f"month={month}" / (f".{name}.tmp" if temporary else name)

    def _flush(self, key: tuple[str, str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = self.pending.pop(key, [])
        if not rows:
            return
        table, month = key
        writer = self.writers.get(key)
        if writer is None:
            path = self._name(table, month, temporary=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = self.writers[key] = pq.ParquetWriter(path, self.schemas[table], compression="snappy")
        writer.write_batch(pa.RecordBatch.from_pylist(rows, schema=self.schemas[table]))

    def commit(self) -> list[str]:
        """Write what is buffered, close every file and give it its published name; the relative names."""
        for key in list(self.pending):
            self._flush(key)
        published = []
        for (table, month), writer in self.writers.items():
            writer.close()
            final = self._name(table, month, temporary=False)
            os.replace(self._name(table, month, temporary=True), final)
            published.append(final.relative_to(self.staging).as_posix())
        return published


def run_split(
    split: Split,
    staging: Path,
    done: DoneKeys,
    extract: Callable[[Item], Any],
    max_bytes: int,
    on_item: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """Extract one split into its own Parquet files; the summary the driver checks and counts."""
    from orbat import pooled

    tables = TaskTables(staging, split.index)
    skipped = 0
    progress = _ProgressFile(staging / PROGRESS / str(split.index))

    def todo() -> Iterator[Item]:
        nonlocal skipped
        for item in split_items(split, max_bytes):
            if len(done) and item_key(item) in done:
                skipped += 1
                on_item()
                progress.add()
                continue
            yield item

    def rows_of(item: Item) -> list[tuple[str, dict[str, Any]]]:
        return extract_rows(item, split.input_file, extract)

    # Several documents side by side, their spaCy work pooled, as `orbat extract` runs them: the
    # same records for less CPU. `extract_rows` turns any failure into an error row, never raises.
    for tagged in pooled.imap(rows_of, todo()):
        for table, row in tagged:
            tables.add(table, row)
        on_item()
        progress.add()
    files = tables.commit()
    progress.write()
    return {
        "index": split.index,
        "input_file": split.input_file,
        "files": files,
        "skipped": skipped,
        "documents": tables.counts["documents"],
        "errors": tables.counts["errors"],
    }


class _ProgressFile:
    """A task's count of documents done, written to its file (`PROGRESS`) every few seconds."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.count, self.written = path, 0, time.monotonic()
        self.write()  # a retried task starts again from 0

    def add(self) -> None:
        self.count += 1
        if time.monotonic() - self.written >= PROGRESS_WRITE_S:
            self.write()

    def write(self) -> None:
        temporary = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}")
        temporary.write_text(str(self.count), encoding="ascii")
        os.replace(temporary, self.path)  # the driver never reads half a number
        self.written = time.monotonic()


def progress_count(staging: Path) -> int:
    """Documents the run's tasks have done so far, by their `PROGRESS` files (0 before any)."""
    total = 0
    for path in (staging / PROGRESS).glob("[0-9]*"):
        try:
            total += int(path.read_text(encoding="ascii") or 0)
        except (OSError, ValueError):  # replaced or removed while read: counted next time
            continue
    return total
