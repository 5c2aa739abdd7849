"""US counties, parishes and boroughs: found however local news writes them, placed in the state the
text gives or points at, else at the most populous county of that name. Short texts we wrote."""

from __future__ import annotations

from tests.extract.test_geoparse import near, places

COOK_ILLINOIS = (41.89, -87.65)


def county(found: dict[str, dict], written: str) -> dict:
    """The place a county's mention names, asserted to be a US county."""
    place = found[written]
    assert place["country"] == "US" and place["precision"] == "admin2", place
    assert (place["catalog_id"] or "").startswith("fips:"), place
    return place


def test_a_county_named_in_full_is_a_place_at_the_county():
    found = places("Deputies in Travis County arrested two men on Friday.")
    assert near(county(found, "Travis County"), 30.24, -97.69, 30)
    alaska = places("Wildfires burned across the Matanuska-Susitna Borough and in Orleans Parish it rained.")
    assert near(county(alaska, "Matanuska-Susitna Borough"), 62.2, -149.4, 60)
    assert near(county(alaska, "Orleans Parish"), 30.07, -89.94, 30)


def test_the_state_written_after_a_county_decides():
    found = places("Floods hit Polk County, Iowa, on Monday.")
    assert near(county(found, "Polk County"), 41.68, -93.57, 30)
    smaller = places("Snow fell on Orange County, New York, and on Cook County, Minnesota.")
    assert near(county(smaller, "Orange County"), 41.4, -74.3, 40)  # not California's, ten times larger
    assert near(county(smaller, "Cook County"), 47.54, -90.29, 40)  # not Illinois's
    postal = places("Floods hit Polk County, FL, on Monday.")
    assert near(county(postal, "Polk County"), 27.95, -81.7, 60)
    ap_style = places("A tornado struck Hamilton County, Tenn., and Polk County, Ore., on Sunday.")
    assert near(county(ap_style, "Hamilton County"), 35.16, -85.2, 40)
    assert near(county(ap_style, "Polk County"), 44.9, -123.4, 60)


def test_without_a_state_the_other_places_of_the_text_decide():
    found = places("Deputies in Hamilton County searched a house near Chattanooga on Tuesday.")
    assert near(county(found, "Hamilton County"), 35.16, -85.2, 40)  # Tennessee's, by Chattanooga
    sentence = places(
        "Swans tested positive in Michigan, near a game area in Monroe County. "
        "Samples went to a laboratory in Ames, Iowa."
    )
    assert near(county(sentence, "Monroe County"), 41.92, -83.49, 40)  # the state of its own sentence


def test_otherwise_the_most_populous_county_of_that_name():
    found = places("Storms knocked out power in Cook County and Orange County.")
    assert near(county(found, "Cook County"), *COOK_ILLINOIS, 30)
    assert near(county(found, "Orange County"), 33.7, -117.8, 40)  # California's, not Florida's
    alone = places("Deputies in Hamilton County arrested two men.")
    assert near(county(alone, "Hamilton County"), 39.2, -84.54, 40)  # Ohio's
    assert len(found["Cook County"]["ranking"]) == 3  # the other Cook Counties stay, with their scores
    assert {r["id"] for r in found["Cook County"]["ranking"]} >= {"fips:17031", "fips:27031"}


def test_counties_written_with_a_plural_or_before_the_name():
    found = places("Storms hit Cook and DuPage counties. Levees held in Orleans and Jefferson parishes.")
    assert near(county(found, "Cook"), *COOK_ILLINOIS, 30) and near(county(found, "DuPage"), 41.85, -88.09, 30)
    assert near(county(found, "Orleans"), 30.07, -89.94, 30) and near(county(found, "Jefferson"), 29.5, -90.04, 40)


def test_the_county_of_a_name_in_english_and_in_french():
    of = places("Schools closed in the county of Cook after the storm.")
    assert near(county(of, "Cook"), *COOK_ILLINOIS, 30)
    french = places("Des tornades ont frappé le comté de Cook, dans l'Illinois, lundi.")
    assert near(county(french, "Cook"), *COOK_ILLINOIS, 30)


def test_a_bare_name_is_not_a_county_and_county_words_alone_are_no_place():
    found = places("Cook said the county officials met on Monday. County Durham lies far from Chicago.")
    assert not any((p["catalog_id"] or "").startswith("fips:") for p in found.values())
    assert "county" not in {m["text"].lower() for p in found.values() for m in p["mentions"]}
    town = places("Firefighters worked near Cook on Monday.")
    assert not any((p["catalog_id"] or "").startswith("fips:") for p in town.values())


def test_a_county_that_names_its_office_is_the_county():
    found = places("The Hamilton County Sheriff's Office said two men were arrested on Friday.")
    assert near(county(found, "Hamilton County"), 39.2, -84.54, 40)  # Ohio's: the most populous
    jail = places("Both men were held at the Cook County Jail.")
    assert near(county(jail, "Cook County"), *COOK_ILLINOIS, 30)


def test_a_small_county_does_not_outweigh_a_large_one_without_a_reason():
    # Florida's Hamilton County (14,000 people) and Tennessee's Polk County (17,000) are not Ohio's and
    # Florida's large ones just because they are each other's neighbours' namesakes
    found = places("Storms hit Hamilton County on Monday. Polk County opened shelters on Tuesday.")
    assert near(county(found, "Hamilton County"), 39.2, -84.54, 40)
    assert county(found, "Polk County")["ranking"][0]["id"] in {"fips:12105", "fips:19153"}  # Florida's or Iowa's


def test_the_county_of_a_name_that_is_also_an_english_county_follows_the_text():
    found = places("Police in the county of Kent closed roads near Maidstone.")
    assert found["Kent"]["country"] == "GB" and near(found["Kent"], 51.27, 0.52, 40)


def test_a_county_that_heads_a_district_s_name_is_the_county():
    found = places("Maps came from the Orange County Sanitation District on Monday.")
    assert near(county(found, "Orange County"), 33.7, -117.8, 40)
