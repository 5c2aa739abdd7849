"""Analyst reviews of claims (append-only) and hashed API tokens.

Reviews get the same append-only guards as claims (RELIABILITY row 28): an analyst who changes
their mind adds a review, and the history of who said what stays readable. Tokens are not
guarded: revoking one will be a delete. The guard function `orbat_append_only()` was created
by 0001 on PostgreSQL and is reused here.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _guard_statements(dialect: str, table: str) -> list[str]:
    """The triggers of 0001, written out again: a migration never imports another."""
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
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("hash", sa.String, nullable=False), sa.Column("role", sa.String, nullable=False),
        sa.Column("label", sa.String), sa.Column("created", sa.String, nullable=False),
        sa.Column("expires", sa.String),
        sa.PrimaryKeyConstraint("id", name="pk_tokens"),
        sa.UniqueConstraint("hash", name="uq_tokens_hash"),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("claim_id", sa.String, nullable=False), sa.Column("action", sa.String, nullable=False),
        sa.Column("fields", sa.JSON, nullable=False), sa.Column("comment", sa.Text),
        sa.Column("reviewer", sa.String, nullable=False), sa.Column("token_id", sa.Integer),
        sa.Column("created", sa.String, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name="fk_reviews_claim_id_claims"),
        sa.ForeignKeyConstraint(["token_id"], ["tokens.id"], name="fk_reviews_token_id_tokens"),
    )
    op.create_index("ix_reviews_claim_id", "reviews", ["claim_id"])
    for statement in _guard_statements(op.get_bind().dialect.name, "reviews"):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("reviews")  # drops its index and triggers on both backends
    op.drop_table("tokens")
