"""Every text in the real-text development set may be redistributed, and says where it came from.

The set holds texts written by others, so each one must carry its source address, its licence and
the day it was retrieved, and the licence must be one that allows redistribution and must match
the site it names (a Wikipedia text under a government licence would be a mistake that makes the
whole repository unshippable). Wikipedia texts (CC BY-SA) live in their own folder with the licence.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from orbat.acquire.files import split_front_matter

HERE = Path(__file__).resolve().parent
REQUIRED = ("title", "url", "publisher", "published", "language", "licence", "retrieved")

# Licence -> the host names whose texts are published under it.
LICENCE_HOSTS = {
    "public-domain-us-gov": (".gov", ".mil", "dvidshub.net", "crsreports.congress.gov"),
    "OGL-UK-3.0": ("gov.uk",),
    "Licence-Ouverte-2.0": (".gouv.fr", "vie-publique.fr", "elysee.fr"),
    "CC-BY-2.5": ("wikinews.org",),
    "CC-BY-SA-3.0": ("wikipedia.org",),
    "CC-BY-SA-4.0": ("wikipedia.org",),
}
SHARE_ALIKE = {"CC-BY-SA-3.0", "CC-BY-SA-4.0"}


def _front_matter(path: Path) -> dict[str, str]:
    """The `key: value` block at the top; read here without orbat's key filter (licence, retrieved)."""
    raw = path.read_text(encoding="utf-8")
    assert raw.startswith("---\n"), f"{path.name}: no front matter"
    block = raw[4:raw.index("\n---", 3)]
    meta = {}
    for line in block.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    return meta


def _documents() -> list[Path]:
    return sorted(p for p in HERE.rglob("*.md") if p.name not in {"README.md", "LICENSE.md"})


def test_the_set_is_large_enough_and_bilingual():
    languages = [_front_matter(p)["language"] for p in _documents()]
    assert len(languages) >= 60, len(languages)
    assert languages.count("fr") >= 15, languages.count("fr")


def test_every_document_names_its_source_and_an_allowed_licence():
    for path in _documents():
        meta = _front_matter(path)
        missing = [k for k in REQUIRED if not meta.get(k)]
        assert not missing, f"{path.name}: missing {missing}"
        assert meta["licence"] in LICENCE_HOSTS, f"{path.name}: licence {meta['licence']!r} not allowed"
        host = urlsplit(meta["url"]).hostname or ""
        assert host.endswith(LICENCE_HOSTS[meta["licence"]]), f"{path.name}: {host} is not a {meta['licence']} site"
        in_wikipedia_folder = path.parent.name == "wikipedia"
        assert (meta["licence"] in SHARE_ALIKE) == in_wikipedia_folder, f"{path.name}: CC BY-SA goes in wikipedia/"


def test_wikipedia_folder_carries_its_licence():
    if any(p.parent.name == "wikipedia" for p in _documents()):
        assert "CC BY-SA" in (HERE / "wikipedia" / "LICENSE.md").read_text(encoding="utf-8")


def test_every_document_has_a_reviewed_gold_file_that_points_at_it():
    claims = 0
    for path in _documents():
        gold_path = path.with_name(path.stem + ".gold.json")
        assert gold_path.is_file(), f"{path.name}: no gold file"
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        assert gold["text_file"] == path.name
        meta = _front_matter(path)
        assert gold["published"] == meta["published"] and gold["language"] == meta["language"], path.name
        assert str(gold.get("reviewed", "")).startswith("second pass"), f"{path.name}: gold not re-read"
        claims += len(gold["claims"])
    assert claims >= 400, claims


def test_orbat_reads_only_the_body_of_a_document():
    path = _documents()[0]
    meta, body = split_front_matter(path.read_bytes())
    assert meta["url"] and b"licence:" not in body and b"retrieved:" not in body
