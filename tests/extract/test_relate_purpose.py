"""An event word after a phrase of intention, readiness or topic ("déterminée à combattre",
"préparés au combat", "lié à la production de", "ready for combat") states what a force means
or is ready to do, or what a thing is about, not a fact that happened; an attack word that
names its means ("airstrike") is a fight once the text places it, system or not (issue 8,
kind 3). Texts written for the test."""

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


def test_an_attack_word_that_names_its_means_is_a_fight_where_the_text_places_it():
    record = extract_text("A NATO airstrike hit a fuel depot near Misrata in Libya on Sunday.", "2011-05-10")
    fights = [c for c in record["claims"] if c["event"] == "combat"]
    assert fights and fights[0]["date"] == "2011-05-08"
    assert {e["country"] for e in record["entities"] if e["id"] == fights[0]["place"]} == {"LY"}
    # unplaced, the same word is talk about attacks, not one that happened
    assert "combat" not in _events("Airstrikes remain a costly way to hold ground.")
