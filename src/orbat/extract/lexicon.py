"""One Aho-Corasick automaton over every catalog alias, so a document is scanned once.

Keys are folded (see `orbat.normalize`) so case, accents, Cyrillic look-alikes and separators
do not matter; short acronyms keep their case and proper names must start with a capital,
which keeps "US" away from "us" and "Chad" away from "chad".
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from array import array
from dataclasses import astuple, dataclass
from functools import cache
from pathlib import Path

import ahocorasick

from orbat.catalog import Catalogs, load_catalogs
from orbat.normalize import alias_variants, fold, is_case_sensitive, strip_accents

# When one span names several kinds of thing, the first kind here is the mention's kind; the
# others stay as candidates (a country is also a state actor).
KIND_PRIORITY = ("installation", "equipment", "country", "region", "actor", "equipment_class")
PROPER_KINDS = {"installation", "country", "region", "actor"}


@dataclass(slots=True, frozen=True)
class Sense:
    kind: str
    id: str
    alias: str
    case_sensitive: bool
    needs_capital: bool


@dataclass(slots=True)
class Hit:
    start: int
    end: int
    senses: list[Sense]


def _senses_for(catalogs: Catalogs):
    for e in catalogs.equipment.values():
        for alias in (e.name, *e.aliases):
            yield "equipment", e.id, alias
    for c in catalogs.classes.values():
        for noun in c.nouns:
            yield "equipment_class", c.id, noun
    for a in catalogs.actors.values():
        if a.actor_type == "state":
            # Country names come from the country list; keep only a state's other names (Kremlin).
            country = catalogs.countries.get(a.country or "")
            names = {fold(n) for n in ((country.name, *country.aliases) if country else ())}
            for alias in (a.name, *a.aliases):
                if fold(alias) not in names:
                    yield "actor", a.id, alias
            continue
        for alias in (a.name, *a.aliases):
            yield "actor", a.id, alias
    for i in catalogs.installations.values():
        for alias in (i.name, *i.aliases):
            yield "installation", i.id, alias
    for r in catalogs.regions.values():
        for alias in (r.name, *r.aliases):
            yield "region", r.id, alias
    for code, country in catalogs.countries.items():
        for alias in (country.name, *country.aliases):
            yield "country", code, alias


class Lexicon:
    """Every catalog alias, folded, with the senses it can have. Built from the catalogs in about
    half a second; `cache_dir` keeps a copy on disk (`lexicon.bin`), keyed by everything the build
    reads, so a new process loads it in a few hundredths instead.

    The folded spellings are numbered in the automaton (its value for each key); a spelling's
    senses are read from flat arrays by that number when a text names it, not laid out for all
    50,000 spellings up front (that alone was a third of loading)."""

    def __init__(self, catalogs: Catalogs, cache_dir: Path | None = None):
        self.catalogs = catalogs
        aliases = [(kind, entry_id, alias.strip()) for kind, entry_id, alias in _senses_for(catalogs)]
        path = cache_dir / CACHE_NAME if cache_dir else None
        key = _cache_key(aliases) if path else b""
        loaded = _read_cache(path, key) if path else None
        if loaded is None:
            table = _table(aliases)
            automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            for index, key_text in enumerate(table):
                automaton.add_word(key_text, index)
            automaton.make_automaton()
            loaded = _flatten(table, automaton)
            if path:
                _write_cache(path, key, loaded)
        senses, self._lengths, self._offsets, self._flat, self.automaton = loaded
        self._senses = [Sense(*s) for s in senses]
        self._by_index: dict[int, list[Sense]] = {}

    def _senses_of(self, index: int) -> list[Sense]:
        found = self._by_index.get(index)
        if found is None:
            made = self._senses
            found = self._by_index[index] = [made[i] for i in self._flat[self._offsets[index]:self._offsets[index + 1]]]
        return found

    def table(self) -> dict[str, list[Sense]]:
        """Every folded spelling with its senses (for checks: extraction never needs them all)."""
        return {spelling: self._senses_of(index) for spelling, index in self.automaton.items()}

    def lookup(self, text: str) -> list[Sense]:
        index = self.automaton.get(fold(text).strip(), -1)
        return list(self._senses_of(index)) if index >= 0 else []

    def scan(self, text: str, folded: str) -> list[Hit]:
        """Longest non-overlapping hits at word boundaries, allowing a plural "s" for systems."""
        raw: list[Hit] = []
        lengths, senses_of = self._lengths, self._senses_of
        for last, index in self.automaton.iter(folded):
            start, end = last - lengths[index] + 1, last + 1
            if start > 0 and (folded[start - 1].isalnum()
                              or folded[start - 1] == "-" and _alnum_before(folded, start - 1)):
                continue
            end, plural = _word_end(folded, end)
            if end < 0 or plural and text[end - 1] == "S" and text[start:end].isupper():
                continue  # "APS" is an acronym of its own, not the plural of "AP" (that is "APs")
            # senses only for hits at word boundaries: most hits of the automaton are inside words
            # "Turkeys and chickens", "the two Koreas": a country's name takes no plural of its own
            kept = [s for s in senses_of(index) if not (plural and s.kind == "country")
                    and _fits(s, text[start:end - plural], start, text)]
            if kept:
                raw.append(Hit(start, end, kept))
        raw.sort(key=lambda h: (-(h.end - h.start), h.start))
        chosen: list[Hit] = []
        occupied = bytearray(len(text) + 1)
        for hit in raw:
            if any(occupied[hit.start:hit.end]):
                continue
            occupied[hit.start:hit.end] = b"\x01" * (hit.end - hit.start)
            chosen.append(hit)
        chosen.sort(key=lambda h: h.start)
        return chosen


def _nickname(kind: str, alias: str) -> bool:
    """A system named by one plain word ("Rafale", "Tigre", "Typhoon") is a proper name: written
    in lower case it is the common word (a gust of wind, a tiger), not the aircraft."""
    return kind == "equipment" and alias.isalpha()


def _capitals_kept(alias: str, original: str) -> bool:
    """Whether every word after the first that the catalog capitalises ("The Rock", "Camp Lemonnier")
    is capitalised in the text too: a nickname made of common words is a name only in capitals."""
    pairs = zip(alias.split()[1:], original.split()[1:], strict=False)
    return all(written[:1].isupper() for word, written in pairs if word[:1].isupper())


def _short_letter_prefix(alias: str) -> bool:
    """"A-50", "T-72", "Su 25": at most two letters, in capitals, then a number."""
    letters = [c for c in alias if c.isalpha()]
    return 0 < len(letters) <= 2 and any(c.isupper() for c in letters) and any(c.isdigit() for c in alias)
def _sentence_case(kind: str, alias: str) -> bool:
    """"Marine nationale", "Forces démocratiques syriennes": a body whose catalog name already has
    lower-case words is written in lower case too ("la marine nationale"), so it needs no capital.
    Names in title case ("Air Force") keep the capital, or every "air force" would be one."""
    words = alias.split()
    return kind == "actor" and len(words) >= 2 and any(w[:1].islower() and len(w) > 3 for w in words[1:])


def _alnum_before(folded: str, index: int) -> bool:
    return index > 0 and folded[index - 1].isalnum()


def _word_end(folded: str, end: int) -> tuple[int, int]:
    """End of the match, swallowing a plural "s"/"'s"; -1 if the match stops inside a word."""
    if end >= len(folded) or not folded[end].isalnum():
        if end < len(folded) - 1 and folded[end] == "-" and folded[end + 1].isalnum() and folded[end + 1].isdigit():
            return -1, 0  # "T-72" inside "T-72-120"
        return end, 0
    if folded[end] == "s" and (end + 1 >= len(folded) or not folded[end + 1].isalnum()):
        return end + 1, 1
    return -1, 0


def _fits(sense: Sense, original: str, start: int, text: str) -> bool:
    if sense.case_sensitive:
        return strip_accents(original).replace("-", "").replace(" ", "") == \
            strip_accents(sense.alias).replace("-", "").replace(" ", "")
    if sense.needs_capital and not original[:1].isupper():
        return False
    if sense.kind == "installation" and not _capitals_kept(sense.alias, original):
        return False  # "The rock band Queen" is not "The Rock", Kuwait's Ali Al Salem air base
    if sense.kind == "equipment" and original.islower() and _short_letter_prefix(sense.alias):
        return False  # "a 50/50 joint venture", "f 16": a designation's letters are written in capitals
    if sense.kind == "equipment" and sense.needs_capital and _nickname(sense.kind, sense.alias):
        return original.casefold() == sense.alias.casefold()  # "Tigre" the helicopter, "Tigré" the region
    # "IFV", "APC": acronyms only in capitals
    return not (sense.kind == "equipment_class" and sense.alias.isupper() and original != sense.alias
                and original.rstrip("s") != sense.alias)


def _table(aliases: list[tuple[str, str, str]]) -> dict[str, list[Sense]]:
    """Folded spelling -> the senses it can have, in catalog order."""
    table: dict[str, list[Sense]] = {}
    for kind, entry_id, alias in aliases:
        if len(alias) < 2:
            continue
        sense = Sense(kind, entry_id, alias, is_case_sensitive(alias),
                      (kind in PROPER_KINDS or _nickname(kind, alias)) and alias[:1].isupper()
                      and not _sentence_case(kind, alias))
        for variant in alias_variants(alias):
            bucket = table.setdefault(variant, [])
            if sense not in bucket:
                bucket.append(sense)
    return table


def _flatten(table: dict[str, list[Sense]], automaton: ahocorasick.Automaton) -> tuple:
    """(the distinct senses as tuples, each spelling's length, where its sense numbers start in
    the flat list, the flat list of sense numbers, the automaton): spelling i is the automaton's
    value i. Plain tuples and arrays, quick to write and to read back."""
    numbers: dict[Sense, int] = {}
    lengths, offsets, flat = array("I"), array("I", [0]), array("I")
    for spelling, senses in table.items():
        lengths.append(len(spelling))
        flat.extend(numbers.setdefault(s, len(numbers)) for s in senses)
        offsets.append(len(flat))
    return [astuple(s) for s in numbers], lengths, offsets, flat, automaton


# --- the copy on disk ------------------------------------------------------------------------
# One file, replaced whole: a key (what the build read), a checksum of the payload, then the
# payload in `marshal` format (plain tuples, strings and bytes; nothing in it is code). Anything
# that does not match, or does not read, is ignored and rebuilt.
CACHE_NAME = "lexicon.bin"
CACHE_FORMAT = b"orbat-lexicon 2\n"


def _cache_key(aliases: list[tuple[str, str, str]]) -> bytes:
    """The aliases themselves, the code that folds them and builds senses, the automaton library
    and the Python that wrote the file: any change gives another key."""
    digest = hashlib.sha256(CACHE_FORMAT)
    digest.update("\x1e".join("\x1f".join(fields) for fields in aliases).encode("utf-8", "surrogatepass"))
    for source in (__file__, sys.modules[alias_variants.__module__].__file__):
        digest.update(Path(source).read_bytes())
    library = os.stat(ahocorasick.__file__)  # compiled: its size and time stand for its version
    digest.update(f"{library.st_size} {library.st_mtime_ns} {sys.version}".encode())
    return digest.digest()


def _read_cache(path: Path, key: bytes) -> tuple | None:
    try:
        data = path.read_bytes()
        header = len(CACHE_FORMAT) + 64
        if data[: len(CACHE_FORMAT)] != CACHE_FORMAT or data[len(CACHE_FORMAT) : len(CACHE_FORMAT) + 32] != key \
                or hashlib.sha256(data[header:]).digest() != data[header - 32 : header]:
            return None
        senses, lengths, offsets, flat, state = marshal.loads(data[header:])
        arrays = []
        for raw in (lengths, offsets, flat):
            arrays.append(array("I"))
            arrays[-1].frombytes(raw)
        lengths, offsets, flat = arrays
        if len(offsets) != len(lengths) + 1 or offsets[-1] != len(flat) or (flat and max(flat) >= len(senses)):
            return None
        return senses, lengths, offsets, flat, ahocorasick.Automaton(*state)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _write_cache(path: Path, key: bytes, flattened: tuple) -> None:
    """Best effort: a home that cannot be written costs the next process the build, nothing else."""
    senses, lengths, offsets, flat, automaton = flattened
    payload = marshal.dumps((senses, lengths.tobytes(), offsets.tobytes(), flat.tobytes(),
                             automaton.__reduce__()[1]))
    from orbat.atomic import write_file
    from orbat.errors import UserError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, CACHE_FORMAT + key + hashlib.sha256(payload).digest() + payload)
    except (OSError, UserError):
        pass


@cache
def default_lexicon() -> Lexicon:
    from orbat.settings import default_home

    return Lexicon(load_catalogs(), default_home())
