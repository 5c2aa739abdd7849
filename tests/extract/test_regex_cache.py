"""Compiled regular expressions kept on disk (`orbat.compiled`): the next process gets, from the
file, the same pattern objects `re.compile` builds; a damaged file or a changed pattern is
compiled as usual and the file rewritten, never trusted and never a crash."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from orbat import compiled

_numbers = itertools.count()


def _patterns() -> list[tuple[str, int]]:
    """Patterns this test process has not compiled yet (`re` answers from its own cache otherwise),
    with named groups, flags and an alternation long enough to be worth keeping."""
    n = next(_numbers)
    words = "|".join(f"w{n}x{i}(?:ord)?" for i in range(300))
    return [(rf"(?<![\w-])(?P<word>{words})\s+(?P<number>\d+)(?:st|nd|rd|th)?", 0),
            (rf"colonel\s(?P<name>[A-ZÀ-Þ]\w+){n}|{words}", re.IGNORECASE)]


def _compile_all(patterns: list[tuple[str, int]]) -> list[re.Pattern]:
    return [re.compile(pattern, flags) for pattern, flags in patterns]


def _new_process() -> None:
    """What a new process starts with: nothing compiled, nothing claimed by an earlier block."""
    re.purge()
    compiled._claimed.clear()


def test_the_next_process_gets_the_same_patterns_from_the_file(tmp_path: Path):
    path = tmp_path / "regex.bin"
    patterns = _patterns()
    with compiled.kept(path):
        first = _compile_all(patterns)
    assert path.is_file()
    _new_process()
    written = path.stat().st_ino
    with compiled.kept(path):
        assert all(re._cache.get((str, p, f)) is not None for p, f in patterns)  # seeded before use
        again = _compile_all(patterns)
    assert path.stat().st_ino == written  # nothing new: the file is not rewritten
    assert again == first  # same pattern text, flags and compiled code
    for a, b in zip(again, first, strict=True):
        assert (a.flags, a.groups, a.groupindex) == (b.flags, b.groups, b.groupindex)
    text = "Seen: w0x7ord 12th and W1X3 4 near colonel Dupont; w9x299 77"
    assert [m.groupdict() for a in again for m in a.finditer(text)] == \
        [m.groupdict() for b in first for m in b.finditer(text)] != []


def test_a_damaged_file_is_compiled_around_and_rewritten(tmp_path: Path):
    path = tmp_path / "regex.bin"
    patterns = _patterns()
    with compiled.kept(path):
        good = _compile_all(patterns)
    damaged = bytearray(path.read_bytes())
    damaged[-50] ^= 0xFF
    for broken in (bytes(damaged), b"orbat-regex 1\nnot a file", b""):
        path.write_bytes(broken)
        _new_process()
        with compiled.kept(path):
            assert _compile_all(patterns) == good
        assert path.read_bytes() != broken  # replaced by a good copy
    _new_process()
    with compiled.kept(path):
        assert all(re._cache.get((str, p, f)) is not None for p, f in patterns)


def test_a_changed_pattern_is_a_new_entry_not_a_stale_hit(tmp_path: Path):
    path = tmp_path / "regex.bin"
    old = _patterns()
    with compiled.kept(path):
        _compile_all(old)
    _new_process()
    new = _patterns()  # the code changed: other pattern text
    with compiled.kept(path):
        changed = _compile_all(new)
    _new_process()
    assert changed == [re.compile(p, f) for p, f in new]  # compiled from the text, not from the file
    _new_process()
    with compiled.kept(path):  # both are kept now
        assert all(re._cache.get((str, p, f)) is not None for p, f in old + new)


def test_an_unwritable_home_only_costs_the_compile(tmp_path: Path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    patterns = _patterns()
    word = re.search(r"w\d+x3", patterns[0][0]).group(0)
    with compiled.kept(blocked / "regex.bin"):
        assert _compile_all(patterns)[0].search(f"{word} 9").group("word") == word


class _Text(str):
    """A string type of a parsing library's own (as HTML parsers hand out)."""


def test_a_pattern_of_another_string_type_is_compiled_not_kept(tmp_path: Path):
    path = tmp_path / "regex.bin"
    patterns = _patterns()
    with compiled.kept(path):
        odd = re.compile(_Text(patterns[0][0] + "|odd"))
        _compile_all(patterns)
    assert odd.search("odd")
    _new_process()
    with compiled.kept(path):
        assert all(re._cache.get((str, p, f)) is not None for p, f in patterns)
