"""Short conflict-event notes, the shape event data sets use: one sentence, a date, a target, a
village and its district and region in brackets, and no country named anywhere.

Each note is ours, about a real place; the test checks that the place the note is about is found
and put within 25 km of where it is, in English and in French. Village-level places come from the
shared West African GeoNames dumps imported into a private index (the `sahel` fixture).
"""

from __future__ import annotations

import pytest
from tests.extract.test_geoparse import near, places, sahel  # noqa: F401  (sahel is a fixture)

from orbat.settings import Settings

# (note, the place's name as written, lat, lon, its country)
NOTES = [
    (
        "On 3 February 2024, unknown gunmen attacked a water point in Mondoro (Douentza, Mopti).",
        "Mondoro",
        14.68,
        -1.95,
        "ML",
    ),
    ("On 14 March 2023, unknown gunmen attacked a military post in Ansongo (Gao).", "Ansongo", 15.66, 0.50, "ML"),
    ("On 9 June 2022, gunmen attacked a market in Djibo (Soum, Sahel).", "Djibo", 14.10, -1.63, "BF"),
    (
        "On 2 January 2021, armed men attacked a checkpoint in Koutougou (Ayorou, Tillabéri).",
        "Koutougou",
        14.94,
        0.79,
        "NE",
    ),
    ("On 21 March 2021, gunmen attacked herders near Tillia (Tahoua).", "Tillia", 16.12, 4.79, "NE"),
    ("On 7 August 2023, suspected militants attacked a base in Monguno (Borno).", "Monguno", 12.67, 13.61, "NG"),
    ("On 4 May 2024, gunmen killed two farmers near Gwoza.", "Gwoza", 11.09, 13.69, "NG"),
    (
        "On 10 October 2023, an IED struck a patrol near Tuz Khurmatu (Salah al-Din).",
        "Tuz Khurmatu",
        34.88,
        44.63,
        "IQ",
    ),
    ("On 2 April 2022, gunmen attacked a checkpoint south of Kirkuk.", "Kirkuk", 35.47, 44.39, "IQ"),
    ("On 12 May 2023, unknown gunmen attacked shepherds near Palmyra (Homs).", "Palmyra", 34.56, 38.28, "SY"),
    ("On 5 July 2021, a car bomb exploded in a market in Al-Bab (Aleppo).", "Al-Bab", 36.37, 37.52, "SY"),
    (
        "Le 16 janvier 2024, des hommes armés non identifiés ont attaqué un poste à Diapaga (Tapoa, Est).",
        "Diapaga",
        12.07,
        1.79,
        "BF",
    ),
    ("Le 30 novembre 2022, des hommes armés ont tué trois civils près de Tillabéri.", "Tillabéri", 14.21, 1.45, "NE"),
    ("Le 8 juin 2023, des individus armés ont attaqué un camion entre Ménaka et Ansongo.", "Ménaka", 15.92, 2.40, "ML"),
    ("Le 2 août 2023, des assaillants ont attaqué la localité de Torodi (Tillabéri).", "Torodi", 13.12, 1.80, "NE"),
    ("Le 19 février 2024, des hommes armés ont attaqué un convoi sur l'axe Gao-Ansongo.", "Gao", 16.27, -0.04, "ML"),
]


@pytest.mark.parametrize(("note", "name", "lat", "lon", "country"), NOTES, ids=[n[1] for n in NOTES])
def test_a_note_without_its_country_places_its_village(
    sahel: Settings,  # noqa: F811
    note: str,
    name: str,
    lat: float,
    lon: float,
    country: str,
):
    found = places(note, sahel)
    assert name in found, f"{name} not found in {sorted(found)}"
    assert found[name]["country"] == country and near(found[name], lat, lon, 25), found[name]
