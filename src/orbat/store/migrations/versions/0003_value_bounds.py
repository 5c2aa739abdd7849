"""Value bounds: append-only guards that INSERT OR REPLACE cannot get round, documents guarded
too, an `ingest_errors` table, and `documents.version_of` for new content at a known URL.

Databases written before `orbat.validate` may hold a date of 9999-12-31 or a count near 2^63,
which broke merge for good. Nothing stored is rewritten here (rows are append-only and the
evidence must stay as it was written): the read side (`orbat.store.read.within_bounds`) ignores
such values with a warning, and the observation index is rebuilt from scratch by the new
code. What this migration adds is what keeps a bad row from being written over a good one:

- SQLite: `INSERT OR REPLACE` deletes the old row without firing DELETE triggers (unless
  recursive triggers are on), so a `BEFORE INSERT` trigger on every append-only table refuses
  an insert whose key (primary or unique) already exists. `documents` gets the UPDATE and
  DELETE guards it never had.
- PostgreSQL has no INSERT OR REPLACE; `INSERT … ON CONFLICT DO UPDATE` fires the UPDATE
  triggers the other tables already have, so only `documents` and `ingest_errors` get guards.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: Per append-only table, the keys an insert must not repeat (each a tuple of columns).
KEYS: dict[str, list[tuple[str, ...]]] = {
    "documents": [("id",), ("canonical_url",)],
    "captures": [("document_id",)],
    "sightings": [("id",), ("key",)],
    "extraction_runs": [("id",), ("document_id", "extractor", "catalog")],
    "entities": [("run_id", "id")],
    "claims": [("id",)],
    "claim_equipment": [("claim_id", "position")],
    "claim_actors": [("claim_id", "position")],
    "reviews": [("id",)],
    "ingest_errors": [("id",)],
}
NEWLY_GUARDED = ("documents", "ingest_errors")


def _no_replace_trigger(table: str) -> str:
    """SQLite: refuse an insert that would replace a stored row (NULL keys never match)."""
    matches = " OR ".join("EXISTS (SELECT 1 FROM {t} WHERE {cond})".format(
        t=table, cond=" AND ".join(f"{c} = NEW.{c}" for c in key)) for key in KEYS[table])
    message = f"orbat: INSERT over an existing row of {table} is not allowed: rows are append-only"
    return (f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN {matches} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END")


def _guard_statements(dialect: str, table: str) -> list[str]:
    """The UPDATE/DELETE guards of 0001, written out again: a migration never imports another."""
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
    dialect = op.get_bind().dialect.name
    op.create_table(
        "ingest_errors",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("origin", sa.String, nullable=False), sa.Column("external_id", sa.String),
        sa.Column("error", sa.Text, nullable=False), sa.Column("created", sa.String, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ingest_errors"),
    )
    op.create_index("ix_ingest_errors_created", "ingest_errors", ["created"])
    op.add_column("documents", sa.Column("version_of", sa.String))
    op.create_index("ix_documents_version_of", "documents", ["version_of"])
    for table in NEWLY_GUARDED:
        for statement in _guard_statements(dialect, table):
            op.execute(statement)
    if dialect == "sqlite":
        for table in KEYS:
            op.execute(_no_replace_trigger(table))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in KEYS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        op.execute("DROP TRIGGER IF EXISTS documents_no_update")
        op.execute("DROP TRIGGER IF EXISTS documents_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS documents_append_only ON documents")
        op.execute("DROP TRIGGER IF EXISTS documents_no_truncate ON documents")
    op.drop_index("ix_documents_version_of", "documents")
    op.drop_column("documents", "version_of")
    op.drop_table("ingest_errors")  # its own triggers go with it
