"""Schema migrations, run by orbat itself when a store is opened.

Users never see Alembic: `open_store` calls `upgrade` with a Config built here, so there is no
alembic.ini to ship or find. Two processes opening the same new database at once must not both
create tables, so the whole upgrade runs in one transaction that first takes a write lock
(`BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL). Before a populated SQLite file
is migrated, a copy is taken next to it (RELIABILITY row 30); PostgreSQL users back up with
their own tools (`pg_dump`), which orbat cannot do for them safely.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from orbat.store.schema import metadata

MIGRATIONS = Path(__file__).parent / "migrations"
PG_LOCK_KEY = 0x0_7262_6174  # "orbat" migrations; any constant shared by all orbat processes


def include_name(name: str | None, type_: str, _parents: dict) -> bool:
    """Compare only the store's own tables: derived indexes (`orbat_observations`...) create and
    drop their tables themselves, and autogenerate must never propose dropping them."""
    return type_ != "table" or name in metadata.tables


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"orbat migrations have {len(heads)} heads; merge them")
    return heads[0]


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def locked_transaction(engine: Engine, pg_lock_key: int = PG_LOCK_KEY) -> Connection:
    """Open a connection whose transaction holds the database's write lock from its start.

    SQLite takes its write lock with `BEGIN IMMEDIATE`; PostgreSQL has no such lock, so writers of
    one kind (migrations, index refreshes) serialise on an advisory lock with their own key.
    """
    conn = engine.connect()
    conn.execution_options(sqlite_begin="IMMEDIATE")
    conn.begin()
    if engine.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": pg_lock_key})
    return conn


def backup_sqlite(engine: Engine, label: str) -> Path | None:
    """Copy a SQLite database file with the online backup API (consistent while others write)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(f"{database}.before-{label}-{stamp}")
    with sqlite3.connect(database) as source, sqlite3.connect(target) as dest:
        source.backup(dest)
    source.close()
    dest.close()
    return target


def upgrade(engine: Engine, revision: str = "head") -> Path | None:
    """Bring the schema to `revision`; returns the backup taken first, if any."""
    target = head_revision() if revision == "head" else revision
    conn = locked_transaction(engine)
    backup = None
    try:
        current = current_revision(conn)
        if current == target:
            conn.rollback()
            return None
        if current is not None:
            backup = backup_sqlite(engine, f"{current}-to-{target}")
        command.upgrade(alembic_config(conn), revision)
        conn.commit()
    finally:
        conn.close()
    return backup


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema down (tests and recovery; the data in dropped tables is gone)."""
    conn = locked_transaction(engine)
    try:
        command.downgrade(alembic_config(conn), revision)
        conn.commit()
    finally:
        conn.close()
