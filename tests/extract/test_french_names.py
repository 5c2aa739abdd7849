"""French names the catalogs and the place index lacked: "l'EI" for the Islamic State, "pays de Galles",
"Floride" (which Uruguay's Florida department shares in ISO 3166-2). Short texts we wrote."""

from __future__ import annotations

from tests.extract.helpers import entities, extract_text
from tests.extract.test_geoparse import near, places


def test_l_ei_is_the_islamic_state_but_ei_alone_is_not():
    actors = entities(
        extract_text(
            "Des combattants de l'EI ont attaqué une position près de Raqqa. L’EI a revendiqué l'attaque dimanche."
        ),
        "actor",
    )
    state = actors["Islamic State"]
    assert state["catalog_id"] == "islamic-state" and len(state["mentions"]) == 2
    words = entities(extract_text("Le mot finnois ei veut dire non. Un indice EI de 0,4 a été mesuré à Lyon."), "actor")
    assert not any(a["catalog_id"] == "islamic-state" for a in words.values())


def test_pays_de_galles_is_wales():
    found = places("Des inondations ont touché le pays de Galles et l'ouest de l'Angleterre mardi.")
    wales = next(p for p in found.values() if p["name"] == "Wales")
    assert wales["country"] == "GB" and near(wales, 52.3, -3.7, 80)
    assert any(p["name"] == "England" and p["country"] == "GB" for p in found.values())  # "l'Angleterre"


def test_floride_is_the_us_state_unless_the_text_points_at_uruguay():
    state = places("Un ouragan a frappé la Floride jeudi, privant d'électricité un million de foyers.")
    assert state["Floride"]["country"] == "US" and near(state["Floride"], 28.5, -81.7, 300)
    uruguay = places("En Uruguay, des pluies ont inondé le département de Floride, au nord de Montevideo.")
    assert uruguay["Floride"]["country"] == "UY"
