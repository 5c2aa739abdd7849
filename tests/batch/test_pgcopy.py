"""`orbat batch load` writes claims and entities to PostgreSQL in the binary COPY format: every
value must arrive as the CSV path (and ingest) would store it, whatever characters it holds."""

from __future__ import annotations

import json
import math

import psycopg
import pyarrow as pa
import pytest

from orbat.batch import pgcopy

COLUMNS = "name varchar, note text, record json, position integer, big bigint, small smallint, " \
          "lat double precision, ratio real, approximate boolean"
TYPES = ["varchar", "text", "json", "int4", "int8", "int2", "float8", "float4", "bool"]


def _table() -> pa.Table:
    awkward = ['T-72B3 "Obr. 2016"', "tab\there, new\nline; back\\slash", "Gao, région de Tombouctou — été",
               "", None, "'single' and ,commas,", "emoji 🚀 and \x7f", "line\r\nend"]
    return pa.table({
        "name": pa.array(awkward, pa.string()),
        "note": pa.array(list(reversed(awkward)), pa.large_string()),
        "record": pa.array([json.dumps({"text": a, "n": i}) if a is not None else "null"
                            for i, a in enumerate(awkward)]),
        "position": pa.array([0, 1, -1, 2**31 - 1, -(2**31), None, 7, 8], pa.int64()),
        "big": pa.array([2**62, None, -5, 0, 1, 2, 3, 4], pa.int64()),
        "small": pa.array([1, 2, 3, None, -32768, 32767, 0, 5], pa.int64()),
        "lat": pa.array([14.5, -90.0, None, 1e-300, -0.0, 179.999999, math.inf, 0.1]),
        "ratio": pa.array([0.5, None, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        "approximate": pa.array([True, False, None, True, False, True, None, False]),
    })


def _copied(postgres_url: str, table: pa.Table, fmt: str) -> list[tuple]:
    with psycopg.connect(postgres_url) as conn:
        conn.execute(f"CREATE TEMP TABLE target ({COLUMNS})")
        with conn.cursor() as cursor, cursor.copy(f"COPY target FROM STDIN (FORMAT {fmt})") as copy:
            if fmt == "binary":
                for chunk in pgcopy.binary_chunks(table, TYPES):
                    copy.write(chunk)
            else:
                import pyarrow.csv as csv

                sink = pa.BufferOutputStream()
                csv.write_csv(table, sink, csv.WriteOptions(include_header=False))
                copy.write(memoryview(sink.getvalue()))
        return conn.execute("SELECT name, note, record::text, position, big, small, lat, ratio, approximate "
                            "FROM target ORDER BY position NULLS LAST, big").fetchall()


def test_every_value_arrives_as_the_csv_path_stores_it(postgres_url):
    table = _table()
    binary = _copied(postgres_url, table, "binary")
    assert binary == _copied(postgres_url, table, "csv")
    by_position = {row[3]: row for row in binary}
    assert by_position[1][0] == "tab\there, new\nline; back\\slash"  # delimiters and escapes untouched
    assert by_position[2**31 - 1][0] == ""  # an empty string stays empty, not NULL
    assert by_position[-(2**31)][0] is None and by_position[-(2**31)][2] == "null"
    assert json.loads(by_position[7][2]) == {"text": "emoji 🚀 and \x7f", "n": 6}


def test_a_table_in_several_record_batches_is_one_stream(postgres_url):
    table = _table()
    several = pa.concat_tables([table.slice(0, 3), table.slice(3)])
    assert several.column(0).num_chunks == 2
    assert _copied(postgres_url, several, "binary") == _copied(postgres_url, table, "binary")


def test_a_number_too_large_for_its_column_is_refused_before_anything_is_sent():
    table = pa.table({"position": pa.array([1, 2**40], pa.int64())})
    with pytest.raises(pgcopy.NotBinary, match="int4"):
        list(pgcopy.binary_chunks(table, ["int4"]))


def test_a_column_type_without_a_binary_writer_is_said_before_anything_is_sent():
    with pytest.raises(pgcopy.NotBinary, match="timestamptz"):
        next(pgcopy.binary_chunks(pa.table({"created": ["2025-01-21"]}), ["timestamptz"]))
