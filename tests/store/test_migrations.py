"""Alembic migrations on populated SQLite and PostgreSQL databases (RELIABILITY row 30)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from storefactory import make_record, simple_record

from orbat.store import StoreError, migrate, open_store
from orbat.store.schema import metadata


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_migrated_schema_matches_the_code(db_url):
    with open_store(db_url) as store, store.engine.connect() as conn:
        conn.execute(text("CREATE TABLE orbat_observations_like (id INTEGER PRIMARY KEY)"))  # a derived index
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": migrate.include_name})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_downgrade_and_upgrade_a_populated_database(db_url):
    with open_store(db_url) as store:
        for number in range(5):
            store.save(simple_record(number))
        store.save(make_record())
        assert _tables(store.engine) == set(metadata.tables)
        migrate.downgrade(store.engine, "base")
        assert _tables(store.engine) == set()
        migrate.upgrade(store.engine)
        assert _tables(store.engine) == set(metadata.tables)
        assert store.save(make_record()).status == "new"
        with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
            conn.execute(text("DELETE FROM claims"))  # the guards came back with the tables


def test_every_step_goes_down_and_up_again(db_url):
    """The stairway: each revision's downgrade undoes its upgrade, on a database holding data."""
    with open_store(db_url) as store:
        store.save(make_record())
        revisions = _revisions()
        for previous in reversed(["base", *revisions[:-1]]):
            migrate.downgrade(store.engine, previous)
        for revision in revisions:
            migrate.upgrade(store.engine, revision)
            migrate.downgrade(store.engine, "-1")
            migrate.upgrade(store.engine, revision)
        with store.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()


def test_head_revision_known_to_the_code_is_the_scripts_head():
    """Opening a store skips Alembic when the database is at `HEAD_REVISION`: a migration added
    without raising it would never run, so the constant must name the scripts' one head."""
    assert migrate.HEAD_REVISION == migrate.head_revision() == _revisions()[-1]


def test_opening_an_up_to_date_store_does_not_load_alembic(db_url):
    """Alembic (with Mako and Pygments) costs every command's start-up; only a migration needs it."""
    open_store(db_url).close()
    probe = (
        "import sys\n"
        "from orbat.store import open_store\n"
        "open_store(sys.argv[1]).close()\n"
        "print(sorted(m for m in ('alembic', 'mako', 'pygments') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe, db_url], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_database_from_a_newer_orbat_is_refused_clearly(db_url):
    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="cannot migrate"):
        open_store(db_url)


def test_sqlite_backup_is_a_consistent_copy(tmp_path):
    path = tmp_path / "orbat.db"
    with open_store(str(path)) as store:
        store.save(make_record())
        backup = migrate.backup_sqlite(store.engine, "test")
    assert backup is not None and backup.name.startswith("orbat.db.before-test-")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT count(*) FROM claims").fetchone() == (2,)
    conn.close()


def test_row30_upgrading_a_populated_sqlite_database_backs_it_up_first(tmp_path):
    """The copy is taken before the first migration step: it holds the old revision and every row."""
    path = tmp_path / "orbat.db"
    with open_store(str(path)) as store:
        store.save(make_record())
        older = _revisions()[-2]
        migrate.downgrade(store.engine, older)
        backup = migrate.upgrade(store.engine)
        with store.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
        assert migrate.upgrade(store.engine) is None  # nothing to do: no copy
    assert backup is not None and backup.parent == tmp_path and backup.name.startswith("orbat.db.before-")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (older,)
        assert conn.execute("SELECT count(*) FROM claims").fetchone() == (2,)
    conn.close()


def _older_populated_postgresql(url: str) -> str:
    """A PostgreSQL database holding a record, one schema revision behind: what an upgrade of orbat meets."""
    with open_store(url) as store:
        store.save(make_record())
        older = _revisions()[-2]
        migrate.downgrade(store.engine, older)
    return older


def _revision_and_claims(url: str) -> tuple[str, int]:
    with psycopg.connect(url) as conn:
        [revision] = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        [claims] = conn.execute("SELECT count(*) FROM claims").fetchone()
    return revision, claims


def test_row30_upgrading_a_populated_postgresql_database_dumps_it_first(
    postgres_server, postgres_url, tmp_path, monkeypatch
):
    """The dump is taken before the first step, lands in ORBAT_HOME/backups, and restores with
    pg_restore into a database holding the old revision and every row."""
    monkeypatch.setenv("ORBAT_HOME", str(tmp_path))
    older = _older_populated_postgresql(postgres_url)
    with open_store(postgres_url) as store:
        [backup] = (tmp_path / "backups").iterdir()
        with store.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
        assert migrate.upgrade(store.engine) is None  # nothing to do: no dump
    assert backup.name.startswith(postgres_url.rsplit("/", 1)[1] + ".before-" + older)
    assert list((tmp_path / "backups").iterdir()) == [backup]
    restored = postgres_server.rsplit("/", 1)[0] + "/" + postgres_url.rsplit("/", 1)[1] + "_restored"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored.rsplit("/", 1)[1]}"')
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", str(backup)], check=True)
        assert _revision_and_claims(restored) == (older, 2)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored.rsplit("/", 1)[1]}" WITH (FORCE)')


def test_row30_a_postgresql_migration_that_cannot_back_up_does_not_run(postgres_url, tmp_path, monkeypatch):
    """Without pg_dump the database stays as it was, with a message saying why and what to do;
    a user who backed up with their own tools can let the migration run."""
    monkeypatch.setenv("ORBAT_HOME", str(tmp_path))
    older = _older_populated_postgresql(postgres_url)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    with pytest.raises(StoreError, match="pg_dump is not installed.*ORBAT_MIGRATE_WITHOUT_BACKUP=1"):
        open_store(postgres_url)
    assert _revision_and_claims(postgres_url) == (older, 2)
    assert not (tmp_path / "backups").exists() or list((tmp_path / "backups").iterdir()) == []
    monkeypatch.setenv("ORBAT_MIGRATE_WITHOUT_BACKUP", "1")
    with open_store(postgres_url) as store, store.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
    assert _revision_and_claims(postgres_url)[1] == 2
