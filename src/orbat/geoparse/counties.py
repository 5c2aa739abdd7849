"""US counties as local news writes them: "Cook and DuPage counties", "the county of Cook", "le comté
de Cook", "Polk County, IA".

The index holds each county only under its full name ("Cook County", `gazetteer_build`), so a bare
"Cook" is never one. These are the other ways a text gives the full name: a plural area word after a
list of names, or the area word before the name; and the state written after it as a postal code or
an AP abbreviation, which the state's own name (`resolve._areas_after`) already covers in full.
"""

from __future__ import annotations

import re

from orbat.gazetteer import place_key
from orbat.geoparse.cues import LIST_GAP

# "Cook and DuPage counties", "Orleans and Jefferson parishes": the plural after the last name
PLURAL_AFTER = re.compile(r"(?<![ \t])[ \t]++(counties|parishes|boroughs)\b", re.I)
PLURAL = {"counties": "county", "parishes": "parish", "boroughs": "borough"}
# "the county of Cook", "le comté de Cook", "la paroisse d'Orleans": the area word before the name
AREA_OF_BEFORE = re.compile(r"\b(?:(county|parish|borough)\s+of|(comté|comte|paroisse)\s+(?:de|d['’]))\s*$", re.I)
FRENCH = {"comté": "county", "comte": "county", "paroisse": "parish"}
COUNTY_WORDS = ("county", "parish", "borough", "census area")

# "Polk County, IA", "Cook County, Ill.": the state after a county, as the US Postal Service or the
# Associated Press abbreviates it
POSTAL = set(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO "
    "MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
AP_STYLE = {
    "Ala": "AL",
    "Ariz": "AZ",
    "Ark": "AR",
    "Calif": "CA",
    "Colo": "CO",
    "Conn": "CT",
    "Del": "DE",
    "Fla": "FL",
    "Ga": "GA",
    "Ill": "IL",
    "Ind": "IN",
    "Kan": "KS",
    "Kans": "KS",
    "Ky": "KY",
    "La": "LA",
    "Md": "MD",
    "Mass": "MA",
    "Mich": "MI",
    "Minn": "MN",
    "Miss": "MS",
    "Mo": "MO",
    "Mont": "MT",
    "Neb": "NE",
    "Nebr": "NE",
    "Nev": "NV",
    "N.H": "NH",
    "N.J": "NJ",
    "N.M": "NM",
    "N.Y": "NY",
    "N.C": "NC",
    "N.D": "ND",
    "Okla": "OK",
    "Ore": "OR",
    "Pa": "PA",
    "R.I": "RI",
    "S.C": "SC",
    "S.D": "SD",
    "Tenn": "TN",
    "Tex": "TX",
    "Vt": "VT",
    "Va": "VA",
    "Wash": "WA",
    "W.Va": "WV",
    "Wis": "WI",
    "Wyo": "WY",
}
STATE_AFTER = re.compile(
    r",[ \t]*+(?:(?P<postal>[A-Z]{2})\b(?!\.?[ \t]*+[A-Z][a-z])|"
    r"(?P<ap>[A-Z][a-z]{1,4}|[NSRW]\.[A-Z][a-z]?)\.)"
)


def county_keys(text: str, spans: list[tuple[int, int]]) -> dict[int, str]:
    """For the names (sorted `spans`) that the words around them call US counties, the key of the
    full name: "Cook and DuPage counties" gives "cook county" and "dupage county"."""
    out: dict[int, str] = {}
    for n, (start, end) in enumerate(spans):
        plural = PLURAL_AFTER.match(text, end)
        if plural:
            word = PLURAL[plural.group(1).lower()]
            first = n
            while first and LIST_GAP.fullmatch(text, spans[first - 1][1], spans[first][0]):
                first -= 1
            for m in range(first, n + 1):
                out[m] = f"{place_key(text[spans[m][0] : spans[m][1]])} {word}"
            continue
        before = AREA_OF_BEFORE.search(text, max(0, start - 20), start)
        if before:
            word = (before.group(1) or FRENCH[before.group(2).lower()]).lower()
            out[n] = f"{place_key(text[start:end])} {word}"
    return {n: key for n, key in out.items() if not key.startswith(COUNTY_WORDS)}


def names_a_county(key: str) -> bool:
    """ "cook county", "orleans parish": a key that ends in a US county's area word."""
    return key.endswith(tuple(f" {word}" for word in COUNTY_WORDS))


def state_after(text: str, end: int) -> str | None:
    """ "Polk County, IA" / "Polk County, Iowa." → None for the name (`_areas_after` reads it) and
    "US-IA" for the code: the ISO 3166-2 code of the state abbreviated right after a county or a town."""
    written = state_abbreviated_after(text, end)
    return written[0] if written else None


def state_abbreviated_after(text: str, end: int) -> tuple[str, int, bool] | None:
    """ "Springfield, Ill." → ("US-IL", where "Ill" starts, False): the state's code, the start of its
    abbreviation, which names no place of its own ("Tex." is no hamlet in Armenia), and whether it is
    a postal code, which may be a country's ISO code too ("Niamey, NE" is in Niger, not Nebraska)."""
    match = STATE_AFTER.match(text, end, min(len(text), end + 12))
    if not match:
        return None
    group = "postal" if match.group("postal") else "ap"
    code = match.group("postal") if match.group("postal") in POSTAL else AP_STYLE.get(match.group("ap") or "")
    return (f"US-{code}", match.start(group), group == "postal") if code else None
