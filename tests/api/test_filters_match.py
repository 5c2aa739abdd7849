"""Every row a list route returns matches every filter asked for, and no matching row is left out.

Counting (`0 < total < everything`) cannot tell an inverted filter from a right one; comparing
each row with the filter can. Each filtered answer must equal the unfiltered list narrowed, row
by row, by the filter's documented meaning (docs/cli.md), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

from api_factory import client

from orbat.store.rows import equipment_key

ALL = {"limit": 5000}
CERTAINTIES = ["confirmed", "reported", "probable", "possible", "speculative", "denied"]


def within_since(value: str | None, since: str) -> bool:
    """A date at any precision is on or after `since` when its period reaches it ("2025-01" ≥ 2025-01-17)."""
    return value is not None and value >= since[:len(value)]


def within_until(value: str | None, until: str) -> bool:
    return value is not None and value[:len(until)] <= until


def searched_names(value: str) -> list[str]:
    """The actor filter's documented meaning: the name typed, or the catalog name of the actor it
    is an alias of ("FAMa" finds "Malian Armed Forces")."""
    from orbat.catalog import load_catalogs

    folded = value.casefold()
    return [value] + [a.name for a in load_catalogs().actors.values()
                      if folded in (a.id.casefold(), a.name.casefold(), *(x.casefold() for x in a.aliases))]


def names_match(value: str, names: list[str]) -> bool:
    return any(s.lower() in name.lower() for s in searched_names(value) for name in names)


def observation_matches(o: dict, params: dict[str, str]) -> bool:
    tests: dict[str, Callable[[str], bool]] = {
        "country": lambda v: o["country"] == v.upper(),
        "equipment": lambda v: o["catalog_id"] == v.lower()
        or equipment_key(v) in {equipment_key(o["equipment"] or ""), equipment_key(o["family"] or "")},
        "class": lambda v: v.lower() in (o["equipment_class"] or "").lower(),
        "event": lambda v: o["event_group"] == v or v in o["events"],
        "certainty": lambda v: o["certainty"] == v,
        "since": lambda v: within_since(o["last_seen"], v),
        "until": lambda v: within_until(o["first_seen"], v),
        "actor": lambda v: names_match(v, o["operators"]),
        "place": lambda v: v.lower() in (o["place"] or "").lower(),
    }
    return all(tests[k](v) for k, v in params.items())


def claim_matches(c: dict, params: dict[str, str]) -> bool:
    systems = c["equipment"]
    tests: dict[str, Callable[[str], bool]] = {
        "country": lambda v: c["country"] == v.upper(),
        "equipment": lambda v: any(equipment_key(s["name"]) == equipment_key(v) or s["catalog_id"] == v.lower()
                                   for s in systems),
        "class": lambda v: any(v.lower() in (s["class"] or "").lower() for s in systems),
        "event": lambda v: c["event"] == v,
        "certainty": lambda v: c["certainty"] == v,
        "since": lambda v: within_since(c["date"], v),
        "until": lambda v: within_until(c["date"], v),
        "actor": lambda v: names_match(v, [a["name"] for a in c["actors"]]),
        "place": lambda v: v.lower() in (c["place"] or "").lower(),
    }
    return all(tests[k](v) for k, v in params.items())


FILTERS: list[dict[str, str]] = [
    {"country": "ML"}, {"country": "ua"}, {"equipment": "T-72B3"}, {"equipment": "t72b3"}, {"equipment": "T-72"},
    {"class": "main battle tank"}, {"event": "delivery"}, {"event": "presence"}, {"event": "construction"},
    *({"certainty": level} for level in CERTAINTIES),
    {"since": "2025-01"}, {"since": "2025-01-17"}, {"until": "2024"}, {"until": "2024-12-31"},
    {"since": "2024-06-01", "until": "2025-01-20"}, {"actor": "africa corps"}, {"actor": "FAMa"},
    {"country": "ML", "certainty": "reported", "since": "2025"},
    {"country": "ML", "class": "tank", "event": "presence", "until": "2025-06"},
    {"equipment": "T-72B3", "certainty": "confirmed"}, {"actor": "africa corps", "country": "ML", "event": "delivery"},
]


def test_every_observation_and_claim_matches_every_filter(examples_db):
    c = client(examples_db)
    everything = c.get("/api/observations", params=ALL).json()["observations"]
    all_claims = c.get("/api/claims", params=ALL).json()["claims"]
    assert len(everything) > 20 and len(all_claims) > 40
    nonempty = 0
    for params in FILTERS:
        answer = c.get("/api/observations", params={**params, **ALL}).json()
        rows = answer["observations"]
        assert answer["total"] == len(rows), params
        assert all(observation_matches(o, params) for o in rows), params
        assert sorted(o["id"] for o in rows) == sorted(o["id"] for o in everything if observation_matches(o, params)), \
            params
        claims = c.get("/api/claims", params={**params, **ALL}).json()
        if "event" not in params or params["event"] != "presence":  # "presence" groups events; claims have one
            assert all(claim_matches(x, params) for x in claims["claims"]), params
            assert sorted(x["id"] for x in claims["claims"]) == sorted(
                x["id"] for x in all_claims if claim_matches(x, params)), params
        nonempty += bool(rows)
    assert nonempty >= len(FILTERS) - 4  # the filters pick real rows, not only empty answers
    levels = {level: c.get("/api/observations", params={"certainty": level, **ALL}).json()["total"]
              for level in CERTAINTIES}
    assert sum(levels.values()) == len(everything)  # each observation has exactly one level


def test_filters_at_their_edges(examples_db):
    """Dates equal to a stored one are inside; a day inside a stored month is inside; names work like
    codes; catalog ids work whatever their spelling; wildcards are plain text."""
    c = client(examples_db)
    everything = c.get("/api/observations", params=ALL).json()["observations"]
    latest = max(o["last_seen"] for o in everything if o["last_seen"])
    earliest = min(o["first_seen"] for o in everything if o["first_seen"])
    for params in ({"since": latest}, {"until": earliest}, {"place": "%"}, {"place": "_"}, {"actor": "%"}):
        rows = c.get("/api/observations", params={**params, **ALL}).json()["observations"]
        assert sorted(o["id"] for o in rows) == sorted(o["id"] for o in everything if observation_matches(o, params))
        assert bool(rows) == ("since" in params or "until" in params), params  # the edge day is in; no name has %
    by_code = c.get("/api/observations", params={"country": "ML", **ALL}).json()["observations"]
    by_name = c.get("/api/observations", params={"country": " mali ", **ALL}).json()["observations"]
    assert by_code and [o["id"] for o in by_name] == [o["id"] for o in by_code]
    unknown = c.get("/api/observations", params={"country": "Atlantis"})
    assert 400 <= unknown.status_code < 500 and "Atlantis" in unknown.text

    # A catalog id whose spelling folds to neither the name nor the family ("bayraktar-akinci" for
    # "Bayraktar Akıncı", family "Akıncı") still finds the system, in any case.
    for typed in ("bayraktar-akinci", " Bayraktar-Akinci "):
        rows = c.get("/api/observations", params={"equipment": typed, **ALL}).json()["observations"]
        expected = [o["id"] for o in everything if o["catalog_id"] == "bayraktar-akinci"]
        assert expected and sorted(o["id"] for o in rows) == sorted(expected), typed
        assert all(equipment_key(typed) not in {equipment_key(o["equipment"]), equipment_key(o["family"])}
                   for o in rows)  # only the catalog id can have found them
    # An observation dated only to a month is found by a `since` day inside that month.
    months = {o["last_seen"] for o in everything if o["last_seen"] and len(o["last_seen"]) == 7}
    assert months
    for month in months:
        since = f"{month}-28"
        found = {o["id"] for o in c.get("/api/observations", params={"since": since, **ALL}).json()["observations"]}
        assert {o["id"] for o in everything if o["last_seen"] == month} <= found, since
        assert found == {o["id"] for o in everything if within_since(o["last_seen"], since)}, since
