"""Compiled regular expressions kept on disk, so a new process does not compile them again.

Python compiles a pattern in pure Python (parse, then code generation) and keeps the result only
for the life of the process. A new `orbat extract` compiled some 400 of them (orbat's own tables,
spaCy's tokenizer rules): ~0.2 s of CPU, and the French pipeline adds one of 1.4 MB (spaCy's
hyphenated-word exceptions) that alone took 2.5-3 s. The compiled form is plain data (a list of
integers and the group names), so it is written once under ORBAT_HOME and, in the next process,
handed back to the C constructor `_sre.compile` and put in `re`'s own cache before the code that
compiles the pattern runs: that code gets the very object `re.compile` would have built.

`kept(path)` wraps a stretch of code: on the way in it fills `re`'s cache from the file, on the
way out it adds what was compiled in between and was worth keeping. Safe by construction:
- an entry is looked up by its exact pattern text and flags, as `re` looks it up; a pattern
  that changes in the code is a new entry, never a stale hit;
- the file is tied to this Python's exact version and regex engine (`_sre.MAGIC`), checked with
  a SHA-256 of its contents, and replaced whole by an atomic rename (concurrent processes each
  write a complete file; the last one stays). Anything that does not read, or does not match,
  is ignored and rewritten;
- an entry is written only after the object rebuilt from it compared equal (same pattern,
  flags and code) to the one `re` compiled;
- where `re` or `_sre` do not look as expected, nothing is done and Python compiles as usual.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
import time
from array import array
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

try:  # CPython's regex engine; the layout of its cache and code is checked in `_usable`
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python
    _sre = None

FORMAT = b"orbat-regex 1\n"
EXTRACT_FILE = "regex-extract.bin"  # `orbat extract`'s own (a pipeline's are in `pipeline_file`)
#: Misses cheaper than this to compile (in CPU seconds, all together) are not worth a rewrite:
#: a pattern built from one document's words would otherwise rewrite the file every run.
WORTH_WRITING = 0.005
MAX_ENTRIES = 2000  # past this (stale patterns from older code), the file keeps only this run's
#: keys seeded or recorded by any `kept` block in this process: an enclosing block leaves them to
#: the block that owns them (the French pipeline's file, not the command's)
_claimed: set[tuple] = set()


def pipeline_file(name: str) -> str:
    """The file of what loading the spaCy pipeline `name` compiles."""
    return f"regex-{name}.bin"


def _usable() -> bool:
    return (_sre is not None and isinstance(getattr(re, "_cache", None), dict) and hasattr(_compiler, "_code")
            and hasattr(_parser, "parse") and _sre.CODESIZE == 4)


def _stamp() -> bytes:
    return hashlib.sha256(f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}".encode()).digest()


@contextmanager
def kept(path: Path | None) -> Iterator[None]:
    """Patterns compiled inside the block come from `path` when they are there; new ones are
    added to it on the way out (best effort: a home that cannot be written costs nothing else)."""
    if path is None or not _usable():
        yield
        return
    before = set(re._cache.copy())
    seeded = _seed(_read(path), before)
    _claimed.update(seeded)
    try:
        yield
    finally:
        after = re._cache.copy()
        misses = {key: pattern for key, pattern in after.items()
                  if key not in before and key not in seeded and key not in _claimed}
        if misses:
            _record(path, after, misses)


def _read(path: Path) -> dict[tuple, tuple]:
    try:
        data = path.read_bytes()
        head = len(FORMAT) + 64
        if data[:len(FORMAT)] != FORMAT or data[len(FORMAT):len(FORMAT) + 32] != _stamp() \
                or hashlib.sha256(data[head:]).digest() != data[head - 32:head]:
            return {}
        entries = marshal.loads(data[head:])
        return {(type(entry[0]), entry[0], entry[1]): entry for entry in entries}
    except Exception:  # unreadable, or not what this module writes: as if there were no file
        return {}


def _seed(entries: dict[tuple, tuple], present: set[tuple]) -> dict[tuple, tuple]:
    """Put each stored pattern not already compiled in this process into `re`'s cache."""
    seeded = {}
    for key, entry in entries.items():
        if key in present:
            continue
        try:
            re._cache[key] = _build(entry)
        except Exception:  # a damaged entry: `re` compiles that pattern as usual
            continue
        seeded[key] = entry
    return seeded


def _build(entry: tuple) -> re.Pattern:
    pattern, _flags, final_flags, code, groups, groupindex, indexgroup = entry
    words = array("I")
    words.frombytes(code)
    return _sre.compile(pattern, final_flags, words.tolist(), groups, groupindex, indexgroup)


def _entry(key: tuple, compiled: re.Pattern) -> tuple | None:
    """The stored form of one pattern, or None if the rebuilt object would not be the same one."""
    kind, pattern, flags = key
    if kind not in (str, bytes) or type(pattern) is not kind or type(flags) is not int \
            or flags & (re.DEBUG | re.LOCALE):
        return None  # a str subclass (a parser's string type) cannot be written, nor an odd flag
    parsed = _parser.parse(pattern, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    entry = (pattern, flags, flags | parsed.state.flags, array("I", _compiler._code(parsed, flags)).tobytes(),
             parsed.state.groups - 1, groupindex, tuple(indexgroup))
    marshal.dumps(entry)  # plain data only: anything else raises here, and the entry is not kept
    return entry if _build(entry) == compiled else None


def _record(path: Path, present: dict[tuple, re.Pattern], misses: dict[tuple, re.Pattern]) -> None:
    # best effort: keeping patterns must never fail the command that compiled them
    with suppress(Exception):
        _write(path, present, misses)


def _write(path: Path, present: dict[tuple, re.Pattern], misses: dict[tuple, re.Pattern]) -> None:
    started = time.process_time()
    new = {}
    for key, compiled in misses.items():
        try:
            entry = _entry(key, compiled)
        except Exception:  # a pattern this module cannot rebuild is simply not kept
            entry = None
        if entry is not None:
            new[key] = entry
    if not new or time.process_time() - started < WORTH_WRITING:
        return
    entries = {**_read(path), **new}
    if len(entries) > MAX_ENTRIES:
        entries = {key: entry for key, entry in entries.items() if key in present}
    _claimed.update(new)
    payload = marshal.dumps(list(entries.values()))
    from orbat.atomic import write_file
    from orbat.errors import UserError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, FORMAT + _stamp() + hashlib.sha256(payload).digest() + payload)
    except (OSError, UserError):
        pass
