"""Sentence structure: parse the sentences that can hold a claim, with spaCy's small pipelines.

Only candidate sentences (a system, a class or an event cue in them) are parsed, and spaCy is
imported the first time one exists, so a document with nothing to relate never pays for it.
Each parse is copied into plain `Token`s at once: no spaCy object leaves this module, and
nothing here is needed for relate to work. Without a parse (a language we have no pipeline
for, a sentence too long for the parser, a pipeline that cannot load) the rules fall back to
the word-window rules of `attach`, and the document gets one warning saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from orbat import budget, pooled
from orbat.relate.attributes import Rules, compile_rules, key_rows
from orbat.relate.pipelines import PIPELINES, load_by_name, load_pipeline  # noqa: F401  (load_pipeline: the relate stage's loader, as callers and tests name it)
from orbat.relate.vocabulary import words

PARSE_OFF = ["ner"]  # the relation stage reads tags, morphology and dependencies
BATCH = 64
MAX_PARSE_CHARS = 1500  # longer "sentences" are tables or run-on page noise: the fast path reads them
# Parsing is the dearest step per sentence. A news report has at most a few dozen candidate
# sentences (the real-text set: 10 at most); a piece of a long document (`chunks.CHUNK_CHARS`) in
# which nearly every sentence is one is a generated or hostile text, so only its first
# PARSE_BUDGET candidates are parsed and the rest take the fast path, with a warning.
PARSE_BUDGET = 200
OVER_BUDGET = (
    f"relate: more candidate sentences than the parse budget ({PARSE_BUDGET} per piece of text, "
    f"{budget.PARSED_SENTENCES} per document); "
    "the rest have claims from the fast path"
)
FUNCTION_WORDS = {
    "en": ("the", "of", "and", "is", "to", "was", "were", "with", "from", "have"),
    "fr": ("le", "la", "les", "des", "est", "une", "dans", "du", "avec", "sont"),
    "de": ("der", "die", "und", "das", "nicht", "mit", "ist", "wurde", "auf", "ein"),
    "es": ("el", "los", "las", "del", "por", "una", "con", "fue", "para", "está"),
    "it": ("il", "della", "che", "gli", "sono", "nella", "stato", "alla", "anche", "dei"),
    "pt": ("os", "não", "uma", "foram", "pelo", "pela", "com", "são", "dos", "das"),
}
MIXED_SCRIPT = re.compile(r"[\u0400-\u04FF\u0600-\u06FF\u0590-\u05FF\u4E00-\u9FFF\u3040-\u30FF\uAC00-\uD7AF]")


@dataclass(slots=True, frozen=True)
class Token:
    start: int  # offsets in the document text
    end: int
    text: str
    pos: str
    dep: str
    head: int  # index of the head token in `Parse.tokens`; the root is its own head
    conditional: bool = False  # French "auraient", "seraient": mood Cnd


@dataclass(slots=True)
class Parse:
    """One sentence's dependency tree, as plain data."""

    tokens: list[Token] = field(default_factory=list)

    def token_of(self, start: int, end: int) -> int | None:
        """The syntactic head of a span: the token inside it whose head lies outside it."""
        inside = [i for i, t in enumerate(self.tokens) if t.start < end and t.end > start]
        for i in inside:
            head = self.tokens[i].head
            if head == i or head not in inside:
                return i
        return inside[0] if inside else None

    def ancestors(self, index: int) -> list[int]:
        out, seen = [], {index}
        while (head := self.tokens[index].head) not in seen:
            out.append(head)
            seen.add(head)
            index = head
        return out

    def children(self, index: int) -> list[int]:
        return [i for i, t in enumerate(self.tokens) if t.head == index and i != index]


@dataclass(slots=True)
class Tally:
    """What became of one call's sentences: too long or unreadable, or over the parse budget."""

    skipped: int = 0
    over_budget: int = 0


class Parser:
    """The pipeline of one language, loaded on first use and kept for the process."""

    def __init__(self, language: str):
        self.language = language
        self._nlp = None
        self._rules: Rules | None = None  # the attribute ruler's rules, applied without spaCy's Matcher
        self.failed: str | None = None
        self.parsed = 0
        self.skipped = 0
        self.over_budget = 0  # candidates left to the fast path by PARSE_BUDGET

    def _load(self):
        if self._nlp is None and self.failed is None:
            name = PIPELINES.get(self.language)
            if name is None:
                self.failed = f"no parser for language {self.language!r}; claims come from the fast path"
                return None
            try:
                self._nlp = load_by_name(name)
                self._rules = compile_rules(self._nlp)
            except Exception as exc:  # a broken or missing install must not stop extraction
                self.failed = f"parser {name} could not load ({type(exc).__name__}); claims come from the fast path"
        return self._nlp

    def parse(self, text: str, start: int) -> Parse | None:
        return self.parse_many([(text, start)])[0]

    def parse_many(self, sentences: list[tuple[str, int]], tally: Tally | None = None) -> list[Parse | None]:
        """Parse a document's candidate sentences in one batch (much faster than one by one).

        `tally` gets this call's own counts: the parser's totals also move with other documents'
        calls while this one waits for a pooled parse (`orbat.pooled`)."""
        tally = tally if tally is not None else Tally()
        out: list[Parse | None] = [None] * len(sentences)
        wanted = [i for i, (text, _) in enumerate(sentences) if len(text) <= MAX_PARSE_CHARS]
        self.skipped += len(sentences) - len(wanted)
        tally.skipped += len(sentences) - len(wanted)
        allowed = budget.take("parses", min(len(wanted), PARSE_BUDGET))
        if len(wanted) > allowed:
            self.over_budget += len(wanted) - allowed
            tally.over_budget += len(wanted) - allowed
            wanted = wanted[:allowed]
        nlp = self._load() if wanted else None
        if nlp is None:
            return out
        rules = self._rules
        try:
            docs = pooled.pipe(nlp, [sentences[i][0] for i in wanted], batch_size=BATCH,
                               disable=PARSE_OFF + ["attribute_ruler"] if rules else PARSE_OFF)
        except Exception:  # the parser is an aid; a batch it cannot read keeps the fast path
            self.skipped += len(wanted)
            tally.skipped += len(wanted)
            return out
        for i, doc in zip(wanted, docs, strict=True):
            text, start = sentences[i]
            if rules is None:
                read = [(t.pos_, t.dep_, "Cnd" in t.morph.get("Mood")) for t in doc]
                out[i] = Parse([Token(start + t.idx, start + t.idx + len(t.text), t.text, pos, dep.lower(), t.head.i,
                                      cnd) for t, (pos, dep, cnd) in zip(doc, read, strict=True)])
                continue
            # offsets, lengths and heads from spaCy's arrays: no Token object is made per word
            read = rules.apply(doc, key_rows(doc))
            out[i] = Parse([Token(start + at, start + at + length, text[at:at + length], pos, _lower(dep), index + head,
                                  cnd)
                            for index, ((at, length, head), (pos, dep, cnd)) in enumerate(
                                zip(_places(doc), read, strict=True))])
        self.parsed += len(wanted)
        return out


def _places(doc) -> list[list[int]]:
    """Each token's offset in its text, its length, and its head as an offset from itself (spaCy
    keeps that offset unsigned: read as signed, a head to the left is negative)."""
    from spacy.attrs import HEAD, IDX, LENGTH

    return doc.to_array([IDX, LENGTH, HEAD]).view("int64").tolist()


@cache
def _lower(dependency: str) -> str:
    return dependency.lower()


@cache
def parser(language: str) -> Parser:
    return Parser(language)


def language_of(text: str, declared: str | None) -> str:
    """The document's language: as declared, else guessed from common function words.

    Short texts with no signal either way are taken as English, orbat's main language; a text
    whose function words are mostly German, Spanish, Italian or Portuguese is "other".
    """
    if declared:
        return declared.split("-")[0].lower()
    sample = f" {' '.join(text[:4000].lower().split())} "
    scores = {lang: sum(sample.count(f" {w} ") for w in marks) for lang, marks in FUNCTION_WORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0:
        return "other" if MIXED_SCRIPT.search(text[:4000]) else "en"
    return best if best in PIPELINES else "other"


def mixed_script(text: str) -> bool:
    return bool(MIXED_SCRIPT.search(text))


# --- readings of a parse ---------------------------------------------------------------------


def _deps(name: str) -> set[str]:
    return set(words()[name])


def in_subordinate_clause(parse: Parse, mention: int, anchor: int | None) -> bool:
    """The mention sits in a relative or adverbial clause that the event word is not part of.

    "flown in from Libya, where Moscow keeps a logistics hub": Moscow hangs under "keeps", a
    relative clause; "launchers that first saw combat in Ukraine": Ukraine under "saw".
    """
    clause_deps = _deps("relative_clause_deps")
    anchor_line = set(parse.ancestors(anchor)) | {anchor} if anchor is not None else set()
    for i in [mention, *parse.ancestors(mention)]:
        if i in anchor_line:
            return False
        if parse.tokens[i].dep in clause_deps:
            return True
    return False


def modifies_noun(parse: Parse, mention: int, places: set[int] = frozenset(), actors: set[int] = frozenset()) -> bool:
    """The place names an attribute of another noun, not where anything is.

    "France's defence ministry" (poss), "a Turkish news channel" (amod), "Russian media", and a
    name set beside an organisation's ("the Forces Armées Royales (FAR)").
    """
    token = parse.tokens[mention]
    if token.dep not in _deps("noun_modifier_deps"):
        return False
    head = parse.tokens[token.head]
    if token.dep == "appos":
        return token.head in actors  # "the Forces Armées Royales (FAR)": an acronym, not Fargo
    if token.head in places or head.text.lower() in _deps("place_heads"):
        return False  # "the Gao base", "Bamako airport": the place is where the base is
    return head.pos in {"NOUN", "PROPN"} and token.head != mention


def acts(parse: Parse, mention: int, cues: set[int]) -> bool:
    """A place name used for its government: "Ukraine says", "accused Tehran of lying".

    The active subject of any verb, or the object of a verb that is not an event word, names
    who acts or is acted on, not where anything happens ("Gao was attacked" stays a place).
    """
    token = parse.tokens[mention]
    while token.dep in {"conj", "appos"} and token.head != mention:  # "France, Canada, Norway … have donated"
        mention, token = token.head, parse.tokens[token.head]
    if token.dep == "nsubj":
        return parse.tokens[token.head].pos in {"VERB", "AUX"}
    return token.dep in {"dobj", "obj", "iobj", "dative"} and token.head not in cues \
        and parse.tokens[token.head].pos == "VERB"


def preposition_of(parse: Parse, mention: int) -> str | None:
    """The preposition that ties the mention's phrase to its verb, lowercase.

    "transferred from Russian bases in Syria": Syria's own preposition is "in", but its phrase
    hangs on "bases", the object of "from", so Syria is where the equipment came from. A
    direction word of its own is kept: in "deployed to Libya from Hmeimim" the parser may hang
    "from Hmeimim" on Libya, and Hmeimim is still the origin, not a destination.
    """
    found, index, seen = None, mention, set()
    while parse.tokens[index].dep in {"appos", "conj"} and parse.tokens[index].head != index:
        index = parse.tokens[index].head  # "at Incirlik Air Base, Turkey": Turkey shares "at"
    while index not in seen:
        seen.add(index)
        word, attached = _own_preposition(parse, index)
        if word is None:
            return found
        found = word
        if parse.tokens[attached].pos in {"VERB", "AUX"} or attached == index:
            if word in words()["syntax_origin"] and parse.tokens[attached].text.lower() in words()["operating_verbs"]:
                return "at"  # "operating from RAF Fairford": where they fly, not where they came from
            return found
        if word in words()["syntax_kept_direction"]:
            return found  # "to Libya from Hmeimim": a "from" hung on Libya still names the origin
        index = attached
    return found


def _own_preposition(parse: Parse, index: int) -> tuple[str | None, int]:
    """The noun's preposition and the word its phrase attaches to."""
    token = parse.tokens[index]
    if token.dep == "pobj":  # English: the object hangs under its preposition
        prep = parse.tokens[token.head]
        return prep.text.lower(), prep.head
    for child in parse.children(index):  # UD (French): the preposition hangs under the noun
        if parse.tokens[child].dep in {"case", "fixed"} and parse.tokens[child].pos == "ADP":
            return parse.tokens[child].text.lower(), token.head
    return None, index


def conditional(parse: Parse, start: int, end: int) -> bool:
    """French conditional on the event verb or its auxiliary: "auraient été livrés"."""
    index = parse.token_of(start, end)
    if index is None:
        return False
    near = [index, parse.tokens[index].head, *parse.children(index)]
    return any(parse.tokens[i].conditional for i in near)


def depth(parse: Parse, index: int) -> int:
    return len(parse.ancestors(index))


def in_clause_on(parse: Parse, index: int, targets: set[int]) -> bool:
    """The token sits in a relative clause that hangs on one of `targets`.

    "flown in from Libya, where Moscow keeps a logistics hub": "hub" is in a clause on Libya, so
    the hub is said about the place, not reported as news.
    """
    return clause_host(parse, index, targets) is not None


def clause_host(parse: Parse, index: int, targets: set[int]) -> int | None:
    """The one of `targets` whose relative clause holds the token, or None (see `in_clause_on`)."""
    clause_deps = _deps("relative_clause_deps")
    for i in [index, *parse.ancestors(index)]:
        token = parse.tokens[i]
        if token.dep in clause_deps and token.head in targets:
            return token.head
    return None
