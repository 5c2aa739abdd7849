"""The relation stage reads each parsed token's part of speech, dependency and French conditional.
It applies the attribute ruler's rules itself (`orbat.relate.attributes`) instead of running
spaCy's component; what it reads must be what spaCy's full pipeline gives."""

from __future__ import annotations

import importlib
import importlib.metadata

import pytest

from orbat.relate import syntax
from orbat.relate.attributes import compile_rules

SENTENCES = {
    "en": [
        # auxiliaries, "there is/are", pronouns, "that" as a relative, "but" as an adverb, "not"
        "There are at least six T-72B3 tanks that were seen near Gao, but they had not moved.",
        "It was something nobody expected: the battalion did withdraw, and has been replaced since.",
        "Officials said the convoy, which left Bamako on Friday, is expected to reach Kidal once the road reopens.",
        "The ministry\n\nconfirmed  the delivery of two Su-24 aircraft.",  # spaces and line breaks as tokens
    ],
    "fr": [
        "Des blindés russes auraient été livrés à Bamako, selon des images qui seraient récentes.",
        "Le ministère   a confirmé\n\nla livraison de deux hélicoptères Mi-24 à l'armée malienne.",
    ],
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_parse_reads_what_spacys_attribute_ruler_gives(language: str):
    nlp = syntax.load_pipeline(language)
    assert compile_rules(nlp) is not None  # the pinned pipelines' rules are all reproduced, none skipped
    parser = syntax.Parser(language)
    parses = parser.parse_many([(text, 0) for text in SENTENCES[language]])
    for text, parse in zip(SENTENCES[language], parses, strict=True):
        full = nlp(text, disable=syntax.PARSE_OFF)  # spaCy's own attribute_ruler included
        expected = [(t.text, t.pos_, t.dep_.lower(), "Cnd" in t.morph.get("Mood")) for t in full]
        assert [(t.text, t.pos, t.dep, t.conditional) for t in parse.tokens] == expected
    if language == "fr":
        assert any(t.conditional for t in parses[0].tokens)  # "auraient": the rule the hedges rely on


def test_rules_the_module_cannot_reproduce_leave_the_component_to_spacy():
    class Ruler:
        patterns = [{"patterns": [[{"LOWER": "x", "OP": "+"}]], "attrs": {"POS": "X"}, "index": 0}]

    class Pipeline:
        pipe_names = ["attribute_ruler"]

        def get_pipe(self, name):
            return Ruler()

    assert compile_rules(Pipeline()) is None


def test_spacy_command_line_tools_still_import_after_the_parser_loads():
    syntax.load_pipeline("en")
    cli = importlib.import_module("spacy.cli")
    assert hasattr(cli, "download") and cli.__file__.endswith("__init__.py")
    from spacy.cli.info import info

    assert info.__module__ == "spacy.cli.info"  # the real one, not the stand-in used during the import


def test_what_the_spacy_import_leaves_out_still_works_after_the_parser_loads():
    """srsly's YAML functions, pydantic.v1 and catalogue's entry points are left out of or
    shortened in spaCy's import (`pipelines._import_spacy`); a user of the same process still has them."""
    import gc

    import catalogue
    import srsly

    syntax.load_pipeline("en")
    assert gc.isenabled()
    assert srsly.yaml_loads(srsly.yaml_dumps({"tanks": 6})) == {"tanks": 6}
    assert importlib.import_module("srsly._yaml_api").__file__.endswith("_yaml_api.py")
    assert hasattr(importlib.import_module("pydantic.v1"), "BaseModel")
    every = list(importlib.metadata.entry_points().select(group="spacy_factories"))
    assert list(catalogue.AVAILABLE_ENTRY_POINTS.select(group="spacy_factories")) == every
    assert "tagger" in syntax.load_pipeline("en").pipe_names  # a factory found through the registry


def test_a_word_read_again_reads_as_spacy_reads_it_in_each_sentence():
    """Readings are remembered per kind of token; "are" after "There" takes the two-token rule
    every time, and the same "are" elsewhere does not, however often either was seen before."""
    nlp = syntax.load_pipeline("en")
    parser = syntax.Parser("en")
    sentences = ["There are six tanks in Gao.", "The tanks are in Gao.", "There are two more in Kidal."] * 2
    for text, parse in zip(sentences, parser.parse_many([(text, 5) for text in sentences]), strict=True):
        full = nlp(text, disable=syntax.PARSE_OFF)
        expected = [(t.idx + 5, t.text, t.pos_, t.dep_.lower(), t.head.i) for t in full]
        assert [(t.start, t.text, t.pos, t.dep, t.head) for t in parse.tokens] == expected
