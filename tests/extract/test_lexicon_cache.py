"""The lexicon's copy on disk: a new process loads it instead of folding every alias again, and it
finds exactly what a freshly built lexicon finds; a stale or damaged copy is never used."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from orbat.catalog import load_catalogs
from orbat.extract.lexicon import CACHE_NAME, Lexicon
from orbat.normalize import fold

TEXT = ("Two T-72B3 tanks and a Pantsir-S1 were filmed at Gao airport on Friday; the Malian armed forces "
        "(FAMa) and the Africa Corps said BTR-80s had reached Bamako.")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Lexicon, bytes]:
    """One lexicon built from the catalogs, and the copy on disk it wrote."""
    folder = tmp_path_factory.mktemp("home")
    lexicon = Lexicon(load_catalogs(), folder)
    return lexicon, (folder / CACHE_NAME).read_bytes()


def _hits(lexicon: Lexicon) -> list[tuple[int, int, list[tuple[str, str]]]]:
    return [(h.start, h.end, [(s.kind, s.id) for s in h.senses]) for h in lexicon.scan(TEXT, fold(TEXT))]


def test_a_cached_lexicon_finds_what_a_fresh_one_finds(tmp_path: Path, built):
    fresh, copy = built
    (tmp_path / CACHE_NAME).write_bytes(copy)
    written = (tmp_path / CACHE_NAME).stat().st_ino
    loaded = Lexicon(load_catalogs(), tmp_path)
    assert (tmp_path / CACHE_NAME).stat().st_ino == written  # read, not rebuilt and written again
    assert _hits(loaded) == _hits(fresh)
    assert len(_hits(fresh)) >= 6  # systems, places, actors: the text really exercises the scan
    assert loaded.table() == fresh.table()
    assert len(fresh.table()) > 10_000
    assert loaded.lookup("FAMa") == fresh.lookup("FAMa") != []


def test_a_damaged_or_foreign_copy_is_rebuilt(tmp_path: Path, built):
    fresh, copy = built
    path = tmp_path / CACHE_NAME
    damaged = bytearray(copy)
    damaged[-100] ^= 0xFF  # one flipped byte in the payload
    path.write_bytes(bytes(damaged))
    assert _hits(Lexicon(load_catalogs(), tmp_path)) == _hits(fresh)
    assert path.read_bytes() != bytes(damaged)  # replaced …
    replaced = path.stat().st_ino
    assert _hits(Lexicon(load_catalogs(), tmp_path)) == _hits(fresh)
    assert path.stat().st_ino == replaced  # … by a good copy: read this time, not written again
    path.write_bytes(b"orbat-lexicon 1\nnot a lexicon")
    assert _hits(Lexicon(load_catalogs(), tmp_path)) == _hits(fresh)


def test_an_unwritable_home_only_costs_the_build(tmp_path: Path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    lexicon = Lexicon(load_catalogs(), blocked)  # the cache folder is a file: nothing can be written
    assert lexicon.lookup("T-72B3")


def test_a_catalog_change_rebuilds_the_copy(tmp_path: Path, built):
    """An alias added to a catalog is found at once: the copy of the old catalogs is not used."""
    _fresh, copy = built
    (tmp_path / CACHE_NAME).write_bytes(copy)
    catalogs = load_catalogs()
    t72 = catalogs.equipment["t-72b3"]
    changed = replace(catalogs, equipment={**catalogs.equipment,
                                           "t-72b3": replace(t72, aliases=(*t72.aliases, "Tankograd Special"))})
    lexicon = Lexicon(changed, tmp_path)
    assert [s.id for s in lexicon.lookup("Tankograd Special")] == ["t-72b3"]
    assert (tmp_path / CACHE_NAME).read_bytes() != copy  # rewritten for the new catalogs
    assert Lexicon(changed, tmp_path).table() == lexicon.table()
