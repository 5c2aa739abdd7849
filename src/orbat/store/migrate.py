"""Schema migrations, run by orbat itself when a store is opened.

Users never see Alembic: `open_store` calls `upgrade` with a Config built here, so there is no
alembic.ini to ship or find. Two processes opening the same new database at once must not both
create tables, so the whole upgrade runs in one transaction that first takes a write lock
(`BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL). Before a database that already
has a schema is migrated, a backup is taken (RELIABILITY row 30): a SQLite file is copied next to
itself; a PostgreSQL database is dumped with `pg_dump` (custom format, for `pg_restore`) into
`ORBAT_HOME/backups/`. A migration that cannot take its backup does not run, unless the user,
having backed up with their own tools, sets `ORBAT_MIGRATE_WITHOUT_BACKUP=1`.

Almost every open finds the database already at the head revision. That case reads the
`alembic_version` table with one query and compares it with `HEAD_REVISION`, without importing
Alembic (and the Mako and Pygments it pulls in) or parsing the migration scripts: those cost
more than 0.1 s of CPU at the start of every orbat command that opens a store.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

from orbat.settings import default_home
from orbat.store.schema import metadata

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest revision in `migrations/versions`; a test checks it against the scripts' single
#: head, so adding a migration without raising it fails the tests, never a user's upgrade.
HEAD_REVISION = "0003"
VERSION_TABLE = "alembic_version"
MIGRATIONS = Path(__file__).parent / "migrations"
PG_LOCK_KEY = 0x0_7262_6174  # "orbat" migrations; any constant shared by all orbat processes


def include_name(name: str | None, type_: str, _parents: dict) -> bool:
    """Compare only the store's own tables: derived indexes (`orbat_observations`...) create and
    drop their tables themselves, and autogenerate must never propose dropping them."""
    return type_ != "table" or name in metadata.tables


class MigrationError(RuntimeError):
    """Alembic cannot bring the schema to the head (a revision it does not know: a newer orbat's)."""


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The head revision of the migration scripts, as Alembic reads them (tests, migrations)."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"orbat migrations have {len(heads)} heads; merge them")
    return heads[0]


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

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


class BackupError(RuntimeError):
    """The backup a migration needs could not be taken, so the migration did not run."""


def backup_postgresql(engine: Engine, label: str, folder: Path | None = None) -> Path:
    """Dump a PostgreSQL database with `pg_dump` in its custom format (restore with `pg_restore`).

    The password goes through the environment, never the command line other users can read. A
    failed or missing `pg_dump` (or one older than the server) raises `BackupError`: migrating
    without the copy the user was promised is worse than not migrating.
    """
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian: the postgresql-client package)")
    url = engine.url
    folder = folder or default_home() / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{url.database or 'postgres'}.before-{label}-{stamp}.dump"
    env = {**os.environ, "PGPASSWORD": url.password} if url.password else dict(os.environ)
    libpq_url = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    run = subprocess.run(
        [pg_dump, "--format=custom", "--no-password", f"--file={target}", f"--dbname={libpq_url}"],
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        target.unlink(missing_ok=True)
        reason = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1]
        raise BackupError(f"pg_dump failed: {reason}")
    return target


def backup(engine: Engine, label: str) -> Path | None:
    """The backup of a database about to be migrated, by backend; None for an in-memory database or
    when the user has taken their own (`ORBAT_MIGRATE_WITHOUT_BACKUP=1`)."""
    if os.environ.get("ORBAT_MIGRATE_WITHOUT_BACKUP") == "1":
        return None
    if engine.dialect.name == "postgresql":
        return backup_postgresql(engine, label)
    return backup_sqlite(engine, label)


def stored_revisions(engine: Engine) -> list[str]:
    """The revisions recorded in the database (none for a new one), read without Alembic.

    Read outside the migrations' lock: a database at the head stays there, and any other answer
    sends `upgrade` to the locked path, which reads the revision again before doing anything.
    """
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, VERSION_TABLE):
            return []
        return [row[0] for row in conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))]


def upgrade(engine: Engine, revision: str = "head") -> Path | None:
    """Bring the schema to `revision`; returns the backup taken first, if any.

    Raises `MigrationError` when Alembic cannot (the database names a revision it does not know).
    """
    if revision == "head" and stored_revisions(engine) == [HEAD_REVISION]:
        return None
    from alembic import command
    from alembic.util import CommandError

    conn = locked_transaction(engine)
    taken = None
    try:
        target = head_revision() if revision == "head" else revision
        current = current_revision(conn)
        if current == target:
            conn.rollback()
            return None
        if current is not None:
            taken = backup(engine, f"{current}-to-{target}")
        command.upgrade(alembic_config(conn), revision)
        conn.commit()
    except CommandError as exc:
        raise MigrationError(str(exc)) from exc
    finally:
        conn.close()
    return taken


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema down (tests and recovery; the data in dropped tables is gone)."""
    from alembic import command

    conn = locked_transaction(engine)
    try:
        command.downgrade(alembic_config(conn), revision)
        conn.commit()
    finally:
        conn.close()
