"""Initial knowledge-base schema: documents, captures, sightings, runs, entities, claims.

The tables are written out here rather than imported from `orbat.store.schema`: a migration
is a frozen step, and the schema module will keep changing after this file has run on users'
databases. `tests/store/test_migrations.py` checks that head matches `schema.metadata`.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GUARDED = ("captures", "sightings", "extraction_runs", "entities", "claims", "claim_equipment",
           "claim_actors")

PG_GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION orbat_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'orbat: % on % is not allowed: rows are append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def _text(name: str, nullable: bool = True, **kw) -> sa.Column:
    return sa.Column(name, sa.Text if kw.pop("long", False) else sa.String, nullable=nullable, **kw)


def _create_documents() -> None:
    op.create_table(
        "documents",
        _text("id", False), _text("canonical_url"), _text("url"), _text("title", long=True),
        _text("publisher"), _text("published"), _text("language"), _text("retrieved"),
        _text("origin", False), _text("external_id"), _text("text", False, long=True),
        _text("decoding", False), sa.Column("warnings", sa.JSON, nullable=False), _text("created", False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    op.create_index("ix_documents_canonical_url", "documents", ["canonical_url"], unique=True)
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_index("ix_documents_created", "documents", ["created"])
    op.create_table(
        "captures",
        _text("document_id", False), _text("content_type", False),
        sa.Column("size", sa.Integer, nullable=False), sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_captures"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_captures_document_id_documents"),
    )
    op.create_table(
        "sightings",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        _text("document_id", False), _text("key", False), _text("origin", False), _text("url"),
        _text("canonical_url"), _text("external_id"), _text("retrieved"), _text("content_sha256", False),
        _text("seen_at", False),
        sa.PrimaryKeyConstraint("id", name="pk_sightings"),
        sa.UniqueConstraint("key", name="uq_sightings_key"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_sightings_document_id_documents"),
    )
    op.create_index("ix_sightings_document_id", "sightings", ["document_id"])


def _create_runs_and_entities() -> None:
    op.create_table(
        "extraction_runs",
        _text("id", False), _text("document_id", False), _text("extractor", False), _text("catalog", False),
        sa.Column("dates", sa.JSON, nullable=False), sa.Column("markings", sa.JSON, nullable=False),
        _text("created", False),
        sa.PrimaryKeyConstraint("id", name="pk_extraction_runs"),
        sa.UniqueConstraint("document_id", "extractor", "catalog",
                            name="uq_extraction_runs_document_id_extractor_catalog"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name="fk_extraction_runs_document_id_documents"),
    )
    op.create_table(
        "entities",
        _text("run_id", False), _text("id", False), sa.Column("position", sa.Integer, nullable=False),
        _text("kind", False), _text("name", False),
        _text("catalog_id"), _text("equipment_class"), _text("origin"), _text("family"), _text("variant_of"),
        _text("country"), sa.Column("lat", sa.Float), sa.Column("lon", sa.Float), _text("feature"),
        _text("gazetteer_id"), _text("actor_type"), sa.Column("record", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "id", name="pk_entities"),
        sa.ForeignKeyConstraint(["run_id"], ["extraction_runs.id"],
                                name="fk_entities_run_id_extraction_runs"),
    )
    op.create_index("ix_entities_catalog_id", "entities", ["catalog_id"])


def _create_claims() -> None:
    op.create_table(
        "claims",
        _text("id", False), _text("run_id", False), _text("document_id", False),
        sa.Column("position", sa.Integer, nullable=False), _text("event", False), _text("certainty", False),
        _text("certainty_cue"), sa.Column("sentence_start", sa.Integer, nullable=False),
        sa.Column("sentence_end", sa.Integer, nullable=False), _text("sentence", False, long=True),
        _text("date"), _text("date_precision"), _text("place_entity"), _text("place_name"),
        _text("place_country"), sa.Column("place_lat", sa.Float), sa.Column("place_lon", sa.Float),
        _text("place_feature"), _text("origin_entity"), _text("origin_name"), _text("origin_country"),
        sa.Column("transit", sa.JSON, nullable=False), _text("attributed_to"),
        sa.Column("evidence", sa.JSON, nullable=False), sa.Column("markings", sa.JSON, nullable=False),
        sa.Column("record", sa.JSON, nullable=False), _text("created", False),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.ForeignKeyConstraint(["run_id"], ["extraction_runs.id"], name="fk_claims_run_id_extraction_runs"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_claims_document_id_documents"),
    )
    for column in ("place_country", "date", "document_id", "run_id", "event"):
        op.create_index(f"ix_claims_{column}", "claims", [column])


def _create_claim_parts() -> None:
    op.create_table(
        "claim_equipment",
        _text("claim_id", False), sa.Column("position", sa.Integer, nullable=False), _text("run_id", False),
        _text("entity_id", False), _text("kind", False), _text("name", False), _text("name_key", False),
        _text("catalog_id"), _text("equipment_class"), _text("family"),
        sa.Column("quantity_min", sa.Integer), sa.Column("quantity_max", sa.Integer),
        sa.Column("quantity_approximate", sa.Boolean, nullable=False), _text("quantity_text"),
        sa.PrimaryKeyConstraint("claim_id", "position", name="pk_claim_equipment"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name="fk_claim_equipment_claim_id_claims"),
        sa.ForeignKeyConstraint(["run_id", "entity_id"], ["entities.run_id", "entities.id"],
                                name="fk_claim_equipment_entity_entities"),
    )
    op.create_index("ix_claim_equipment_name_key", "claim_equipment", ["name_key"])
    op.create_index("ix_claim_equipment_catalog_id", "claim_equipment", ["catalog_id"])
    op.create_table(
        "claim_actors",
        _text("claim_id", False), sa.Column("position", sa.Integer, nullable=False), _text("run_id", False),
        _text("entity_id", False), _text("role", False), _text("name", False), _text("catalog_id"),
        _text("actor_type"), _text("country"),
        sa.PrimaryKeyConstraint("claim_id", "position", name="pk_claim_actors"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name="fk_claim_actors_claim_id_claims"),
        sa.ForeignKeyConstraint(["run_id", "entity_id"], ["entities.run_id", "entities.id"],
                                name="fk_claim_actors_entity_entities"),
    )
    op.create_index("ix_claim_actors_catalog_id", "claim_actors", ["catalog_id"])


def _guard_statements(dialect: str, table: str) -> list[str]:
    """Triggers that make a table append-only (RELIABILITY row 28)."""
    if dialect == "postgresql":
        return [f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION orbat_append_only()",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION orbat_append_only()"]
    message = "orbat: {} on {} is not allowed: rows are append-only"
    return [f"CREATE TRIGGER {table}_no_{op_} BEFORE {op_.upper()} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message.format(op_.upper(), table)}'); END"
            for op_ in ("update", "delete")]


def upgrade() -> None:
    _create_documents()
    _create_runs_and_entities()
    _create_claims()
    _create_claim_parts()
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(PG_GUARD_FUNCTION)
    for table in GUARDED:
        for statement in _guard_statements(dialect, table):
            op.execute(statement)


def downgrade() -> None:
    for table in ("claim_actors", "claim_equipment", "claims", "entities", "extraction_runs", "sightings",
                  "captures", "documents"):
        op.drop_table(table)  # dropping a table drops its indexes and triggers on both backends
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS orbat_append_only()")
