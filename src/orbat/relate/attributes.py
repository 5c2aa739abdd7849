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

from dataclasses import dataclass

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


@dataclass(slots=True)
class Rules:
    """The rules, filed by an exact value their first token must have, so that each token is only
    tried against the rules that can start on it."""

    filed: dict[tuple[str, str], list[Rule]]
    unfiled: list[Rule]

    def apply(self, doc) -> list[tuple[str, str, bool]]:
        """(part of speech, dependency, French conditional) of each token, as after the ruler."""
        tokens = [{"tag_": t.tag_, "lower_": t.lower_, "dep_": t.dep_, "pos_": t.pos_, "text": t.text,
                   "is_space": t.is_space} for t in doc]
        matched: list[tuple[int, int, Rule]] = []
        for start, token in enumerate(tokens):
            tried = [r for key in FILED_BY if (r := self.filed.get((key, token[key])))]
            for rule in [*(r for rules in tried for r in rules), *self.unfiled]:
                width = len(rule.specs)
                if start + width <= len(tokens) and all(
                        _fits(tokens[start + k], spec) for k, spec in enumerate(rule.specs)):
                    matched.append((rule.order, start, rule))
        out = [{"POS": t["pos_"], "DEP": t["dep_"], "MORPH": None} for t in tokens]
        for _, start, rule in sorted(matched, key=lambda m: (m[0], m[1])):  # later rules win
            out[start:start + len(rule.specs)][rule.index].update(rule.values)
        result = []
        for token, values in zip(doc, out, strict=True):
            morph = values["MORPH"]
            cnd = "Cnd" in token.morph.get("Mood") if morph is None else "Cnd" in _mood(morph)
            result.append((values["POS"], values["DEP"], cnd))
        return result


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
