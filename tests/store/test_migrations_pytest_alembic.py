"""pytest-alembic's checks of the migration history, on populated SQLite and PostgreSQL databases
(RELIABILITY row 30).

The four built-in tests of pytest-alembic (one head, upgrade from empty, models match the DDL, every
step goes down and up) run here as ordinary tests, each on both backends, through the plugin's
`alembic_runner` fixture. Its own collection of those tests is switched off (`-p no:pytest_alembic`
in pyproject.toml; the fixtures come in through `pytest_plugins` in tests/conftest.py): 0.13.1's
collector fails the whole run under pytest 9.2 as soon as it binds to a file, and bound to
tests/conftest.py it would run the same four tests again, without the fixtures of this file (an
empty in-memory SQLite, no alembic.ini), in a `--dist loadfile` group of their own.

"Populated": every step of the history meets rows. At 0001 the runner inserts what orbat itself
writes for two documents (saved by `open_store` on a scratch database, stepped down to 0001 and
read back), at 0002 a token and a review of one of those claims, at 0003 an ingest error.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_alembic import tests as built_in
from pytest_alembic.config import Config
from pytest_alembic.runner import MigrationContext
from sqlalchemy import Engine, MetaData, func, inspect, select
from storefactory import make_record, simple_record

from orbat.store import migrate, open_store
from orbat.store.database import create_engine_for

Rows = list[dict[str, Any]]


@pytest.fixture(scope="session")
def rows_at_0001(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    """What orbat stores for two documents, as rows of the 0001 schema (`__tablename__` + columns),
    parents before children so the runner can insert them in order."""
    path = tmp_path_factory.mktemp("rows-at-0001") / "orbat.db"
    with open_store(str(path)) as store:
        store.save(make_record())
        store.save(simple_record(1))
        migrate.downgrade(store.engine, "0001")
        schema = MetaData()
        schema.reflect(store.engine)
        rows: Rows = []
        with store.engine.connect() as conn:
            for table in schema.sorted_tables:
                if table.name != "alembic_version":
                    rows += [{"__tablename__": table.name, **row._asdict()} for row in conn.execute(select(table))]
    return rows


def _claim_ids(rows: Rows) -> list[str]:
    return sorted(row["id"] for row in rows if row["__tablename__"] == "claims")


def _later_rows(rows_at_0001: Rows) -> dict[str, Rows]:
    """Rows for the tables 0002 and 0003 add, inserted as soon as each step has made them."""
    created = "2026-12-03T10:00:00+00:00"
    return {
        "0002": [
            {
                "__tablename__": "tokens",
                "id": 1,
                "hash": "sha256:" + "ab" * 32,
                "role": "analyst",
                "label": "desk officer",
                "created": created,
                "expires": None,
            },
            {
                "__tablename__": "reviews",
                "id": 1,
                "claim_id": _claim_ids(rows_at_0001)[0],
                "action": "accept",
                "fields": {},
                "comment": "matches the ministry's statement",
                "reviewer": "desk officer",
                "token_id": 1,
                "created": created,
            },
        ],
        "0003": [
            {
                "__tablename__": "ingest_errors",
                "id": 1,
                "origin": "corpus.jsonl:3",
                "external_id": "r-3",
                "error": "no text in the page",
                "created": created,
            },
        ],
    }


@pytest.fixture
def alembic_config(rows_at_0001: Rows) -> Config:
    """pytest-alembic runs orbat's own migrations (no alembic.ini) and inserts rows at each step."""
    return Config(
        alembic_config=migrate.alembic_config(),
        at_revision_data={"0001": rows_at_0001, **_later_rows(rows_at_0001)},
    )


@pytest.fixture
def alembic_engine(db_url: str) -> Iterator[Engine]:
    """An empty database on each backend (a SQLite file, a PostgreSQL database on the suite's server)."""
    engine = create_engine_for(db_url)
    yield engine
    engine.dispose()


def _count(runner: MigrationContext, table: str) -> int:
    with runner.connection_executor.connection.connect() as conn:
        return conn.execute(select(func.count()).select_from(runner.table_at_revision(table))).scalar_one()


def _counts(runner: MigrationContext, tables: list[str]) -> dict[str, int]:
    return {table: _count(runner, table) for table in tables}


def test_single_head_revision(alembic_runner: MigrationContext):
    built_in.test_single_head_revision(alembic_runner)
    assert alembic_runner.heads == [migrate.head_revision()]


def test_upgrade_a_populated_database_to_head(alembic_runner: MigrationContext, rows_at_0001: Rows):
    built_in.test_upgrade(alembic_runner)
    assert alembic_runner.current == migrate.head_revision()
    assert _counts(alembic_runner, ["documents", "claims", "reviews", "tokens", "ingest_errors"]) == {
        "documents": 2,
        "claims": len(_claim_ids(rows_at_0001)),
        "reviews": 1,
        "tokens": 1,
        "ingest_errors": 1,
    }


def test_model_definitions_match_ddl(alembic_runner: MigrationContext):
    """After the whole history has run over data, autogenerate finds nothing to add or drop."""
    built_in.test_model_definitions_match_ddl(alembic_runner)
    assert alembic_runner.current == migrate.head_revision()


def test_up_down_consistency_with_rows_in_every_table(alembic_runner: MigrationContext, rows_at_0001: Rows):
    """Every step down succeeds on a database holding rows, and the way back up too; the rows of the
    tables that stay (those of 0001) are all still there at the end."""
    built_in.test_up_down_consistency(alembic_runner)
    assert alembic_runner.current == migrate.head_revision()
    tables = sorted({row["__tablename__"] for row in rows_at_0001})
    expected = {table: sum(row["__tablename__"] == table for row in rows_at_0001) for table in tables}
    assert _counts(alembic_runner, tables) == expected


def test_downgrade_of_a_populated_database_drops_only_what_the_steps_added(
    alembic_runner: MigrationContext, rows_at_0001: Rows
):
    """Down from head to 0001 with rows everywhere: the tables 0002 and 0003 made are gone, the
    column 0003 added too, and the documents and claims stored at 0001 are untouched."""
    alembic_runner.migrate_up_to("heads")
    alembic_runner.migrate_down_to("0001")
    assert alembic_runner.current == "0001"
    schema = inspect(alembic_runner.connection_executor.connection)
    assert {"reviews", "tokens", "ingest_errors"}.isdisjoint(schema.get_table_names())
    assert "version_of" not in {column["name"] for column in schema.get_columns("documents")}
    assert _counts(alembic_runner, ["documents", "claims"]) == {"documents": 2, "claims": len(_claim_ids(rows_at_0001))}


def _backup_of_postgresql(dump: Path) -> tuple[str, int]:
    """The revision and claim count a `pg_dump` file holds, read from the SQL `pg_restore` writes
    for it (the COPY blocks of `alembic_version` and `claims`), with no database to restore into."""
    script = subprocess.run(
        ["pg_restore", "--data-only", "--file=-", str(dump)], check=True, capture_output=True, text=True
    ).stdout.splitlines()

    def copied_rows(table: str) -> list[str]:
        start = next(i for i, line in enumerate(script) if line.startswith(f"COPY public.{table} "))
        return script[start + 1 : script.index("\\.", start)]

    [revision] = copied_rows("alembic_version")
    return revision, len(copied_rows("claims"))


def _backup_of_sqlite(copy: Path) -> tuple[str, int]:
    with sqlite3.connect(copy) as conn:
        [revision] = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        [claims] = conn.execute("SELECT count(*) FROM claims").fetchone()
    conn.close()
    return revision, claims


def test_orbat_backs_up_a_populated_database_before_upgrading_it(
    alembic_runner: MigrationContext, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A database left at 0002 with rows in it, opened by orbat (as every command does): the backup
    is taken before the first step and holds 0002 and every claim; then the schema is at head."""
    monkeypatch.setenv("ORBAT_HOME", str(tmp_path / "home"))
    alembic_runner.migrate_up_to("0002")
    claims = _count(alembic_runner, "claims")
    with open_store(db_url):
        pass
    assert alembic_runner.current == migrate.head_revision()
    if db_url.startswith("postgresql"):
        [dump] = (tmp_path / "home" / "backups").iterdir()
        assert dump.name.startswith(db_url.rsplit("/", 1)[1] + ".before-0002-to-")
        assert _backup_of_postgresql(dump) == ("0002", claims)
    else:
        [copy] = Path(db_url).parent.glob("orbat.db.before-0002-to-*")
        assert _backup_of_sqlite(copy) == ("0002", claims)
