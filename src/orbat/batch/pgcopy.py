"""Arrow tables as PostgreSQL's binary `COPY` format, for `orbat batch load`.

Why binary: in the text and CSV formats the server scans every byte of every row for
delimiters, quotes and escapes before it converts a field; on a 100,000-document load that
scanning was over a third of the server's CPU while it wrote the claims and entities (their
sentences and JSON records are most of the bytes). In the binary format each field comes with
its length and the server copies it as it is, and Arrow's compute kernels build the stream
column by column, with no Python per row.

Each field is a four-byte big-endian length (-1 for NULL) and its bytes: text (and JSON,
whose binary form is its text) as UTF-8, integers and floats in network byte order, a boolean
as one byte. Each row starts with its number of fields; the stream has a fixed header and a
-1 trailer (PostgreSQL's documentation of `COPY`, "Binary Format").
"""

from __future__ import annotations

import array
import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, then no flags and no header extension
TRAILER = b"\xff\xff"
_EMPTY = pa.scalar(b"", pa.binary())
BATCH_ROWS = 50_000  # rows encoded at once: their bytes stay far below a binary array's 2 GiB
#: PostgreSQL type name: (the Arrow type its values are cast to, its `array` type code)
_NUMBERS = {"int2": (pa.int16(), "h"), "int4": (pa.int32(), "i"), "int8": (pa.int64(), "q"),
            "float4": (pa.float32(), "f"), "float8": (pa.float64(), "d")}
#: Types whose binary form is the text itself.
_TEXTUAL = frozenset({"text", "varchar", "json", "bpchar"})


class NotBinary(ValueError):
    """A column the binary format is not written for here (a type, or a value that does not fit)."""


def supported(pg_types: list[str]) -> bool:
    return all(t in _TEXTUAL or t in _NUMBERS or t == "bool" for t in pg_types)


def binary_chunks(table: pa.Table, pg_types: list[str]) -> Iterator[memoryview]:
    """The table's rows as a binary COPY stream, header and trailer included, a record batch
    at a time; `pg_types` names each column's type in the target table (`pg_type.typname`)."""
    if not supported(pg_types):
        raise NotBinary(f"no binary form here for {sorted(set(pg_types) - _TEXTUAL - set(_NUMBERS))}")
    yield memoryview(HEADER)
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        if batch.num_rows:
            yield _rows(batch, pg_types)
    yield memoryview(TRAILER)


def _rows(batch: pa.RecordBatch, pg_types: list[str]) -> memoryview:
    parts: list[pa.Array | pa.Scalar] = [pa.scalar(len(pg_types).to_bytes(2, "big"), pa.binary())]
    for column, pg_type in zip(batch.columns, pg_types, strict=True):
        parts.extend(_field(column, pg_type))
    rows = pc.binary_join_element_wise(*parts, _EMPTY)
    offsets = memoryview(rows.buffers()[1]).cast("i")
    return memoryview(rows.buffers()[2])[offsets[rows.offset]:offsets[rows.offset + len(rows)]]


def _field(column: pa.Array, pg_type: str) -> tuple[pa.Array | pa.Scalar, pa.Array]:
    """(each row's length prefix, each row's bytes) of one column; a NULL is -1 and no bytes."""
    if pa.types.is_null(column.type):  # a column no row of this part fills
        column = pa.nulls(len(column), pa.binary() if pg_type in _TEXTUAL else
                          pa.bool_() if pg_type == "bool" else _NUMBERS[pg_type][0])
    if pg_type in _TEXTUAL:
        payload = pc.cast(column, pa.binary())
        return _network_order(pc.cast(pc.binary_length(payload), pa.int32()).fill_null(-1), "i"), \
            payload.fill_null(_EMPTY)
    if pg_type == "bool":
        payload, size = pc.if_else(column.fill_null(False), pa.scalar(b"\x01"), pa.scalar(b"\x00")), 1
    else:
        arrow_type, code = _NUMBERS[pg_type]
        try:
            values = pc.cast(column, arrow_type)  # safe cast: a value that does not fit raises
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            raise NotBinary(f"{pg_type}: {error}") from None
        payload, size = _network_order(values.fill_null(0), code), array.array(code).itemsize
    if not column.null_count:
        return pa.scalar(size.to_bytes(4, "big"), pa.binary()), payload
    nulls = column.is_null()
    return _network_order(pc.if_else(nulls, -1, size).cast(pa.int32()), "i"), pc.if_else(nulls, _EMPTY, payload)


def _network_order(values: pa.Array, code: str) -> pa.Array:
    """Each number's bytes, big-endian, as a binary value per row (`values` has no nulls)."""
    held = array.array(code)
    size = held.itemsize
    held.frombytes(memoryview(values.buffers()[1])[values.offset * size:(values.offset + len(values)) * size])
    if sys.byteorder == "little":
        held.byteswap()
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(size), len(values), [None, pa.py_buffer(held)]) \
        .cast(pa.binary())
