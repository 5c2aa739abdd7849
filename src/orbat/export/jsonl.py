"""JSON Lines: one `orbat.extraction/1` record per stored document, for pipelines.

The records are rebuilt from storage (`Store.record`) exactly as `orbat extract --format json`
printed them, so a downstream job reads exports and fresh extractions with one parser.
`json.dumps` escapes every control character; U+0085, U+2028 and U+2029 are escaped too,
because some line splitters (Python's `str.splitlines`, JavaScript) treat them as line breaks
and would cut a record in two. A non-finite number (a NaN coordinate stored before ingest
checked them) is written as null: `NaN` is not JSON and would break every reader.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any, BinaryIO

LINE_BREAKS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def finite(value: Any) -> Any:
    """The value with NaN and ±infinity replaced by None, at any depth."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value


def line(record: dict[str, Any]) -> str:
    """One record as one line of JSON, whatever characters its text holds."""
    text = json.dumps(finite(record), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char, escaped in LINE_BREAKS.items():
        text = text.replace(char, escaped)
    return text


def write(records: Iterable[dict[str, Any]], out: BinaryIO) -> int:
    """Write each record as it is read (a million documents need no more memory than one)."""
    count = 0
    for record in records:
        out.write(line(record).encode("utf-8") + b"\n")
        count += 1
    return count
