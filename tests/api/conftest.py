"""Fixtures for API tests: the example reports ingested once per session (SQLite) or per test."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from api_factory import ingest_examples


@pytest.fixture(scope="session")
def examples_sqlite(tmp_path_factory: pytest.TempPathFactory, orbat_home: Path) -> Path:
    """A SQLite file with the examples, built once; tests that write take a copy."""
    path = tmp_path_factory.mktemp("api-db") / "orbat.db"
    ingest_examples(str(path))
    return path


@pytest.fixture
def read_db(examples_sqlite: Path) -> str:
    """The shared examples database, for tests that only read."""
    return str(examples_sqlite)


@pytest.fixture
def copy_db(examples_sqlite: Path, tmp_path: Path) -> str:
    """A private copy of the examples database, for tests that write."""
    target = tmp_path / "orbat.db"
    with sqlite3.connect(examples_sqlite) as source, sqlite3.connect(target) as dest:
        source.backup(dest)  # consistent even while the shared file's WAL holds pages
    source.close()
    dest.close()
    return str(target)


@pytest.fixture
def examples_db(db_url: str) -> str:
    """The examples in a fresh database on each backend (SQLite file, PostgreSQL)."""
    ingest_examples(db_url)
    return db_url
