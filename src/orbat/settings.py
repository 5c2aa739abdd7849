"""Settings read from the environment, with the defaults a single analyst on a laptop wants.

Every limit that protects against hostile input lives here so it can be raised in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.isdigit() else default


def _list_env(name: str) -> tuple[str, ...]:
    """A comma-separated list, lower-cased, empty items dropped."""
    return tuple(item.strip().lower() for item in os.environ.get(name, "").split(",") if item.strip())


def default_home() -> Path:
    """Where orbat keeps its own files (the gazetteer index); never the network."""
    configured = os.environ.get("ORBAT_HOME")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "orbat"


@dataclass(slots=True)
class Settings:
    max_document_bytes: int = field(default_factory=lambda: _int_env("ORBAT_MAX_BYTES", 5_000_000))
    db_url: str = field(default_factory=lambda: os.environ.get("ORBAT_DB", "orbat.db"))
    home: Path = field(default_factory=default_home)
    fetch_connect_timeout: float = 5.0
    fetch_read_timeout: float = 10.0
    fetch_total_timeout: float = 30.0
    fetch_max_redirects: int = 5
    #: CPU seconds one document may spend in extraction (checked between stages and pieces).
    document_seconds: int = field(default_factory=lambda: _int_env("ORBAT_DOC_SECONDS", 120))
    feed_max_items: int = field(default_factory=lambda: _int_env("ORBAT_FEED_MAX_ITEMS", 500))
    allow_private: bool = False
    #: Folder walks read files and folders behind symbolic links only when asked (--follow-symlinks).
    follow_symlinks: bool = False
    #: Intranet mirrors that may resolve to private addresses: host names (exact match) or IP
    #: addresses / CIDR networks. Everything else private, loopback or link-local is refused.
    allow_hosts: tuple[str, ...] = field(default_factory=lambda: _list_env("ORBAT_ALLOW_HOSTS"))

    @property
    def gazetteer_path(self) -> Path:
        return self.home / "gazetteer.sqlite"
