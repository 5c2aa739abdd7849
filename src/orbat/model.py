"""The data model: every value that crosses a stage boundary is one of these dataclasses.

Stages (acquire, clean, extract, resolve, relate, store, merge, query) import this module and
never each other, so the shapes here are the contract between them. `ExtractionRecord.to_json`
writes the stable `orbat.extraction/1` record that `orbat extract --format json` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA = "orbat.extraction/1"

EntityKind = Literal["equipment", "equipment_class", "place", "actor"]
Certainty = Literal["confirmed", "reported", "probable", "possible", "speculative", "denied"]
Precision = Literal["day", "month", "year"]

#: Certainty levels from strongest to weakest; merge keeps the strongest.
CERTAINTY_ORDER: tuple[str, ...] = ("confirmed", "reported", "probable", "possible", "speculative", "denied")


# --- sources ---------------------------------------------------------------------------------


@dataclass(slots=True)
class SourceDocument:
    """One acquired source before cleaning: the raw capture and what we know about it.

    The raw bytes are kept unchanged so every claim can be traced back to what was fetched.
    """

    raw: bytes
    content_type: str  # "text/plain", "text/html", "text/markdown"
    origin: str  # path, URL or "-" for stdin, or "corpus.jsonl:12"
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: str | None = None  # ISO date as given by the source or the user
    language: str | None = None
    retrieved: str | None = None  # ISO timestamp of the fetch
    external_id: str | None = None  # id given by a corpus line or a feed GUID
    canonical_url: str | None = None  # the dedup key of `url` (tracking parameters stripped), set by acquire


@dataclass(slots=True)
class CleanDocument:
    """Text the extractor reads; offsets in every record point into `text`."""

    id: str  # "sha256:<hex>" of the raw bytes
    text: str
    source: SourceDocument
    title: str | None = None
    published: str | None = None
    language: str | None = None
    decoding: str = "utf-8"  # which decoding was used, recorded for mis-encoded input
    warnings: list[str] = field(default_factory=list)


# --- mentions (extract) ----------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Span:
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(slots=True)
class Quantity:
    min: int | None
    max: int | None
    approximate: bool = False
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"min": self.min, "max": self.max, "approximate": self.approximate, "text": self.text}


@dataclass(slots=True)
class Mention:
    """A span of text that names something: a catalog hit, a gazetteer candidate, a class noun.

    Several entries may share the span; resolution picks among `candidates`. `alias` is the
    catalog spelling the span matched ("M1A2T" for an entry named "M1A2 Abrams").
    """

    kind: str  # equipment | equipment_class | place | actor | installation | region | country | unknown_equipment
    span: Span
    candidates: tuple[str, ...] = ()  # catalog ids or gazetteer ids
    quantity: Quantity | None = None
    head_end: int | None = None  # end offset including a trailing class noun ("T-72B3 tanks")
    alias: str | None = None


@dataclass(slots=True)
class DateMention:
    value: str  # ISO cut to precision
    precision: Precision
    span: Span
    relative: bool = False
    #: Last day of a range ("3-5 Feb.", "du 20 au 26 juillet"): `value` is its first day.
    value_end: str | None = None
    #: The other reading of a numeric date whose day and month could swap ("02-03-2024"): the
    #: ambiguity is flagged for the analyst rather than resolved silently.
    alternative: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "precision": self.precision, "start": self.span.start,
                               "end": self.span.end, "text": self.span.text}
        if self.value_end is not None:
            out["value_end"] = self.value_end
        if self.alternative is not None:
            out["alternative"] = self.alternative
        return out


@dataclass(slots=True)
class UnanchoredDate:
    """A relative date nothing in the text or its publication date pins down ("last week", "the
    past eight months", "the following day" before any date): kept with its words, no value."""

    span: Span
    kind: str  # "relative-day", "period", "weekday", "following-day", ...

    def to_json(self) -> dict[str, Any]:
        return {"value": None, "precision": None, "start": self.span.start, "end": self.span.end,
                "text": self.span.text, "kind": self.kind}


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Cue:
    """A hedging, evidence, event, attribution or negation cue found in a sentence."""

    kind: str  # certainty | evidence | event | attribution | negation | route
    value: str
    span: Span


@dataclass(slots=True)
class Extraction:
    """Everything the extract stage found in one document, before resolution."""

    document: CleanDocument
    sentences: list[Sentence]
    mentions: list[Mention]
    dates: list[DateMention]
    cues: list[Cue]
    markings: list[Span]
    unanchored_dates: list[UnanchoredDate] = field(default_factory=list)


# --- entities (resolve) ----------------------------------------------------------------------


@dataclass(slots=True)
class Entity:
    """A resolved thing the document talks about, with every mention of it.

    Kind-specific fields stay None where they do not apply; `to_json` writes only the fields
    of its kind so the record matches the contract.
    """

    id: str
    kind: EntityKind
    name: str
    mentions: list[Span] = field(default_factory=list)
    catalog_id: str | None = None
    # equipment
    equipment_class: str | None = None
    origin: str | None = None
    family: str | None = None
    variant_of: str | None = None
    # place
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    gazetteer_id: str | None = None
    candidates: list[str] = field(default_factory=list)
    precision: str | None = None  # point | locality | admin2 | admin1 | country | region
    ranking: list[dict[str, Any]] = field(default_factory=list)  # top gazetteer readings with scores
    offset: dict[str, Any] | None = None  # "25 km S of X": {"km": 25, "direction": "S"}
    # actor
    actor_type: str | None = None
    aliases: list[str] = field(default_factory=list)
    successor: str | None = None
    predecessors: list[str] = field(default_factory=list)
    source: str | None = None  # actor found by "catalog", "pattern" or "ner"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "name": self.name}
        if self.kind == "equipment":
            out.update(catalog_id=self.catalog_id, **{"class": self.equipment_class}, origin=self.origin,
                       family=self.family, variant_of=self.variant_of, aliases=self.aliases)
        elif self.kind == "equipment_class":
            out.update(catalog_id=self.catalog_id)
        elif self.kind == "place":
            out.update(country=self.country, lat=self.lat, lon=self.lon, feature=self.feature,
                       gazetteer_id=self.gazetteer_id, catalog_id=self.catalog_id)
            if self.precision:
                out["precision"] = self.precision
            if self.candidates:
                out["candidates"] = self.candidates
            if self.ranking:
                out["ranking"] = self.ranking
            if self.offset:
                out["offset"] = self.offset
        elif self.kind == "actor":
            out.update(catalog_id=self.catalog_id, type=self.actor_type, country=self.country,
                       aliases=self.aliases, successor=self.successor, predecessors=self.predecessors,
                       source=self.source or ("catalog" if self.catalog_id else "pattern"))
        out["mentions"] = [m.to_json() for m in self.mentions]
        return out


# --- claims (relate) -------------------------------------------------------------------------


@dataclass(slots=True)
class ClaimEquipment:
    entity: str
    quantity: Quantity | None = None

    def to_json(self) -> dict[str, Any]:
        return {"entity": self.entity, "quantity": self.quantity.to_json() if self.quantity else None}


@dataclass(slots=True)
class ClaimActor:
    entity: str
    role: str

    def to_json(self) -> dict[str, Any]:
        return {"entity": self.entity, "role": self.role}


@dataclass(slots=True)
class Claim:
    event: str
    sentence: Span
    equipment: list[ClaimEquipment] = field(default_factory=list)
    classes: list[ClaimEquipment] = field(default_factory=list)
    actors: list[ClaimActor] = field(default_factory=list)
    place: str | None = None
    origin: str | None = None
    transit: list[str] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    evidence: list[str] = field(default_factory=list)
    certainty: str = "reported"
    certainty_cue: str | None = None
    attributed_to: str | None = None
    markings: list[str] = field(default_factory=list)
    evidence_source: str | None = None  # entity id of who broadcast, published or analysed the evidence

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "equipment": [e.to_json() for e in self.equipment],
            "equipment_classes": [e.to_json() for e in self.classes],
            "actors": [a.to_json() for a in self.actors],
            "place": self.place, "origin": self.origin, "transit": self.transit,
            "date": self.date, "date_precision": self.date_precision,
            "evidence": self.evidence, "certainty": self.certainty, "certainty_cue": self.certainty_cue,
            "attributed_to": self.attributed_to, "evidence_source": self.evidence_source,
            "markings": self.markings,
            "sentence": {"start": self.sentence.start, "end": self.sentence.end, "text": self.sentence.text},
        }


@dataclass(slots=True)
class ExtractionRecord:
    """The result for one document: what `orbat extract` prints and what storage keeps."""

    document: CleanDocument
    entities: list[Entity]
    dates: list[DateMention]
    claims: list[Claim]
    markings: list[Span]
    extractor: str
    catalog: str
    unanchored_dates: list[UnanchoredDate] = field(default_factory=list)
    #: id → entity, built on first use: storage looks up every claim's entities, and a linear
    #: search made that quadratic on long documents.
    _by_id: tuple[int, dict[str, Entity]] = field(default=(-1, {}), repr=False, compare=False)

    def entity(self, entity_id: str | None) -> Entity | None:
        if self._by_id[0] != len(self.entities):
            self._by_id = (len(self.entities), {e.id: e for e in reversed(self.entities)})  # first id wins
        return self._by_id[1].get(entity_id) if entity_id is not None else None

    def to_json(self) -> dict[str, Any]:
        doc = self.document
        src = doc.source
        return {
            "schema": SCHEMA,
            "document": {"id": doc.id, "title": doc.title, "url": src.url, "published": doc.published,
                         "language": doc.language, "publisher": src.publisher, "origin": src.origin,
                         "extractor": self.extractor, "catalog": self.catalog, "decoding": doc.decoding,
                         "warnings": doc.warnings, "external_id": src.external_id},
            "entities": [e.to_json() for e in self.entities],
            "dates": [d.to_json() for d in self.dates],
            "unanchored_dates": [d.to_json() for d in self.unanchored_dates],
            "markings": [m.to_json() for m in self.markings],
            "claims": [c.to_json() for c in self.claims],
        }


# --- stored claims (store → merge → query) ---------------------------------------------------


@dataclass(slots=True)
class ClaimActorFact:
    name: str
    catalog_id: str | None
    role: str
    actor_type: str | None = None


@dataclass(slots=True)
class ClaimFact:
    """One claim about one system (or class), flattened with its document, as storage keeps it.

    A claim naming three systems becomes three facts sharing `claim_id`; merge groups facts into
    observations and queries read them, so neither needs the nested extraction record.
    """

    claim_id: str
    document_id: str
    event: str
    certainty: str
    sentence: str
    sentence_start: int
    sentence_end: int
    equipment_name: str | None = None  # None for a claim with no system (a base built)
    equipment_catalog_id: str | None = None
    equipment_class: str | None = None
    equipment_family: str | None = None
    quantity_min: int | None = None
    quantity_max: int | None = None
    quantity_approximate: bool = False
    place_name: str | None = None
    place_country: str | None = None
    place_lat: float | None = None
    place_lon: float | None = None
    place_feature: str | None = None
    origin_name: str | None = None
    origin_country: str | None = None
    transit: list[str] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    evidence: list[str] = field(default_factory=list)
    attributed_to: str | None = None
    actors: list[ClaimActorFact] = field(default_factory=list)
    markings: list[str] = field(default_factory=list)
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    title: str | None = None
    extractor: str | None = None
    catalog: str | None = None


# --- observations (merge → query) ------------------------------------------------------------


@dataclass(slots=True)
class ObservationActor:
    """An operator or recipient of an observation, after succession roll-up.

    `reported_as` keeps the names sources actually used ("Wagner Group") so rolling a claim up
    to its successor ("Africa Corps") never hides what was written.
    """

    name: str
    catalog_id: str | None
    role: str
    reported_as: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Disagreement:
    """Where the claims behind one observation do not agree: shown, never averaged away.

    `kind` is `count`, `recipient`, `origin` or `denied`; `values` are the competing readings
    with who said them ("5 (Army Recognition)").
    """

    kind: str
    values: list[str]
    claim_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Observation:
    """Claims from many sources about the same system, place, kind of event and time window.

    Built by `orbat.merge.merge`; `id` is a stable hash of the merge key so the same claims
    always give the same id. Dates are ISO strings at the precision sources gave them.
    """

    id: str
    event_group: str  # presence | order | production | loss | withdrawal | construction | …
    events: list[str]
    equipment_name: str | None
    equipment_catalog_id: str | None
    equipment_class: str | None
    equipment_family: str | None
    country: str | None
    place_name: str | None
    place_lat: float | None
    place_lon: float | None
    place_feature: str | None
    first_seen: str | None
    last_seen: str | None
    quantity_min: int | None
    quantity_max: int | None
    quantity_headline: int | None  # the lowest figure reported (ACLED's rule)
    certainty: str
    certainty_rule: str
    claim_ids: list[str]
    document_ids: list[str]
    publishers: list[str]
    publisher_count: int
    origins: list[str] = field(default_factory=list)
    transit: list[str] = field(default_factory=list)
    actors: list[ObservationActor] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    markings: list[str] = field(default_factory=list)
    # Independence by evidence: what the sources rest on, not how many outlets repeated it.
    independent_sources: int = 0  # distinct primary evidence (a broadcast, an image, a statement)
    primary_evidence: list[str] = field(default_factory=list)  # one label per piece of evidence
    reported_by: list[str] = field(default_factory=list)  # publishers that repeated someone's evidence
    quantity_text: str | None = None  # "at least 5 to 7": figures read from one evidence, never summed
    dated_by_publication: bool = False  # no claim gave an event date: first_seen is "reported on"


# --- catalog entries (catalogs are data; these are their rows) -------------------------------


@dataclass(slots=True, frozen=True)
class EquipmentEntry:
    id: str
    name: str
    aliases: tuple[str, ...]
    equipment_class: str
    origin: str
    family: str
    parent: str | None


@dataclass(slots=True, frozen=True)
class ClassEntry:
    id: str
    name: str
    nouns: tuple[str, ...]
    parent: str | None


@dataclass(slots=True, frozen=True)
class ActorEntry:
    id: str
    name: str
    aliases: tuple[str, ...]
    actor_type: str
    country: str | None
    succeeded_by: str | None
    succession_date: str | None
    parent: str | None


@dataclass(slots=True, frozen=True)
class InstallationEntry:
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str
    lat: float
    lon: float
    city: str | None
    operators: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class RegionEntry:
    id: str
    name: str
    aliases: tuple[str, ...]
    countries: tuple[str, ...]
    lat: float | None
    lon: float | None


@dataclass(slots=True, frozen=True)
class CountryEntry:
    code: str
    name: str
    aliases: tuple[str, ...]
    lat: float | None
    lon: float | None
    geonames_id: int | None
    neighbours: tuple[str, ...]
    capital: str | None = None
    demonyms: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class GazetteerPlace:
    id: str  # "geonames:2460596"
    name: str
    country: str
    lat: float
    lon: float
    feature: str  # city | locality | admin
    population: int
    by_main_name: bool = True  # False when only an alternate name matched ("Africa" for Mahdia)
    admin1: str = ""  # GeoNames' first-level code ("US.TX") of a town, where the index has it


@dataclass(slots=True)
class Resolution:
    """What resolve decided: the entities, and which entity each mention (by index) names."""

    entities: list[Entity]
    mention_entity: dict[int, str]
    mention_actor: dict[int, str]  # a country mention that also acts ("Russia had strengthened")
    focus_place: str | None  # the entity id of the document's main place, for claims with none
    # the gazetteer resolve read, so a country that relate adds later gets the same point
    gazetteer: Any = field(default=None, repr=False, compare=False)

