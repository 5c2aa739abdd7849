"""The knowledge-base schema: SQLAlchemy Core tables shared by SQLite and PostgreSQL.

This module is the schema as the code reads and writes it; the Alembic migrations in
`migrations/versions/` create it, and a test checks that the two never drift apart.

Why it is shaped this way:
- A document's id is the SHA-256 of the raw bytes, so a re-fetch with identical bytes is the
  same row; `canonical_url` (tracking parameters stripped) is unique where present, so the same
  article under another link is the same row too. Every time a source is seen again, a
  `sightings` row records where and when.
- Extraction output is run-scoped: an `extraction_runs` row per (document, extractor version,
  catalog version). Reprocessing with new versions adds a run, its entities and its claims;
  nothing is overwritten, and old claims keep the versions that produced them.
- `claim_equipment` and `claim_actors` hold one row per claim x system / actor, with the names,
  catalog ids and places copied from the run's entities, so `ClaimFact` comes back from a join
  without re-reading record JSON. Each claim's and entity's `record` keeps what of its JSON no
  column holds (mentions, aliases, entity references…), so the extraction record is rebuilt
  exactly from the two (`store.rows.entity_record`, `claim_record`). Rows written before this
  layout hold the whole JSON there, and read back the same way.
- Dates are ISO 8601 strings cut to their precision ("2025-01", "2025-01-17"), which sort and
  compare the same on both backends; timestamps are UTC ISO strings with microseconds.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

#: Tables whose rows are never updated or deleted; triggers in the migrations enforce it.
APPEND_ONLY_TABLES = ("documents", "captures", "sightings", "extraction_runs", "entities", "claims",
                      "claim_equipment", "claim_actors", "reviews", "ingest_errors")

documents = Table(
    "documents", metadata,
    Column("id", String, primary_key=True),  # "sha256:<hex>" of the raw capture
    Column("canonical_url", String),
    Column("url", String),
    Column("title", Text),
    Column("publisher", String),
    Column("published", String),
    Column("language", String),
    Column("retrieved", String),
    Column("origin", String, nullable=False),
    Column("external_id", String),
    Column("text", Text, nullable=False),
    Column("decoding", String, nullable=False),
    Column("warnings", JSON, nullable=False),
    Column("created", String, nullable=False),
    # New bytes under a known URL are a new version of that document: their own row (text and
    # offsets differ), pointing at the first one, which keeps the canonical URL (0003).
    Column("version_of", String),
)
Index("ix_documents_canonical_url", documents.c.canonical_url, unique=True)
Index("ix_documents_version_of", documents.c.version_of)
Index("ix_documents_published", documents.c.published)
Index("ix_documents_created", documents.c.created)

captures = Table(
    "captures", metadata,
    Column("document_id", String, ForeignKey("documents.id"), primary_key=True),
    Column("content_type", String, nullable=False),
    Column("size", Integer, nullable=False),
    Column("raw", LargeBinary, nullable=False),
)

sightings = Table(
    "sightings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String, ForeignKey("documents.id"), nullable=False),
    Column("key", String, nullable=False, unique=True),  # hash of what the source said; dedups reruns
    Column("origin", String, nullable=False),
    Column("url", String),
    Column("canonical_url", String),
    Column("external_id", String),
    Column("retrieved", String),
    Column("content_sha256", String, nullable=False),  # the bytes seen this time
    Column("seen_at", String, nullable=False),
)
Index("ix_sightings_document_id", sightings.c.document_id)

extraction_runs = Table(
    "extraction_runs", metadata,
    Column("id", String, primary_key=True),
    Column("document_id", String, ForeignKey("documents.id"), nullable=False),
    Column("extractor", String, nullable=False),
    Column("catalog", String, nullable=False),
    Column("dates", JSON, nullable=False),
    Column("markings", JSON, nullable=False),
    Column("created", String, nullable=False),
    UniqueConstraint("document_id", "extractor", "catalog"),
)

entities = Table(
    "entities", metadata,
    Column("run_id", String, ForeignKey("extraction_runs.id"), primary_key=True),
    Column("id", String, primary_key=True),  # the record's local id ("e1")
    Column("position", Integer, nullable=False),
    Column("kind", String, nullable=False),
    Column("name", String, nullable=False),
    Column("catalog_id", String),
    Column("equipment_class", String),
    Column("origin", String),
    Column("family", String),
    Column("variant_of", String),
    Column("country", String),
    Column("lat", Float),
    Column("lon", Float),
    Column("feature", String),
    Column("gazetteer_id", String),
    Column("actor_type", String),
    Column("record", JSON, nullable=False),
)
Index("ix_entities_catalog_id", entities.c.catalog_id)

claims = Table(
    "claims", metadata,
    Column("id", String, primary_key=True),
    Column("run_id", String, ForeignKey("extraction_runs.id"), nullable=False),
    Column("document_id", String, ForeignKey("documents.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("event", String, nullable=False),
    Column("certainty", String, nullable=False),
    Column("certainty_cue", String),
    Column("sentence_start", Integer, nullable=False),
    Column("sentence_end", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("date", String),
    Column("date_precision", String),
    Column("place_entity", String),
    Column("place_name", String),
    Column("place_country", String),
    Column("place_lat", Float),
    Column("place_lon", Float),
    Column("place_feature", String),
    Column("origin_entity", String),
    Column("origin_name", String),
    Column("origin_country", String),
    Column("transit", JSON, nullable=False),
    Column("attributed_to", String),
    Column("evidence", JSON, nullable=False),
    Column("markings", JSON, nullable=False),
    Column("record", JSON, nullable=False),
    Column("created", String, nullable=False),
)
Index("ix_claims_place_country", claims.c.place_country)
Index("ix_claims_date", claims.c.date)
Index("ix_claims_document_id", claims.c.document_id)
Index("ix_claims_run_id", claims.c.run_id)
Index("ix_claims_event", claims.c.event)

claim_equipment = Table(
    "claim_equipment", metadata,
    Column("claim_id", String, ForeignKey("claims.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("run_id", String, nullable=False),
    Column("entity_id", String, nullable=False),
    Column("kind", String, nullable=False),  # "equipment" or "equipment_class"
    Column("name", String, nullable=False),
    Column("name_key", String, nullable=False),  # folded name for case-insensitive lookup
    Column("catalog_id", String),
    Column("equipment_class", String),
    Column("family", String),
    Column("quantity_min", Integer),
    Column("quantity_max", Integer),
    Column("quantity_approximate", Boolean, nullable=False),
    Column("quantity_text", String),
    ForeignKeyConstraint(["run_id", "entity_id"], ["entities.run_id", "entities.id"],
                         name="fk_claim_equipment_entity_entities"),
)
Index("ix_claim_equipment_name_key", claim_equipment.c.name_key)
Index("ix_claim_equipment_catalog_id", claim_equipment.c.catalog_id)

claim_actors = Table(
    "claim_actors", metadata,
    Column("claim_id", String, ForeignKey("claims.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("run_id", String, nullable=False),
    Column("entity_id", String, nullable=False),
    Column("role", String, nullable=False),
    Column("name", String, nullable=False),
    Column("catalog_id", String),
    Column("actor_type", String),
    Column("country", String),
    ForeignKeyConstraint(["run_id", "entity_id"], ["entities.run_id", "entities.id"],
                         name="fk_claim_actors_entity_entities"),
)
Index("ix_claim_actors_catalog_id", claim_actors.c.catalog_id)

#: API tokens: only the SHA-256 of each token is kept, so a copy of the database grants nothing.
tokens = Table(
    "tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hash", String, nullable=False, unique=True),  # "sha256:<hex>" of the token
    Column("role", String, nullable=False),  # viewer | analyst | admin
    Column("label", String),
    Column("created", String, nullable=False),
    Column("expires", String),  # UTC ISO timestamp; None: until the database is thrown away
)

#: Analyst reviews of claims, append-only: a change of mind is a new row, so history stays and
#: two analysts reviewing at once both keep their review (RELIABILITY rows 27, 28).
reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", String, ForeignKey("claims.id"), nullable=False),
    Column("action", String, nullable=False),  # accept | reject | correct
    Column("fields", JSON, nullable=False),  # corrected values for `correct`, else {}
    Column("comment", Text),
    Column("reviewer", String, nullable=False),  # the token's label
    Column("token_id", Integer, ForeignKey("tokens.id")),
    Column("created", String, nullable=False),
)
Index("ix_reviews_claim_id", reviews.c.claim_id)

#: Sources that could not be read, extracted or stored, one row each, so a batch can go on past
#: them and still account for every input (append-only; 0003).
ingest_errors = Table(
    "ingest_errors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", String, nullable=False),  # "corpus.jsonl:12", a path or a URL
    Column("external_id", String),  # the corpus row's or feed entry's id, when known
    Column("error", Text, nullable=False),
    Column("created", String, nullable=False),
)
Index("ix_ingest_errors_created", ingest_errors.c.created)
