"""The Spark driver of `orbat batch extract`: read inputs, skip what is done, extract, publish.

Numbered as in `orbat.pipeline`, because the order is what makes a rerun safe:
1. check the output folder and finish (or drop) runs a killed job left staged;
2. build the gazetteer once on the driver and ship the file to executors (`addFile`);
3. read every input into (key, input file, origin, source) rows; unreadable rows become errors;
4. drop rows whose key is already published in `documents` or `errors` (left anti-join);
5. run `pipeline.extract_source` in `mapInArrow`, one source at a time, failures as rows, the
   rows of every table in one frame kept on disk;
6. stage each table from that frame as Parquet partitioned by month, mark the run complete, publish it.
With local inputs and a local output, steps 3–6 run in Python tasks that read their own input
splits and write their own staged files (`orbat.batch.tasks`); the JVM only schedules them.
Only this module imports pyspark, and only inside functions, so the base install needs no Java.
"""

from __future__ import annotations

import glob
import json
import os
import pickle
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orbat.batch import output
from orbat.batch.rows import COLUMNS, TABLES, error_row, extract_rows, source_key
from orbat.batch.tasks import TEXT_SUFFIXES
from orbat.errors import InputError

CORPUS_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
PROGRESS_EVERY_S = 10.0
#: The JVM of a local run compiles with its fast compiler only. The optimising one (C2) used about
#: 40 CPU-seconds per run whatever the number of documents (100 or 400), about the Python work
#: of 1,000 documents, for JVM code that now only moves Arrow batches and writes Parquet.
#: Only for `local[…]` masters (a cluster's executors keep their settings), and not when
#: PYSPARK_SUBMIT_ARGS sets the driver's Java options.
LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"


@dataclass(slots=True)
class ExtractSummary:
    run: str
    inputs: int
    skipped: int
    documents: int
    errors: int
    seconds: float


def run_extract(patterns: list[str], out: str, *, master: str | None = None, partitions: int | None = None,
                log: Callable[[str], None] = print) -> ExtractSummary:
    """Extract every document of `patterns` into the Parquet tables under `out`."""
    if "://" not in out:  # clear errors before any JVM starts
        output.check_local_output(Path(out))
    inputs = expand_inputs(patterns)
    # Local inputs and output: Python tasks read and write the files themselves (`_extract_local`)
    local = Path(out).resolve() if "://" not in out and all("://" not in p for p, _kind in inputs) else None
    spark = _session(master)
    try:
        return _extract(spark, inputs, _absolute(out), partitions, log, local)
    except InputError:
        raise
    except Exception as exc:  # a Spark or JVM failure: one line, not a Java stack trace
        raise InputError(f"the batch job failed: {_first_line(exc)}") from None
    finally:
        spark.stop()


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0][:500] if lines else type(exc).__name__


def expand_inputs(patterns: list[str]) -> list[tuple[str, str]]:
    """(path, kind) for every input; kind is jsonl, parquet or folder. Local files are checked here."""
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        if "://" in pattern:  # hdfs://, s3a://: Spark resolves globs there
            found.append((pattern, _kind(pattern)))
            continue
        matches = sorted(glob.glob(pattern)) or [pattern]
        for match in matches:
            path = Path(match)
            if path.is_dir():
                found.append((str(path.resolve()), "folder"))
            elif not path.is_file():
                raise InputError(f"{match}: no such file or folder")
            elif not os.access(path, os.R_OK):
                raise InputError(f"{match}: permission denied")
            else:
                found.append((str(path.resolve()), _kind(match)))
                if found[-1][1] == "parquet":
                    _check_parquet_columns(path)
    if not found:
        raise InputError("no inputs given")
    return found


def _check_parquet_columns(path: Path) -> None:
    import pyarrow.parquet as pq

    try:
        names = {name.lower() for name in pq.read_schema(path).names}
    except Exception as exc:
        raise InputError(f"{path}: not a readable Parquet file ({_first_line(exc)})") from None
    if not names & {"text", "html"}:
        raise InputError(f"{path}: Parquet corpus has no text or html column")


def _kind(path: str) -> str:
    suffix = Path(path.split("?")[0]).suffix.lower()
    if suffix in CORPUS_SUFFIXES:
        return CORPUS_SUFFIXES[suffix]
    raise InputError(f"{path}: not a JSONL or Parquet corpus or a folder of .txt/.html files")


def _absolute(out: str) -> str:
    return out if "://" in out else Path(out).resolve().as_uri()


def _session(master: str | None) -> Any:
    from pyspark.sql import SparkSession

    # Workers run this interpreter unless told otherwise: it is the one orbat is installed in.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("orbat batch extract").config("spark.ui.enabled", "false")
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    if (master or "local").startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # one machine: stay on loopback
    submit_args = os.environ.get("PYSPARK_SUBMIT_ARGS", "")
    if not master and not os.environ.get("SPARK_MASTER") and "spark.master" not in submit_args:
        master = "local[*]"
    if master:
        builder = builder.master(master)
        if master.startswith("local") and "extraJavaOptions" not in submit_args:
            builder = builder.config("spark.driver.extraJavaOptions", LOCAL_JAVA_OPTIONS)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _sql_settings(spark: Any) -> None:
    """Settings of the Spark-side path only: setting them builds the SQL session state (catalog,
    analyser), JVM work the local path, which runs no SQL, does not need."""
    if spark.sparkContext.master.startswith("local"):  # 200 shuffle tasks cost more than they help here
        spark.conf.set("spark.sql.shuffle.partitions", str(max(2, spark.sparkContext.defaultParallelism)))
    # Sources reach Python in Arrow batches of this many rows (default 10,000: too many long articles)
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(ARROW_ROWS))


def _extract(spark: Any, inputs: list[tuple[str, str]], out: str, partitions: int | None,
             log: Callable[[str], None], local: Path | None = None) -> ExtractSummary:
    started, run = time.monotonic(), "run-" + uuid.uuid4().hex[:16]
    folder = output.HadoopFolder(spark, out)
    # 1. the output folder: ours or empty; finish what a killed job staged
    output.check_output(folder)
    published, dropped = output.finish_pending(folder)
    if published or dropped:
        log(f"orbat batch: finished {published} staged run(s) of an earlier job, dropped {dropped} incomplete")
    marker = output.read_marker(folder)
    folder.write_text(json.dumps(marker, indent=1, sort_keys=True), output.MARKER)  # the folder is ours now
    # 2. the gazetteer, built once here and shipped to every executor
    gazetteer_name = _ship_gazetteer(spark)
    if local is not None:  # 3–6 in Python tasks that read their own splits and write their own files
        return _extract_local(spark, folder, local, inputs, run, marker, gazetteer_name, partitions, log, started)
    _sql_settings(spark)
    # 3. every input as rows of (key, input_file, origin, pickled source)
    items = _read_all(spark, inputs)
    if partitions:
        items = items.repartition(partitions)
    items_df = spark.createDataFrame(items, "key string, input_file string, origin string, payload binary")
    items_df = items_df.persist()
    totals = {row["input_file"]: row["count"] for row in items_df.groupBy("input_file").count().collect()}
    # 4. skip what an earlier run published
    done = _done_keys(spark, folder)
    if done is None:  # nothing published yet: every row is to do, as read (and repartitioned)
        todo = items_df
    else:
        # The anti-join shuffles, and adaptive execution folds that small shuffle (keys and
        # payloads) into one partition: the whole job then extracted in one task, on one core.
        # Spread the work again.
        todo = items_df.join(done, "key", "left_anti")
        todo = todo.repartition(partitions or max(items.getNumPartitions(), 2 * spark.sparkContext.defaultParallelism))
    pending = todo.count()
    log(f"orbat batch: {sum(totals.values())} documents in {len(inputs)} input(s), "
        f"{pending} to extract in {todo.rdd.getNumPartitions()} tasks, run {run}")
    # 5. extraction: Arrow batches in and out of Python (`mapInArrow`), one pass over the sources;
    #    the rows of every table come back as one frame, kept on disk for step 6.
    counter = spark.sparkContext.accumulator(0)
    tagged = _map_in_arrow(spark, todo, _batch_extractor(gazetteer_name, counter)).persist(_disk_only())
    stop = _progress(counter, pending, log)
    try:
        # 6. stage every table from the kept rows (no Python, no second extraction), then mark
        #    complete and publish
        counts = {row["table"]: row["count"] for row in tagged.groupBy("table").count().collect()}
        for table in TABLES:
            frame = tagged.where(tagged["table"] == table).select(*COLUMNS[table])
            frame.write.mode("overwrite").partitionBy("month").parquet(str(folder.p(output.STAGING, run, table)))
    finally:
        stop.set()
    folder.write_text("", output.STAGING, run, output.COMPLETE)
    marker["format"] = output.FORMAT
    marker.setdefault("inputs", {}).update(totals)
    folder.write_text(json.dumps(marker, indent=1, sort_keys=True), output.MARKER)
    output.publish(folder, run)
    tagged.unpersist()
    items_df.unpersist()
    return ExtractSummary(run, len(inputs), sum(totals.values()) - pending, counts.get("documents", 0),
                          counts.get("errors", 0), round(time.monotonic() - started, 1))


def _extract_local(spark: Any, folder: output.HadoopFolder, out: Path, inputs: list[tuple[str, str]], run: str,
                   marker: dict[str, Any], gazetteer_name: str, partitions: int | None,
                   log: Callable[[str], None], started: float) -> ExtractSummary:
    """Steps 3–6 for local inputs and output: Spark only schedules splits (`orbat.batch.tasks`).

    Each task's Python worker reads its split, skips what is published, extracts, and writes its
    own Parquet files into the run's staging folder; the driver then drops files no successful
    task reported, marks the run complete and publishes it as the Spark-side path does.
    """
    from orbat.batch import tasks

    sc = spark.sparkContext
    plan = tasks.plan_splits(inputs, partitions or 4 * sc.defaultParallelism)
    staging = out / output.STAGING / run
    staging.mkdir(parents=True, exist_ok=True)
    done = [*output.read_column(out, "documents", "document_id"), *output.read_column(out, "errors", "key")]
    done_path = staging / tasks.DONE_KEYS
    published = tasks.write_done_keys(done_path, done) if done else 0
    total = sum(plan.totals.values())
    log(f"orbat batch: {total} documents in {len(inputs)} input(s), {published} published before, "
        f"{len(plan.splits)} tasks, run {run}")
    counter = sc.accumulator(0)
    stop = _progress(counter, total, log, lambda: tasks.progress_count(staging))
    try:
        runner = _split_runner(gazetteer_name, str(staging), str(done_path) if done else None, _max_bytes(), counter)
        results = sc.parallelize(plan.splits, max(len(plan.splits), 1)).mapPartitions(runner).collect()
    finally:
        stop.set()
    reported = {name for result in results for name in result["files"]}
    for path in staging.rglob("*"):  # files of failed or duplicate task attempts
        if path.is_file() and path.parent != staging and path.relative_to(staging).as_posix() not in reported:
            path.unlink()
    folder.write_text("", output.STAGING, run, output.COMPLETE)
    marker["format"] = output.FORMAT
    marker.setdefault("inputs", {}).update(plan.totals)
    folder.write_text(json.dumps(marker, indent=1, sort_keys=True), output.MARKER)
    output.publish(folder, run)
    return ExtractSummary(run, len(inputs), sum(r["skipped"] for r in results), sum(r["documents"] for r in results),
                          sum(r["errors"] for r in results), round(time.monotonic() - started, 1))


def _split_runner(gazetteer_name: str, staging: str, done_path: str | None, max_bytes: int,
                  counter: Any) -> Callable[[Iterator[Any]], Iterator[dict[str, Any]]]:
    def run(splits: Iterator[Any]) -> Iterator[dict[str, Any]]:
        from orbat.batch.tasks import DoneKeys, run_split
        from orbat.pipeline import extract_source

        settings = _worker_settings(gazetteer_name)
        done = DoneKeys(done_path)
        for split in splits:
            yield run_split(split, Path(staging), done, lambda source: extract_source(source, settings), max_bytes,
                            lambda: counter.add(1))

    return run


def _worker_settings(gazetteer_name: str) -> Any:
    """Settings of an executor's Python worker: its home is where `addFile` put the gazetteer."""
    from pyspark import SparkFiles

    os.environ["ORBAT_HOME"] = SparkFiles.getRootDirectory()  # the shipped gazetteer
    from orbat.settings import Settings

    settings = Settings()
    if not (settings.home / gazetteer_name).exists():
        raise RuntimeError("the gazetteer shipped by the driver is missing on this executor")
    return settings


def _disk_only() -> Any:
    from pyspark import StorageLevel

    return StorageLevel.DISK_ONLY


#: Arrow types of the Parquet column types in `COLUMNS`.
_ARROW_TYPES = {"string": "string", "bigint": "int64", "double": "float64", "boolean": "bool_", "binary": "binary"}


def _map_in_arrow(spark: Any, frame: Any, function: Callable[[Iterator[Any]], Iterator[Any]]) -> Any:
    """`frame.mapInArrow(function, <every table's columns>)` without pandas on the driver.

    pyspark's `DataFrame.mapInArrow` builds its function through `pandas_udf`, which refuses to
    run unless pandas is installed, although neither the driver nor the workers use pandas for
    Arrow batches; this is the same call without that check (pyspark is pinned, 4.3.0).
    """
    from pyspark.sql import DataFrame
    from pyspark.sql.pandas.functions import vectorized_udf
    from pyspark.util import PythonEvalType

    udf = vectorized_udf(function, returnType=_tagged_schema(), functionType=PythonEvalType.SQL_MAP_ARROW_ITER_UDF)
    column = udf(*[frame[name] for name in frame.columns])
    return DataFrame(frame._jdf.mapInArrow(column._jc, False, None), spark)


def _tagged_columns() -> dict[str, str]:
    """Every table's columns in one row type, `table` saying which table a row belongs to.

    A column name two tables share has one type in both (checked here), so one Arrow schema
    carries every row the extraction makes; each table's own columns are selected back in step 6.
    """
    columns = {"table": "string"}
    for table in TABLES:
        for name, kind in COLUMNS[table].items():
            if columns.setdefault(name, kind) != kind:
                raise ValueError(f"column {name} has two types in the batch tables")
    return columns


def _tagged_schema() -> str:
    return ", ".join(f"`{name}` {kind}" for name, kind in _tagged_columns().items())


def _ship_gazetteer(spark: Any) -> str:
    """Build the place index once (building it in many workers at once races) and ship the file."""
    from orbat.extract.lexicon import CACHE_NAME
    from orbat.gazetteer import build_index, is_current
    from orbat.settings import Settings

    path = Settings().gazetteer_path
    if not is_current(path):
        build_index(path)
    spark.sparkContext.addFile(str(path))
    # The home's caches too, when the driver's has them: the catalogs' lexicon and the compiled
    # regular expressions (a worker's home is where `addFile` puts files, which had neither, so
    # each worker built both again). Each is checked against what it was built from when read.
    for cache in sorted(path.parent.glob("regex-*.bin")) + [path.parent / CACHE_NAME]:
        if cache.is_file():
            spark.sparkContext.addFile(str(cache))
    return path.name


def _done_keys(spark: Any, folder: output.HadoopFolder) -> Any:
    """Keys of documents and errors already published; None when there are none.

    None rather than an empty frame: a left anti-join against an empty frame still shuffles,
    and adaptive execution coalesced that shuffle into one partition, so a first run of
    `local[2]` extracted every document in one task (as slow as `local[1]`).
    """
    frames = []
    if folder.files("documents"):
        frames.append(spark.read.parquet(str(folder.p("documents"))).selectExpr("document_id AS key"))
    if folder.files("errors"):
        frames.append(spark.read.parquet(str(folder.p("errors"))).select("key"))
    if not frames:
        return None
    done = frames[0]
    for frame in frames[1:]:
        done = done.union(frame)
    return done.distinct()


def _progress(counter: Any, total: int, log: Callable[[str], None],
              running: Callable[[], int] | None = None) -> threading.Event:
    """Print documents/s and an ETA every few seconds while Spark works; returns the stop switch.

    `counter` counts the documents of finished tasks; `running`, where the tasks write their
    counts as they go (local runs, `tasks.progress_count`), those of running tasks too.
    """
    stop, started = threading.Event(), time.monotonic()

    def report() -> None:
        while not stop.wait(PROGRESS_EVERY_S):
            done = max(counter.value, running() if running else 0)
            rate = done / max(time.monotonic() - started, 1e-6)
            eta = (total - done) / rate if rate > 0 else float("inf")
            log(f"orbat batch: {done}/{total} documents, {rate:.1f} docs/s, ETA {eta:.0f} s")

    threading.Thread(target=report, daemon=True).start()
    return stop


# --- reading inputs (runs partly on executors: module-level functions only) ---------------------

def _read_all(spark: Any, inputs: list[tuple[str, str]]) -> Any:
    sc = spark.sparkContext
    max_bytes = _max_bytes()
    rdds = []
    for path, kind in inputs:
        if kind == "jsonl":
            lines = sc.textFile(path).zipWithIndex().filter(lambda pair: pair[0].strip())  # blank: no item
            rdds.append(lines.map(lambda pair, p=path: _guarded(_jsonl_item, p, pair[1] + 1, pair[0], max_bytes)))
        elif kind == "parquet":
            frame = spark.read.parquet(path)
            columns = {c.lower(): c for c in frame.columns}
            if "text" not in columns and "html" not in columns:
                raise InputError(f"{path}: Parquet corpus has no text or html column")
            wanted = [columns[c] for c in ("id", "text", "html", "url", "title", "publisher", "published",
                                           "language") if c in columns]
            rows = frame.select(*wanted).rdd.zipWithIndex()
            rdds.append(rows.map(lambda pair, p=path: _guarded(_row_item, p, pair[1] + 1, pair[0].asDict(),
                                                               max_bytes)))
        else:
            files = sc.binaryFiles(path).filter(lambda pair: pair[0].lower().endswith(TEXT_SUFFIXES))
            rdds.append(files.map(lambda pair, p=path: _guarded(_file_item, p, pair[0], pair[1], max_bytes)))
    return sc.union(rdds) if len(rdds) > 1 else rdds[0]


def _max_bytes() -> int:
    from orbat.settings import Settings

    return Settings().max_document_bytes


def _guarded(reader: Callable[..., tuple[str, str, str, bytes]], input_file: str, where: Any,
             *args: Any) -> tuple[str, str, str, bytes]:
    """A row that cannot even be read becomes an error row keyed by its origin, never a task failure."""
    from orbat.acquire import SourceError

    try:
        return reader(input_file, where, *args)
    except Exception as exc:
        origin = where if isinstance(where, str) else f"{input_file}:{where}"
        return _as_row(input_file, SourceError(origin, f"unreadable ({type(exc).__name__}: {exc})", "bad-item"))


def _as_row(input_file: str, item: Any) -> tuple[str, str, str, bytes]:
    """A source travels pickled; an unreadable one as a plain dict (exceptions do not unpickle)."""
    try:
        key = source_key(item)
    except Exception:  # unhashable text (lone surrogates): keyed by origin, fails in extraction
        key = "origin:" + item.origin
    from orbat.acquire import SourceError

    if isinstance(item, SourceError):
        payload: Any = {"origin": item.origin, "reason": f"{item.code}: {item.reason}"}
    else:
        payload = item
    return key, input_file, item.origin, pickle.dumps(payload)


def _jsonl_item(input_file: str, number: int, line: str, max_bytes: int) -> tuple[str, str, str, bytes]:
    from orbat.acquire import SourceError
    from orbat.acquire.corpora import _clean_item

    origin = f"{input_file}:{number}"
    try:
        item = json.loads(line)
    except ValueError as exc:
        return _as_row(input_file, SourceError(origin, f"not JSON ({exc.msg})", "bad-line"))
    if not isinstance(item, dict):
        return _as_row(input_file, SourceError(origin, "a JSONL line must be an object", "bad-line"))
    return _as_row(input_file, _clean_item(item, origin, max_bytes))


def _row_item(input_file: str, number: int, row: dict, max_bytes: int) -> tuple[str, str, str, bytes]:
    from orbat.acquire.corpora import _clean_item

    return _as_row(input_file, _clean_item(row, f"{input_file}:{number}", max_bytes))


def _file_item(folder: str, path: str, raw: bytes, max_bytes: int) -> tuple[str, str, str, bytes]:
    from orbat.acquire import SourceError
    from orbat.acquire.files import content_type_for, from_bytes

    if len(raw) > max_bytes:
        return _as_row(folder, SourceError(path, f"larger than the {max_bytes:,}-byte cap", "too-large"))
    local = path[len("file:"):] if path.startswith("file:") else path  # the origin ingest would give
    return _as_row(folder, from_bytes(raw, local, content_type_for(local, raw)))


#: Output rows per Arrow batch a task hands back: small enough to hold a few long documents.
ARROW_ROWS = 256


def _batch_extractor(gazetteer_name: str, counter: Any) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """The `mapInArrow` function: source rows in Arrow batches, every table's rows out in Arrow batches.

    Arrow both ways, and one pass: the tables were written from a Python RDD in four passes, each
    unpickling every row again in Python and then in the JVM (Pyrolite) to convert it by schema.
    """
    extract_rows_of = _partition_extractor(gazetteer_name, counter)

    def extract_batches(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        schema = pa.schema([(name, getattr(pa, _ARROW_TYPES[kind])()) for name, kind in _tagged_columns().items()])
        sources = (row for batch in batches for row in batch.to_pylist())
        pending: list[dict[str, Any]] = []
        for table, row in extract_rows_of(sources):
            pending.append({"table": table, **row})
            if len(pending) >= ARROW_ROWS:
                yield pa.RecordBatch.from_pylist(pending, schema=schema)
                pending = []
        if pending:
            yield pa.RecordBatch.from_pylist(pending, schema=schema)

    return extract_batches


def _partition_extractor(gazetteer_name: str, counter: Any) -> Callable[[Iterator[Any]], Iterator[Any]]:
    def extract_partition(rows: Iterator[Any]) -> Iterator[Any]:
        from orbat import pooled
        from orbat.pipeline import extract_source

        settings = _worker_settings(gazetteer_name)

        def rows_of(row: Any) -> list[tuple[str, dict[str, Any]]]:
            try:
                item = pickle.loads(row["payload"])
            except Exception as exc:
                item = {"reason": f"unreadable: {exc}"}
            if isinstance(item, dict):
                return [("errors", error_row(row["key"], row["input_file"], row["origin"], item["reason"]))]
            return extract_rows(item, row["input_file"], lambda source: extract_source(source, settings))

        # Several documents side by side, their spaCy work pooled, as `orbat extract` runs them: the
        # same records for less CPU. `extract_rows` turns any failure into an error row, never raises.
        for tagged in pooled.imap(rows_of, rows):
            yield from tagged
            counter.add(1)

    return extract_partition
