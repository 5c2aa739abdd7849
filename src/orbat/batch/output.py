"""The output folder of `orbat batch extract`: what is published, what is staged, what is done.

Layout (readable by DuckDB, pandas and Spark; hidden names start with `_`, which all three skip):

    OUT/_orbat_batch.json                       marker: format and per-input-file item counts
    OUT/<table>/month=YYYY-MM/<run>-part-*.parquet   published rows (each table of `rows.TABLES`)
    OUT/_staging/<run>/<table>/month=.../*.parquet   a run's rows before publication
    OUT/_staging/<run>/_COMPLETE                 every table of that run is staged

Why exactly once survives a kill at any moment: a run writes only under `_staging/<run>`; when
every table is staged it writes `_COMPLETE`, then moves files into place, `documents` last. The
next run first finishes publishing any complete staged run and deletes incomplete ones, and only
then reads which documents are done. Documents whose rows never reached `documents` are simply
extracted again; their staged rows were deleted with the incomplete run.

Reading for `status` and `load` uses pyarrow on local folders; the Spark job uses the Hadoop
file system API so that `hdfs://` and `s3a://` outputs work where Spark provides them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orbat.errors import InputError

MARKER = "_orbat_batch.json"
FORMAT = "orbat.batch/2"  # 2: store rows as typed columns; 1 (JSON) still loads
STAGING = "_staging"
COMPLETE = "_COMPLETE"
#: Published tables in the order they are moved into place: `documents` last, as the commit.
PUBLISH_ORDER = ("errors", "entities", "claims", "claim_equipment", "claim_actors", "documents")


class HadoopFolder:
    """File operations on the output folder through Spark's Hadoop file system (driver only)."""

    def __init__(self, spark: Any, root: str):
        jvm = spark.sparkContext._jvm
        self._path = jvm.org.apache.hadoop.fs.Path
        self._io = jvm.org.apache.commons.io.IOUtils
        self.root = root.rstrip("/")
        self.fs = self._path(self.root).getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())

    def p(self, *parts: str):
        return self._path("/".join([self.root, *parts]))

    def exists(self, *parts: str) -> bool:
        return bool(self.fs.exists(self.p(*parts)))

    def children(self, *parts: str) -> list[str]:
        if not self.exists(*parts):
            return []
        return sorted(status.getPath().getName() for status in self.fs.listStatus(self.p(*parts)))

    def files(self, *parts: str) -> list[str]:
        """Relative paths of every file below a folder."""
        base = self.p(*parts)
        if not self.fs.exists(base):
            return []
        prefix = base.toUri().getPath().rstrip("/") + "/"
        found, listing = [], self.fs.listFiles(base, True)
        while listing.hasNext():
            found.append(listing.next().getPath().toUri().getPath()[len(prefix):])
        return sorted(found)

    def read_text(self, *parts: str) -> str:
        """Small files only (the marker); Spark's readers would skip its `_` name as hidden."""
        stream = self.fs.open(self.p(*parts))
        try:
            return str(self._io.toString(stream, "UTF-8"))
        finally:
            stream.close()

    def write_text(self, text: str, *parts: str) -> None:
        """Write through a temporary name and rename, so a reader never sees half a marker."""
        temp = self.p(*parts[:-1], f".{parts[-1]}.tmp")
        out = self.fs.create(temp, True)
        try:
            out.write(bytearray(text.encode("utf-8")))
        finally:
            out.close()
        target = self.p(*parts)
        if self.fs.exists(target):
            self.fs.delete(target, False)
        self.fs.rename(temp, target)

    def move(self, source: tuple[str, ...], target: tuple[str, ...]) -> None:
        destination = self.p(*target)
        self.fs.mkdirs(destination.getParent())
        if not self.fs.rename(self.p(*source), destination) and not self.fs.exists(destination):
            raise InputError(f"{self.root}: could not move {'/'.join(source)} into place")

    def delete(self, *parts: str) -> None:
        self.fs.delete(self.p(*parts), True)


def check_output(folder: HadoopFolder) -> None:
    """Refuse a non-empty folder that is not ours: batch output must never mix with other files."""
    names = [n for n in folder.children() if not n.startswith(".")]
    if names and MARKER not in names:
        raise InputError(f"--out {folder.root}: the folder holds other files ({', '.join(names[:3])}…); "
                         "give an empty folder or a previous batch output")


def check_local_output(path: Path) -> None:
    """The same refusal as `check_output`, for a local folder, before Spark starts."""
    if path.exists() and not path.is_dir():
        raise InputError(f"--out {path}: is a file, not a folder")
    names = sorted(p.name for p in path.iterdir() if not p.name.startswith(".")) if path.is_dir() else []
    if names and MARKER not in names:
        raise InputError(f"--out {path}: the folder holds other files ({', '.join(names[:3])}…); "
                         "give an empty folder or a previous batch output")


def finish_pending(folder: HadoopFolder) -> tuple[int, int]:
    """Publish every completely staged run and delete incomplete ones; (published, dropped)."""
    published = dropped = 0
    for run in folder.children(STAGING):
        if folder.exists(STAGING, run, COMPLETE):
            publish(folder, run)
            published += 1
        else:
            folder.delete(STAGING, run)
            dropped += 1
    return published, dropped


def publish(folder: HadoopFolder, run: str) -> None:
    """Move a staged run's files into the published tables, `documents` last, then forget the run."""
    for table in PUBLISH_ORDER:
        for relative in folder.files(STAGING, run, table):
            name = relative.rsplit("/", 1)[-1]
            if not name.endswith(".parquet"):
                continue
            partition = relative.rsplit("/", 1)[0] if "/" in relative else "month=unknown"
            folder.move((STAGING, run, table, *relative.split("/")), (table, partition, f"{run}-{name}"))
    folder.delete(STAGING, run)


def read_marker(folder: HadoopFolder) -> dict[str, Any]:
    if not folder.exists(MARKER):
        return {"format": FORMAT, "inputs": {}}
    return json.loads(folder.read_text(MARKER))


# --- local reading (status, load) -------------------------------------------------------------

@dataclass(slots=True)
class InputStatus:
    input_file: str
    total: int | None
    done: int = 0
    failed: int = 0

    @property
    def pending(self) -> int | None:
        return None if self.total is None else max(0, self.total - self.done - self.failed)


@dataclass(slots=True)
class BatchStatus:
    inputs: list[InputStatus] = field(default_factory=list)
    staged_runs: int = 0

    def totals(self) -> dict[str, int]:
        return {"done": sum(i.done for i in self.inputs), "failed": sum(i.failed for i in self.inputs),
                "pending": sum(i.pending or 0 for i in self.inputs)}


def local_output(path: str) -> Path:
    folder = Path(path)
    if not (folder / MARKER).is_file():
        raise InputError(f"{path}: not an orbat batch output (no {MARKER}); run `orbat batch extract` first")
    return folder


def table_files(folder: Path, table: str) -> list[Path]:
    """Published Parquet files of a table, skipping hidden and temporary names as readers do."""
    base = folder / table
    return sorted(p for p in base.rglob("*.parquet")
                  if not any(part.startswith(("_", ".")) for part in p.relative_to(base).parts))


def read_column(folder: Path, table: str, column: str) -> list[Any]:
    import pyarrow.parquet as pq

    values: list[Any] = []
    for path in table_files(folder, table):
        values.extend(pq.read_table(path, columns=[column]).column(column).to_pylist())
    return values


def batch_status(path: str) -> BatchStatus:
    folder = local_output(path)
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    done = Counter(read_column(folder, "documents", "input_file"))
    failed = Counter(read_column(folder, "errors", "input_file"))
    names = sorted(set(marker.get("inputs", {})) | set(done) | set(failed))
    status = BatchStatus([InputStatus(n, marker.get("inputs", {}).get(n), done[n], failed[n]) for n in names])
    staging = folder / STAGING
    status.staged_runs = len([p for p in staging.iterdir() if p.is_dir()]) if staging.is_dir() else 0
    return status

