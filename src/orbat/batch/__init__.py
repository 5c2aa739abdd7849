"""Batch extraction on Apache Spark: corpora too large for one process, written as Parquet.

The flow is the pipeline's, run inside Spark tasks: `orbat batch extract` reads JSONL, Parquet
or folders of text/HTML, runs `pipeline.extract_source` on every document (in Python tasks that
read and write local files themselves, or in `mapInArrow` for `hdfs://`/`s3a://` URLs), and
writes one Parquet table per record part (documents, entities, claims, claim equipment, claim
actors, errors) partitioned by publication month. `orbat batch load` copies those tables into the
knowledge base with the same ids and idempotency rules as `orbat ingest`; `orbat batch status`
counts what is done.

Modules: `rows` (pure: a source to table rows and back, no Spark), `output` (the output folder:
staging, atomic publication, status), `job` (the Spark driver), `tasks` (local runs: the splits a
Python task reads and the Parquet files it writes itself, no Spark), `load` (Parquet to the store).
Spark is an optional extra (`pip install 'orbat[spark]'`); only `job` imports it.
"""
