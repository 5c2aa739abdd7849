"""Every command the CLI has is documented in docs/cli.md (datasette's test_docs idea)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from orbat.cli import main

DOC = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
KNOWLEDGE = ("ingest", "stats", "posture", "where", "timeline", "new", "routes", "show", "reprocess")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found.extend(commands(command, prefix + name + " "))
    return found


def section(path: str) -> str:
    match = re.search(rf"^## orbat {re.escape(path)}\n(.*?)(?=^## |\Z)", DOC, re.M | re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize("path", [p for p, c in commands(main) if not isinstance(c, click.Group)])
def test_every_command_has_a_section(path):
    assert section(path).strip(), f"docs/cli.md has no '## orbat {path}' section"


@pytest.mark.parametrize("path", KNOWLEDGE)
def test_knowledge_command_options_are_documented(path):
    command = main.commands[path]
    for param in command.params:
        for option in getattr(param, "opts", []):
            if option.startswith("--") and option not in ("--db", "--format", "--help"):
                assert option in section(path), f"{option} of `orbat {path}` is not in its docs section"
    assert "--db" in DOC and "ORBAT_DB" in DOC and "--format json|csv" in DOC
