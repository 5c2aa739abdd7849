"""An event word after a phrase of intention, readiness or topic ("déterminée à combattre",
"préparés au combat", "lié à la production de", "ready for combat") states what a force means
or is ready to do, or what a thing is about, not a fact that happened (issue 8, kind 3). Texts
written for the test."""

from __future__ import annotations

from tests.extract.helpers import extract_text


def _events(text: str, published: str = "2024-03-10") -> list[str]:
    return [c["event"] for c in extract_text(text, published)["claims"]]


def test_intention_and_readiness_are_not_combat():
    assert "combat" not in _events("Résiliente, la force reste déterminée à combattre les groupes armés au Mali.")
    assert "combat" not in _events("Les Mirage 2000D ont été préparés au combat en moins de 24 heures au Niger.")
    assert "combat" not in _events("The battalion's Leopard 2 tanks are ready for combat in Lithuania.")


def test_a_thing_linked_to_production_is_no_production():
    assert "production" not in _events("Un entrepôt lié à la production de drones a été frappé près de Kharkiv.")


def test_a_fight_that_happened_is_still_combat():
    assert "combat" in _events("La force a combattu les groupes armés près de Gao le 3 mars.")
