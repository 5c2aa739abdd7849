"""The part of spaCy's attribute ruler that relate reads, applied in plain Python.

The small pipelines end with an `attribute_ruler`: rules on a token's tag, text and dependency
that set its part of speech (English takes every POS from it), its morphology and, for spaces,
its dependency. spaCy's version runs a Matcher over all ~180 English rules for every token, and
sets lemmas and morphology nobody here reads; it cost a quarter of the parse. `Rules` reads the
same rules from the loaded pipeline, keeps those that set POS, DEP or MORPH, and applies them
with spaCy's precedence (all rules match on the tagger's and parser's output, then apply in
the order they were added, later ones winning), so each token ends with the values the ruler
would have given it. A rule this module cannot read exactly (a quantifier, an attribute it
does not know) makes `compile_rules` return None, and the parser then runs spaCy's component.
"""

from __future__ import annotations

from dataclasses import dataclass, field

READ = ("POS", "DEP", "MORPH")  # what relate reads of the ruler's output
TOKEN_ATTRS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "POS": "pos_", "ORTH": "text", "TEXT": "text",
               "IS_SPACE": "is_space"}
FILED_BY = ("tag_", "lower_", "dep_", "pos_", "text")


@dataclass(slots=True, frozen=True)
class Rule:
    order: int  # the rule's place in the ruler: later rules win
    specs: tuple[tuple[tuple[str, str, object], ...], ...]  # per token: (attribute, test, value)
    index: int  # which matched token takes the values
    values: tuple[tuple[str, str], ...]  # (POS | DEP | MORPH, value)


#: spaCy's attribute ids (`spacy.attrs`) that decide every test a rule makes of one token and the
#: token's own mood: its text (and so its lowercase form and whether it is a space), tag,
#: dependency, part of speech and morphology. Two tokens alike in these read alike.
KEY_ATTRS = ("ORTH", "TAG", "DEP", "POS", "MORPH")
SEEN_LIMIT = 100_000  # readings kept per pipeline; past this the memo starts afresh


@dataclass(slots=True, frozen=True)
class _Reading:
    """What the rules make of one kind of token (one `KEY_ATTRS` key), on its own."""

    read: tuple[str, str, bool]  # (part of speech, dependency, French conditional) after the one-token rules
    own: tuple[str, str, bool]  # the tagger's and parser's part of speech and dependency, and the token's mood
    singles: tuple[Rule, ...]  # the one-token rules that match it, in the ruler's order
    starts: tuple[Rule, ...]  # the rules over several tokens whose first token it fits


@dataclass(slots=True)
class Rules:
    """The rules, filed by an exact value their first token must have, so that each token is only
    tried against the rules that can start on it.

    A sentence's tokens are mostly words seen before with the same tag and dependency, and a
    one-token rule's verdict depends on nothing else, so each kind of token is read once per
    process (`_Reading`, remembered by its `KEY_ATTRS` ids) and every later token of that kind
    is a dictionary look-up. Rules over several tokens ("there" + "is") are matched per sentence."""

    filed: dict[tuple[str, str], list[Rule]]
    unfiled: list[Rule]
    _seen: dict[tuple[int, ...], _Reading] = field(default_factory=dict)

    def apply(self, doc, keys: list[tuple[int, ...]] | None = None) -> list[tuple[str, str, bool]]:
        """(part of speech, dependency, French conditional) of each token, as after the ruler.

        `keys` are the tokens' `KEY_ATTRS` ids (`doc.to_array`), when the caller has them."""
        if keys is None:
            keys = key_rows(doc)
        seen = self._seen
        readings = []
        for i, key in enumerate(keys):
            reading = seen.get(key)
            if reading is None:
                if len(seen) >= SEEN_LIMIT:
                    seen.clear()
                reading = seen[key] = self._read(doc[i])
            readings.append(reading)
        result = [reading.read for reading in readings]
        wide: dict[int, list[tuple[int, int, Rule]]] = {}  # token -> (order, start, rule) of the wider rules
        for start, reading in enumerate(readings):
            for rule in reading.starts:
                width = len(rule.specs)
                if start + width <= len(readings) and all(
                        _fits(_attributes(doc[start + k]), rule.specs[k]) for k in range(1, width)):
                    wide.setdefault(start + rule.index % width, []).append((rule.order, start, rule))
        for index, matched in wide.items():  # merged with the token's own rules, in the ruler's order
            reading = readings[index]
            matched += [(rule.order, index, rule) for rule in reading.singles]
            ordered = sorted(matched, key=lambda m: (m[0], m[1]))  # later rules win, as in spaCy's ruler
            result[index] = _merged(doc[index], reading.own, [rule for *_, rule in ordered])
        return result

    def _read(self, token) -> _Reading:
        attributes = _attributes(token)
        tried = [r for key in FILED_BY if (r := self.filed.get((key, attributes[key])))]
        fitting = sorted((rule for rule in [*(r for rules in tried for r in rules), *self.unfiled]
                          if _fits(attributes, rule.specs[0])), key=lambda rule: rule.order)
        singles = tuple(rule for rule in fitting if len(rule.specs) == 1)
        own = (attributes["pos_"], attributes["dep_"], "Cnd" in token.morph.get("Mood"))
        return _Reading(_merged(token, own, singles), own, singles,
                        tuple(rule for rule in fitting if len(rule.specs) > 1))


def key_rows(doc) -> list[tuple[int, ...]]:
    """Each token's `KEY_ATTRS` ids, read from spaCy's arrays without making its Token objects."""
    from spacy import attrs

    return list(map(tuple, doc.to_array([getattr(attrs, name) for name in KEY_ATTRS]).tolist()))


def _attributes(token) -> dict:
    return {"tag_": token.tag_, "lower_": token.lower_, "dep_": token.dep_, "pos_": token.pos_, "text": token.text,
            "is_space": token.is_space}


def _merged(token, own: tuple[str, str, bool], rules) -> tuple[str, str, bool]:
    """The token's values after `rules`, applied in order (a later rule's value wins)."""
    values: dict[str, str | None] = {"POS": own[0], "DEP": own[1], "MORPH": None}
    for rule in rules:
        values.update(rule.values)
    morph = values["MORPH"]
    return values["POS"], values["DEP"], own[2] if morph is None else "Cnd" in _mood(morph)  # type: ignore[return-value]


def _fits(token: dict, spec: tuple[tuple[str, str, object], ...]) -> bool:
    for attr, test, value in spec:
        have = token[attr]
        if test == "==" and have != value or test == "in" and have not in value \
                or test == "not in" and have in value:
            return False
    return True


def _mood(morph: str) -> list[str]:
    for feature in morph.split("|"):
        name, _, values = feature.partition("=")
        if name == "Mood":
            return values.split(",")
    return []


def compile_rules(nlp) -> Rules | None:
    """The pipeline's attribute-ruler rules that set what relate reads; None if there is no ruler
    or one of its rules uses something this module does not reproduce exactly."""
    if "attribute_ruler" not in nlp.pipe_names:
        return None
    rules: list[Rule] = []
    for order, entry in enumerate(nlp.get_pipe("attribute_ruler").patterns):
        values = tuple((k, str(v)) for k, v in entry["attrs"].items() if k in READ)
        if not values:
            continue
        for pattern in entry["patterns"]:
            specs = tuple(_spec(token) for token in pattern)
            if not specs or any(s is None for s in specs) or not -len(specs) <= entry["index"] < len(specs):
                return None
            rules.append(Rule(order, specs, entry["index"], values))  # type: ignore[arg-type]
    filed: dict[tuple[str, str], list[Rule]] = {}
    unfiled: list[Rule] = []
    for rule in rules:
        key = next(((a, v) for a, test, v in rule.specs[0] if test == "==" and a in FILED_BY), None)
        if key is None:
            unfiled.append(rule)
        else:
            filed.setdefault(key, []).append(rule)  # type: ignore[arg-type]
    return Rules(filed, unfiled)


def _spec(token: dict) -> tuple[tuple[str, str, object], ...] | None:
    out = []
    for key, value in token.items():
        attr = TOKEN_ATTRS.get(key)
        if attr is None:
            return None  # "OP", "LEMMA", "_" …: not reproduced here
        if isinstance(value, dict):
            if len(value) != 1 or not set(value) <= {"IN", "NOT_IN"}:
                return None
            test, items = next(iter(value.items()))
            out.append((attr, "in" if test == "IN" else "not in", frozenset(items)))
        elif isinstance(value, bool) and attr == "is_space" or isinstance(value, str) and attr != "is_space":
            out.append((attr, "==", value))
        else:
            return None
    return tuple(out)
