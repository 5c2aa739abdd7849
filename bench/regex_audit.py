"""Find regular expressions in orbat that take more than linear time on hostile text.

Why: one quadratic pattern lets a single 40,000-character word hold a worker for a minute. Each
module-level pattern (also inside lists, tuples and dicts) is run with `finditer` over strings
built by repeating a short unit, at two lengths; a pattern whose time grows much faster than the
length is reported. Inline patterns (`re.search(r"…")` inside functions) are not seen here; they
are audited by reading (see bench/README or the test that runs this).

    .venv/bin/python bench/regex_audit.py            # 2,000 and 16,000 characters
    .venv/bin/python bench/regex_audit.py --short 500 --long 4000
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import time
from collections.abc import Iterator

import orbat

#: Repeated units that push common regex shapes (x+ y, (?:a|b)+, lookarounds) to their worst case.
UNITS = ["A", "a", "1", " ", "-", ".", "\n", "'", "Ab ", "A ", "a ", "1 ", "A-", "A1", "a1", "the ", "of ",
         "T-7", "/", '"', "AB", "Ab", "A.", "1.", "1,", "1-", ", ", "\n ", " \n", "é", "É", "in the ",
         "by the ", "said ", "A a ", "1 A ", "-1", "a-", "A'", "'s "]


def patterns() -> Iterator[tuple[str, re.Pattern]]:
    """Every compiled pattern reachable from an orbat module's globals."""
    seen: set[int] = set()
    for info in pkgutil.walk_packages(orbat.__path__, "orbat."):
        if ".store.migrations" in info.name or info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 - optional pieces (e.g. a missing extra) are skipped
            continue
        for name, value in vars(module).items():
            for found in _walk(value, 0):
                if id(found) not in seen:
                    seen.add(id(found))
                    yield f"{info.name}.{name}", found


def _walk(value: object, depth: int) -> Iterator[re.Pattern]:
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _walk(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _walk(item, depth + 1)


def _time(pattern: re.Pattern, text: str) -> float:
    if isinstance(pattern.pattern, bytes):
        text = text.encode("utf-8")
    started = time.process_time()
    for _ in pattern.finditer(text):
        pass
    return time.process_time() - started


def superlinear(short: int = 2000, long: int = 16000,
                floor: float = 0.05) -> list[tuple[str, str, float, float, int]]:
    """(name, unit, time at an eighth of the length, time, length) for each pattern growing faster than linearly.

    Each pattern is timed at doubling lengths from `short` to `long`, stopping at the first length
    where it takes over `floor` seconds: a cubic pattern would otherwise hold the audit for hours at
    the long length. That time is compared with the time at an eighth of that length: a linear
    pattern takes about eight times as long, anything over twice that is reported (quadratic would
    be 64 times).
    """
    slow = []
    for name, pattern in patterns():
        for unit in UNITS:
            found = _grows_too_fast(pattern, unit, short, long, floor)
            if found:
                slow.append((name, unit, *found))
                break
    return slow


def _grows_too_fast(pattern: re.Pattern, unit: str, short: int, long: int,
                    floor: float) -> tuple[float, float, int] | None:
    def text(length: int) -> str:
        return (unit * (length // len(unit) + 1))[:length]

    length = short
    while True:
        taken = _time(pattern, text(length))
        if taken > floor:  # confirm: timing noise on a busy machine must not accuse a linear pattern
            taken = min(taken, _time(pattern, text(length)))
        if taken > floor or length >= long:
            break
        length = min(2 * length, long)
    if taken <= floor:
        return None
    base = min(_time(pattern, text(max(length // 8, 1))) for _ in range(2))
    return (base, taken, length) if taken > 2 * 8 * max(base, 1e-5) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", type=int, default=2000)
    parser.add_argument("--long", type=int, default=16000)
    args = parser.parse_args()
    count = sum(1 for _ in patterns())
    slow = superlinear(args.short, args.long)
    for name, unit, base, taken, length in slow:
        print(f"SUPERLINEAR {name}: unit {unit!r}: {base:.4f} s at {length // 8:,} chars, {taken:.3f} s at {length:,}")
    print(f"{count} patterns audited, {len(slow)} superlinear")


if __name__ == "__main__":
    main()
