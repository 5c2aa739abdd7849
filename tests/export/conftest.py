"""Fixtures for export tests: one example database per session (building it takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_factory import build


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory, orbat_home: Path) -> str:
    """The examples, the hostile corpus and the crafted record in a SQLite file."""
    folder = tmp_path_factory.mktemp("export-db")
    return build(str(folder / "orbat.db"), folder)
