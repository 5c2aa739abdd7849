"""`orbat batch extract | load | status`: corpora beyond one machine, on Apache Spark."""

from __future__ import annotations

import json
import sys

import click

from orbat.cli import INVOKED_META, main
from orbat.cli.knowledge import db_option, open_db


@main.group("batch")
@click.pass_context
def batch_group(ctx: click.Context) -> None:
    """Extract large corpora on Spark into Parquet, then load them into the knowledge base."""
    # `batch load` may end without the interpreter's teardown (`orbat.cli.QUICK_EXIT_COMMANDS`):
    # after a load it freed Arrow, SQLAlchemy and psycopg objects one by one for ~0.1 s of CPU.
    ctx.meta[INVOKED_META] = f"batch {ctx.invoked_subcommand}"


def _log(message: str) -> None:
    click.echo(message, err=True)


@batch_group.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, help="Output folder (local, hdfs:// or s3a://): Parquet tables.")
@click.option("--master", default=None, help="Spark master: local[2], spark://host:7077, k8s://… "
                                              "(default: the one spark-submit gives, else local[*]).")
@click.option("--partitions", type=click.IntRange(1, 100_000), default=None,
              help="Repartition the inputs into N tasks (default: as read).")
def extract_command(inputs: tuple[str, ...], out: str, master: str | None, partitions: int | None) -> None:
    """Extract every document of INPUTS (JSONL, Parquet, folders of .txt/.html; globs) into --out."""
    try:
        import pyspark  # noqa: F401

        from orbat.batch.job import run_extract
    except ImportError:
        from orbat.errors import UserError

        raise UserError("Spark is not installed: pip install 'orbat[spark]' (and a Java 17 runtime)") from None
    summary = run_extract(list(inputs), out, master=master, partitions=partitions, log=_log)
    click.echo(f"orbat batch: {summary.documents} documents extracted, {summary.errors} errors, "
               f"{summary.skipped} already done, in {summary.seconds} s (run {summary.run})")


@batch_group.command("load")
@click.argument("folder")
@db_option
@click.option("--writers", type=click.IntRange(1, 32), default=None,
              help="PostgreSQL: batches written at once, one connection each (default 2). SQLite: always 1.")
def load_command(folder: str, db: str, writers: int | None) -> None:
    """Load a batch output FOLDER into the knowledge base (same ids and dedup rules as ingest)."""
    import time

    from orbat.batch.load import load

    started = time.monotonic()
    with open_db(db, create=True) as store:
        summary = load(folder, store, writers=writers if store.backend == "postgresql" else 1, log=_log)
    seconds = round(time.monotonic() - started, 2)
    click.echo(f"orbat batch load: {summary.new} new, {summary.reprocessed} reprocessed, "
               f"{summary.duplicate} duplicate, {summary.failed} failed, {summary.claims} claims "
               f"in {seconds} s")
    for failure in summary.failures[:20]:
        click.echo(f"  failed: {failure.origin}: {failure.reason}", err=True)
    if summary.failed:
        sys.exit(1)


@batch_group.command("status")
@click.argument("folder")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def status_command(folder: str, fmt: str) -> None:
    """Documents done, failed and pending in a batch output FOLDER, per input file."""
    from orbat.batch.output import batch_status

    status = batch_status(folder)
    if fmt == "json":
        click.echo(json.dumps({"inputs": [{"input_file": i.input_file, "total": i.total, "done": i.done,
                                           "failed": i.failed, "pending": i.pending} for i in status.inputs],
                               "totals": status.totals(), "staged_runs": status.staged_runs}, indent=1))
        return
    width = max([len(i.input_file) for i in status.inputs] + [10])
    click.echo(f"{'input':<{width}}  {'done':>8}  {'failed':>8}  {'pending':>8}")
    for item in status.inputs:
        pending = "?" if item.pending is None else item.pending
        click.echo(f"{item.input_file:<{width}}  {item.done:>8}  {item.failed:>8}  {pending:>8}")
    totals = status.totals()
    click.echo(f"{'total':<{width}}  {totals['done']:>8}  {totals['failed']:>8}  {totals['pending']:>8}")
    if status.staged_runs:
        click.echo(f"{status.staged_runs} staged run(s) not yet published: rerun `orbat batch extract`")
