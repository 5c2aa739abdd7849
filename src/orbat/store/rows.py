"""From an `ExtractionRecord` to the rows storage writes, and from rows back to `ClaimFact`s.

Everything here is pure (no database), so the same code decides what is written and what a
fact looks like whether it comes from a fresh record (`facts_from_record`) or from the
database (`orbat.store.read`). Ids are deterministic hashes: re-running an ingest after a crash
produces the same ids, which is what makes the rerun idempotent (RELIABILITY row 29).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar, overload

from orbat.errors import InputError
from orbat.model import Claim, ClaimActorFact, ClaimEquipment, ClaimFact, Entity, ExtractionRecord

Row = dict[str, Any]


class RecordError(InputError):
    """An extraction record storage refuses: it would write facts that point at nothing."""


@dataclass(slots=True)
class ClaimRows:
    claim: Row
    equipment: list[Row] = field(default_factory=list)
    actors: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class RecordRows:
    """Every row one record becomes, validated before the transaction starts.

    `entities` and `claims` are sequences: lists when read back from elsewhere (batch load),
    and for a fresh record (`record_rows`) views that build each row from the record when it is
    read (`RowsOf`), so a long document's rows never all exist at once.
    """

    document: Row
    capture: Row
    sighting: Row
    run: Row
    entities: Sequence[Row]
    claims: Sequence[ClaimRows]


T = TypeVar("T")


class RowsOf(Sequence[T]):
    """Rows built on demand, one per position, each time they are read (by index, slice or loop).

    Why: a 4.9 MB report's 43,000 claims and 12,000 entities made ~180 MB of row dicts, held
    beside the record they came from until the save was over (that pair was the peak memory of
    its ingest). Written a slice at a time (`orbat.store.bulk`), only one slice's rows exist at
    once, and the record, which is needed anyway, is all that stays. Every read builds the same
    rows again from the same record, so nothing may change the record between `record_rows`
    and the save; all the checks that can refuse it ran before this view was made.
    """

    __slots__ = ("_build", "_count")

    def __init__(self, count: int, build: Callable[[int], T]) -> None:
        self._count, self._build = count, build

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._build(n) for n in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        return self._build(index % self._count)

    def __iter__(self) -> Iterator[T]:
        return map(self._build, range(self._count))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


#: How every JSON-valued column is written, on both backends and by every path (SQLAlchemy's JSON
#: type, the COPY of `store.bulk`, the Parquet of `orbat batch extract`): compact and in UTF-8, so
#: that a knowledge base is the same whichever path wrote it. The default `json.dumps` spent a
#: space after every comma and colon and six bytes on each Cyrillic letter of an alias (issue 14:
#: a tenth of an entity's stored bytes). Decoding reads either form.
store_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

#: `json.dumps(parts, ensure_ascii=False, separators=(",", ":"), sort_keys=True)`, made once:
#: `json.dumps` with arguments builds a new encoder on every call, a third of a short hash.
_HASH_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def stable_hash(*parts: Any) -> str:
    blob = _HASH_JSON(parts)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def content_id(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def run_id(document_id: str, extractor: str, catalog: str) -> str:
    return "run:" + stable_hash(document_id, extractor, catalog)[:32]


def equipment_key(name: str) -> str:
    """Fold a designation for lookup: `T-72B3`, `t72b3` and `T 72B3` share a key."""
    return re.sub(r"[\s\-_./]+", "", name.casefold())


def claim_ids(document_id: str, record: ExtractionRecord) -> list[str]:
    """One id per claim from what identifies it; a repeated identity gets its occurrence number."""
    seen: dict[str, int] = {}
    ids = []
    for claim in record.claims:
        things = [_entity_key(record, ref.entity) for ref in [*claim.equipment, *claim.classes]]
        base = stable_hash(document_id, record.extractor, record.catalog, claim.sentence.start,
                           claim.sentence.end, claim.event, things)
        seen[base] = seen.get(base, 0) + 1
        ids.append("claim:" + (base if seen[base] == 1 else stable_hash(base, seen[base]))[:32])
    return ids


def _entity_key(record: ExtractionRecord, entity_id: str) -> str:
    entity = record.entity(entity_id)
    return entity_id if entity is None else (entity.catalog_id or entity.name)


def sighting_row(document_id: str, record: ExtractionRecord, seen_at: str) -> Row:
    """Where and when a source was seen; the key makes an identical rerun add nothing."""
    src = record.document.source
    key = stable_hash(document_id, src.origin, src.url, src.external_id, src.retrieved)
    return {"document_id": document_id, "key": key, "origin": src.origin, "url": src.url,
            "canonical_url": src.canonical_url, "external_id": src.external_id,
            "retrieved": src.retrieved, "content_sha256": content_id(src.raw), "seen_at": seen_at}


def document_rows(record: ExtractionRecord, created: str) -> tuple[Row, Row]:
    doc, src = record.document, record.document.source
    if content_id(src.raw) != doc.id:
        raise RecordError(f"{src.origin}: document id {doc.id} is not the SHA-256 of its raw capture")
    document = {"id": doc.id, "canonical_url": src.canonical_url, "url": src.url,
                "title": doc.title, "publisher": src.publisher, "published": doc.published,
                "language": doc.language, "retrieved": src.retrieved, "origin": src.origin,
                "external_id": src.external_id, "text": doc.text, "decoding": doc.decoding,
                "warnings": list(doc.warnings), "created": created}
    capture = {"document_id": doc.id, "content_type": src.content_type, "size": len(src.raw), "raw": src.raw}
    return document, capture


def entity_row(run: str, position: int, entity: Entity) -> Row:
    return {"run_id": run, "id": entity.id, "position": position, "kind": entity.kind, "name": entity.name,
            "catalog_id": entity.catalog_id, "equipment_class": entity.equipment_class,
            "origin": entity.origin, "family": entity.family, "variant_of": entity.variant_of,
            "country": entity.country, "lat": entity.lat, "lon": entity.lon, "feature": entity.feature,
            "gazetteer_id": entity.gazetteer_id, "actor_type": entity.actor_type,
            "record": entity_rest(entity.to_json())}


#: The keys of an entity's record that its row's columns already hold, per kind, as (record key,
#: column) in the record's order; `id`, `kind` and `name` come first for every kind. The row's
#: `record` keeps only the other keys (mentions, aliases, candidates…): the whole record beside
#: the columns was a third of a batch load's bytes (issue 14). Every kind's column keys come
#: before the rest in `Entity.to_json`, so columns then rest is the record, key order and all.
ENTITY_COLUMN_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "equipment": (("catalog_id", "catalog_id"), ("class", "equipment_class"), ("origin", "origin"),
                  ("family", "family"), ("variant_of", "variant_of")),
    "equipment_class": (("catalog_id", "catalog_id"),),
    "place": (("country", "country"), ("lat", "lat"), ("lon", "lon"), ("feature", "feature"),
              ("gazetteer_id", "gazetteer_id"), ("catalog_id", "catalog_id")),
    "actor": (("catalog_id", "catalog_id"), ("type", "actor_type"), ("country", "country")),
}
_ENTITY_HEAD = ("id", "kind", "name")
#: Per kind, every record key a column holds (`entity_rest` runs once per entity extracted).
_ENTITY_HELD = {kind: frozenset((*_ENTITY_HEAD, *(key for key, _ in keys)))
                for kind, keys in ENTITY_COLUMN_KEYS.items()}
_HEAD_HELD = frozenset(_ENTITY_HEAD)


def entity_rest(record: Row) -> Row:
    """What an entity's record holds beyond its row's columns: the `record` column's value."""
    held = _ENTITY_HELD.get(record["kind"], _HEAD_HELD)
    return {key: value for key, value in record.items() if key not in held}


def entity_record(row: Mapping[str, Any], rest: Row) -> Row:
    """An entity's record from its row: the columns, then the rest its `record` column holds.

    A row stored before the record was split holds the whole record, which has an `id`.
    """
    if "id" in rest:
        return rest
    out = {key: row[key] for key in _ENTITY_HEAD}
    for key, column in ENTITY_COLUMN_KEYS.get(row["kind"], ()):
        out[key] = row[column]
    out.update(rest)
    return out


def record_rows(record: ExtractionRecord, created: str | None = None) -> RecordRows:
    """Check a record and give the rows it becomes; raises `RecordError` before anything is written.

    The entity and claim rows are built when read (`RowsOf`), from the record as it is now.
    """
    created = created or now()
    document, capture = document_rows(record, created)
    run = run_id(record.document.id, record.extractor, record.catalog)
    run_row = {"id": run, "document_id": record.document.id, "extractor": record.extractor,
               "catalog": record.catalog,
               # unanchored dates ride in the same column with a null value: no schema change, and the
               # record read back is the record extracted
               "dates": [d.to_json() for d in record.dates] + [d.to_json() for d in record.unanchored_dates],
               "markings": [m.to_json() for m in record.markings], "created": created}
    ids = {e.id for e in record.entities}
    if len(ids) != len(record.entities):
        raise RecordError(f"{record.document.source.origin}: two entities share an id")
    entities = {e.id: e for e in record.entities}
    origin = record.document.source.origin
    for claim in record.claims:  # every reference, as `claim_rows` reads them: no claim can fail later
        _claim_entities(entities, claim, origin)
    cids = claim_ids(document["id"], record)

    def entity_at(position: int) -> Row:
        return storable(entity_row(run, position, record.entities[position]))

    def claim_at(position: int) -> ClaimRows:
        parts = claim_rows(record, entities, record.claims[position], cids[position], run, position, created)
        return ClaimRows(storable(parts.claim), storable(parts.equipment), storable(parts.actors))

    return RecordRows(storable(document), capture, storable(sighting_row(document["id"], record, created)),
                      storable(run_row), RowsOf(len(record.entities), entity_at), RowsOf(len(cids), claim_at))


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: Any) -> Any:
    """Replace NUL and lone surrogates, which PostgreSQL text (or UTF-8) cannot hold, by U+FFFD.

    One character for one, so every offset into the text stays right; SQLite would take the
    NUL, but both backends must store the same thing.
    """
    if isinstance(value, str):
        return value if value.isascii() and "\x00" not in value else _UNSTORABLE.sub("\ufffd", value)
    # Containers are copied only when something inside changed: a 5 MB document's rows are
    # hundreds of MB, and copying them all doubled the peak memory of saving it. Most hold
    # nothing to replace, which a walk that builds nothing tells first.
    if isinstance(value, dict | list) and not _holds_unstorable(value):
        return value
    if isinstance(value, dict):
        cleaned = {key: storable(item) for key, item in value.items()}
        return value if all(cleaned[k] is v for k, v in value.items()) else cleaned
    if isinstance(value, list):
        cleaned_list = [storable(item) for item in value]
        return value if all(a is b for a, b in zip(cleaned_list, value, strict=True)) else cleaned_list
    return value


def _holds_unstorable(container: dict | list) -> bool:
    """Whether a string anywhere inside (values, not keys, as `storable` reads them) has a NUL
    or a lone surrogate.

    Every row is walked on its way to storage, so this is written for speed (issue 14: it was
    half of building a record's rows): no recursion, exact-type tests before `isinstance`, and a
    list of strings (warnings, aliases, evidence, …) checked as one joined string.
    """
    pending: list[dict | list] = [container]
    while pending:
        current = pending.pop()
        if type(current) is list and current and type(current[0]) is str:
            try:
                joined = "".join(current)  # one C-level check when every item is a string
            except TypeError:  # a string first, something else later: item by item below
                pass
            else:
                if _unstorable_text(joined):
                    return True
                continue
        for item in current.values() if isinstance(current, dict) else current:
            kind = type(item)
            if kind is str:  # the test of `_unstorable_text`, inline: this runs for every string
                if "\x00" in item if item.isascii() else _UNSTORABLE.search(item) is not None:
                    return True
            elif kind is dict or kind is list:
                pending.append(item)
            elif item is None or kind is int or kind is float or kind is bool:
                continue
            elif isinstance(item, str):
                if _unstorable_text(item):
                    return True
            elif isinstance(item, dict | list):
                pending.append(item)
    return False


def _unstorable_text(text: str) -> bool:
    return "\x00" in text if text.isascii() else _UNSTORABLE.search(text) is not None


def _require(entities: dict[str, Entity], ref: str, what: str, origin: str) -> Entity:
    entity = entities.get(ref)
    if entity is None:
        raise RecordError(f"{origin}: a claim's {what} refers to entity {ref!r}, which the record lacks")
    return entity


def _resolve(entities: dict[str, Entity], ref: str | None, what: str, origin: str) -> Entity | None:
    return None if ref is None else _require(entities, ref, what, origin)


def claim_rows(record: ExtractionRecord, entities: dict[str, Entity], claim: Claim, cid: str, run: str,
               position: int, created: str) -> ClaimRows:
    """The claim row with its place, origin and transit names copied from the run's entities."""
    origin = record.document.source.origin
    place, source, transit_entities, systems, actor_entities = _claim_entities(entities, claim, origin)
    transit = [entity.name for entity in transit_entities]
    attributed = entities.get(claim.attributed_to or "")
    row = {"id": cid, "run_id": run, "document_id": record.document.id, "position": position,
           "event": claim.event, "certainty": claim.certainty, "certainty_cue": claim.certainty_cue,
           "sentence_start": claim.sentence.start, "sentence_end": claim.sentence.end,
           "sentence": claim.sentence.text, "date": claim.date, "date_precision": claim.date_precision,
           "place_entity": claim.place, "place_name": place and place.name,
           "place_country": place and place.country, "place_lat": place and place.lat,
           "place_lon": place and place.lon, "place_feature": place and place.feature,
           "origin_entity": claim.origin, "origin_name": source and source.name,
           "origin_country": source and source.country, "transit": transit,
           "attributed_to": attributed.name if attributed else claim.attributed_to,
           "evidence": list(claim.evidence), "markings": list(claim.markings), "record": claim_rest(claim.to_json()),
           "created": created}
    equipment = [_equipment_row(cid, run, i, kind, ref, entity) for i, (kind, ref, entity) in enumerate(systems)]
    actors = [_actor_row(cid, run, i, a.role, entity)
              for i, (a, entity) in enumerate(zip(claim.actors, actor_entities, strict=True))]
    return ClaimRows(row, equipment, actors)


#: A claim's record keys in `Claim.to_json` order, each with the claim column that holds its value
#: (None: the `record` column keeps it; `sentence` is the three sentence columns). As for
#: entities, the row's `record` holds only what the columns do not: the sentence alone was a
#: third of a claim's record.
CLAIM_RECORD_KEYS: tuple[tuple[str, str | None], ...] = (
    ("event", "event"), ("equipment", None), ("equipment_classes", None), ("actors", None),
    ("place", "place_entity"), ("origin", "origin_entity"), ("transit", None), ("date", "date"),
    ("date_precision", "date_precision"), ("evidence", "evidence"), ("certainty", "certainty"),
    ("certainty_cue", "certainty_cue"), ("attributed_to", None), ("evidence_source", None),
    ("markings", "markings"), ("sentence", "sentence"),
)
_CLAIM_HELD = frozenset(key for key, column in CLAIM_RECORD_KEYS if column)


def claim_rest(record: Row) -> Row:
    """What a claim's record holds beyond its row's columns: the `record` column's value."""
    return {key: value for key, value in record.items() if key not in _CLAIM_HELD}


def claim_record(row: Mapping[str, Any], rest: Row) -> Row:
    """A claim's record from its row and the rest its `record` column holds, in `Claim.to_json`
    order; keys a later extractor adds, which no column holds, follow. A row stored before the
    record was split holds the whole record, which has a `sentence`."""
    if "sentence" in rest:
        return rest
    out: Row = {}
    for key, column in CLAIM_RECORD_KEYS:
        if column == "sentence":
            out[key] = {"start": row["sentence_start"], "end": row["sentence_end"], "text": row["sentence"]}
        elif column:
            out[key] = row[column]
        elif key in rest:
            out[key] = rest[key]
    out.update((key, value) for key, value in rest.items() if key not in out)
    return out


def _claim_entities(entities: dict[str, Entity], claim: Claim, origin: str) -> tuple[
        Entity | None, Entity | None, list[Entity], list[tuple[str, ClaimEquipment, Entity]], list[Entity]]:
    """The entities a claim refers to (place, origin, transit, systems with their kind, actors),
    in that order; `RecordError` for the first reference the record lacks."""
    place = _resolve(entities, claim.place, "place", origin)
    source = _resolve(entities, claim.origin, "origin", origin)
    transit = [_require(entities, ref, "transit", origin) for ref in claim.transit]
    parts = [*[("equipment", e) for e in claim.equipment], *[("equipment_class", e) for e in claim.classes]]
    systems = [(kind, ref, _require(entities, ref.entity, kind, origin)) for kind, ref in parts]
    actors = [_require(entities, a.entity, "actor", origin) for a in claim.actors]
    return place, source, transit, systems, actors


def _equipment_row(cid: str, run: str, position: int, kind: str, ref: ClaimEquipment, entity: Entity) -> Row:
    """A class mention ("artillery systems") is a fact too: its name stands where a system would."""
    qty = ref.quantity
    is_system = kind == "equipment"
    return {"claim_id": cid, "position": position, "run_id": run, "entity_id": entity.id, "kind": kind,
            "name": entity.name, "name_key": equipment_key(entity.name),
            "catalog_id": entity.catalog_id if is_system else None,
            "equipment_class": entity.equipment_class if is_system else entity.name,
            "family": entity.family if is_system else None,
            "quantity_min": qty.min if qty else None, "quantity_max": qty.max if qty else None,
            "quantity_approximate": bool(qty and qty.approximate), "quantity_text": qty.text if qty else None}


def _actor_row(cid: str, run: str, position: int, role: str, entity: Entity) -> Row:
    return {"claim_id": cid, "position": position, "run_id": run, "entity_id": entity.id, "role": role,
            "name": entity.name, "catalog_id": entity.catalog_id, "actor_type": entity.actor_type,
            "country": entity.country}


#: Where each value of a fact comes from, in the order `fact_from_values` takes them: the claim's
#: row, its system's row (none for a claim naming no system), its document's row and its run's.
#: `store.read.FACT_COLUMNS` selects these columns in this order, so a database row is the values.
FACT_SOURCES: tuple[tuple[str, str], ...] = (
    ("claim", "id"), ("claim", "document_id"), ("claim", "event"), ("claim", "certainty"), ("claim", "sentence"),
    ("claim", "sentence_start"), ("claim", "sentence_end"), ("equipment", "position"), ("equipment", "name"),
    ("equipment", "catalog_id"), ("equipment", "equipment_class"), ("equipment", "family"),
    ("equipment", "quantity_min"), ("equipment", "quantity_max"), ("equipment", "quantity_approximate"),
    ("claim", "place_name"), ("claim", "place_country"), ("claim", "place_lat"), ("claim", "place_lon"),
    ("claim", "place_feature"), ("claim", "origin_name"), ("claim", "origin_country"), ("claim", "transit"),
    ("claim", "date"), ("claim", "date_precision"), ("claim", "evidence"), ("claim", "attributed_to"),
    ("claim", "markings"), ("document", "publisher"), ("document", "published"), ("document", "url"),
    ("document", "title"), ("run", "extractor"), ("run", "catalog"),
)
#: The claim's JSON list columns: the database hands them over as their JSON text (see `_listed`).
JSON_LIST_COLUMNS = frozenset({"transit", "evidence", "markings"})
#: What a fact keeps of each actor row, in `ClaimActorFact`'s order.
ACTOR_FIELDS = ("name", "catalog_id", "role", "actor_type")


def fact_from_values(values: Sequence[Any], actors: Iterable[Sequence[Any]]) -> ClaimFact:
    """One `ClaimFact` from its values in `FACT_SOURCES` order and its claim's actors (each in
    `ACTOR_FIELDS` order); the database read and `facts_from_record` both end here.

    Positional, because the read side hands over plain result rows: looking 34 values up by name
    in each row cost more than building the fact.
    """
    (claim_id, document_id, event, certainty, sentence, sentence_start, sentence_end, eq_position, eq_name,
     eq_catalog_id, eq_class, eq_family, quantity_min, quantity_max, quantity_approximate, place_name,
     place_country, place_lat, place_lon, place_feature, origin_name, origin_country, transit, date,
     date_precision, evidence, attributed_to, markings, publisher, published, url, title, extractor,
     catalog) = values
    if eq_position is None:  # a claim naming no system (the outer join found none)
        eq_name = eq_catalog_id = eq_class = eq_family = quantity_min = quantity_max = None
        quantity_approximate = False
    return ClaimFact(
        claim_id=claim_id, document_id=document_id, event=event, certainty=certainty, sentence=sentence,
        sentence_start=sentence_start, sentence_end=sentence_end, equipment_name=eq_name,
        equipment_catalog_id=eq_catalog_id, equipment_class=eq_class, equipment_family=eq_family,
        quantity_min=quantity_min, quantity_max=quantity_max, quantity_approximate=bool(quantity_approximate),
        place_name=place_name, place_country=place_country, place_lat=place_lat, place_lon=place_lon,
        place_feature=place_feature, origin_name=origin_name, origin_country=origin_country,
        transit=_listed(transit), date=date, date_precision=date_precision, evidence=_listed(evidence),
        attributed_to=attributed_to, actors=[ClaimActorFact(*actor) for actor in actors],
        markings=_listed(markings), publisher=publisher, published=published, url=url, title=title,
        extractor=extractor, catalog=catalog)


def _listed(value: str | list[Any]) -> list[Any]:
    """A JSON list column as a new list: from the database its text, decoded only when not empty
    (most claims have no transit, evidence or markings: decoding three values a fact was a tenth
    of an observation refresh's CPU); from a fresh record the list itself, copied."""
    if type(value) is str:
        return [] if value == "[]" else list(json.loads(value))
    return list(value)


def facts_from_record(record: ExtractionRecord) -> list[ClaimFact]:
    """The facts a record would store, without a database (for `orbat extract` and merge tests)."""
    rows = record_rows(record)
    facts = []
    for parts in rows.claims:
        actors = [[actor[name] for name in ACTOR_FIELDS] for actor in parts.actors]
        for equipment in parts.equipment or [{}]:
            source = {"claim": parts.claim, "equipment": equipment, "document": rows.document, "run": rows.run}
            facts.append(fact_from_values([source[kind].get(name) for kind, name in FACT_SOURCES], actors))
    return facts
