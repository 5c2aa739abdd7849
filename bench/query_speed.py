"""Query speed on a synthetic knowledge base: p50/p95 of posture, timeline and where.

    PYTHONPATH=src .venv/bin/python bench/query_speed.py --claims 1000000 --db /tmp/orbat-bench.db

Writes N synthetic claims (one system each) straight into the store's tables with executemany
in large transactions — a realistic shape, not a realistic text: ~40 countries and ~300 systems
with skewed (Zipf-like) popularity so a few countries and systems dominate, as in real
coverage; ~10 claims per document; dates over 2015–2025; 500 publishers; hedged certainties,
actors, origins and transits at plausible rates. Then it builds the observation index once
(timed), times each query `--reps` times, times an incremental refresh after one more document,
and, for contrast, merging the filtered facts on the fly without the index. It prints figures;
it asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import operator
import os
import random
import sqlite3
import statistics
import sys
import time
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from orbat import query  # noqa: E402
from orbat.merge import merge  # noqa: E402
from orbat.observation_index import refresh  # noqa: E402
from orbat.store import open_store  # noqa: E402
from orbat.store.rows import equipment_key  # noqa: E402
from orbat.store.schema import (  # noqa: E402
    captures,
    claim_actors,
    claim_equipment,
    claims,
    documents,
    entities,
    extraction_runs,
)

#: 100 countries in rough order of how much defence reporting covers them (Mali 12th): coverage
#: is skewed (Zipf-like), so Ukraine alone gets ~19 % of claims and Mali ~1.6 %.
COUNTRIES = [
    "UA",
    "RU",
    "IL",
    "SY",
    "IR",
    "YE",
    "SD",
    "IQ",
    "LY",
    "AF",
    "TW",
    "ML",
    "CN",
    "KP",
    "BF",
    "NE",
    "SO",
    "ET",
    "TR",
    "PK",
    "IN",
    "AZ",
    "AM",
    "BY",
    "LB",
    "PS",
    "SA",
    "AE",
    "EG",
    "DZ",
    "MA",
    "TN",
    "NG",
    "TD",
    "CF",
    "CD",
    "MZ",
    "CM",
    "SS",
    "ER",
    "KE",
    "UG",
    "RW",
    "BI",
    "VE",
    "CO",
    "MX",
    "BR",
    "CU",
    "MM",
    "TH",
    "PH",
    "VN",
    "ID",
    "MY",
    "KR",
    "JP",
    "AU",
    "GE",
    "KZ",
    "UZ",
    "TJ",
    "KG",
    "TM",
    "RS",
    "PL",
    "RO",
    "HU",
    "MD",
    "LT",
    "LV",
    "EE",
    "FI",
    "SE",
    "NO",
    "DE",
    "FR",
    "GB",
    "IT",
    "ES",
    "GR",
    "BG",
    "SK",
    "CZ",
    "HR",
    "BA",
    "AL",
    "MK",
    "ME",
    "SI",
    "AT",
    "NL",
    "BE",
    "DK",
    "PT",
    "IE",
    "CA",
    "US",
    "AR",
    "CL",
]
REAL_FAMILIES = {
    "T-72": ["T-72B3", "T-72B", "T-72A", "T-72AV", "T-72M1"],
    "BMP-3": ["BMP-3", "BMP-3M"],
    "BTR-80": ["BTR-80", "BTR-80A", "BTR-82A"],
    "T-90": ["T-90A", "T-90M"],
    "KamAZ-4385": ["KamAZ-4385"],
    "Spartak": ["Spartak"],
    "Tigr": ["GAZ Tigr"],
}
CLASSES = [
    "main battle tank",
    "infantry fighting vehicle",
    "armoured personnel carrier",
    "truck",
    "self-propelled artillery",
    "multiple rocket launcher",
    "attack helicopter",
    "combat drone",
]
EVENTS = [
    ("deployment", 35),
    ("delivery", 15),
    ("transfer", 6),
    ("transport", 6),
    ("display", 4),
    ("combat", 12),
    ("loss", 12),
    ("order", 5),
    ("withdrawal", 2),
    ("exercise", 3),
]
CERTAINTIES = [
    ("reported", 60),
    ("confirmed", 12),
    ("probable", 8),
    ("possible", 10),
    ("speculative", 7),
    ("denied", 3),
]
EVIDENCE = ["photo", "video", "broadcast", "satellite", "social_media", "official_statement", "report"]
ACTORS = [
    ("wagner-group", "Wagner Group", "pmc"),
    ("africa-corps", "Africa Corps", "armed_force"),
    ("fama", "Malian Armed Forces", "armed_force"),
    ("ru-army", "Russian Ground Forces", "armed_force"),
    ("ua-army", "Ukrainian Ground Forces", "armed_force"),
    ("saf", "Sudanese Armed Forces", "armed_force"),
    ("rsf", "Rapid Support Forces", "armed_group"),
    ("lna", "Libyan National Army", "armed_force"),
]
START, DAYS = date(2015, 1, 1), 11 * 365
REPORT_AGAIN = 0.65  # chance that a claim reports a recent event again rather than a new one
CLAIM_RECORD = json.dumps({"event": "…", "sentence": {"start": 0}})  # the same placeholder for every claim
VIA_PORT_SUDAN = json.dumps(["Port Sudan"])
ENTITY_ROW = dict.fromkeys(c.name for c in entities.columns)


@cache
def json_list(values: tuple[str, ...]) -> str:
    """The JSON text of a short list of names; the same few lists recur a million times."""
    return json.dumps(list(values))


def weighted(items: list, skew: float = 1.1) -> tuple[list, list[float]]:
    """Items with Zipf-like cumulative weights: the first few dominate, as coverage does."""
    total, cum = 0.0, []
    for rank in range(1, len(items) + 1):
        total += 1 / rank**skew
        cum.append(total)
    return items, cum


def systems() -> list[tuple[str, str, str, str]]:
    """(name, catalog id, class, family), most reported first: T-72B3 second, the rest shuffled."""
    out = [
        (v, v.lower().replace(" ", "-"), CLASSES[i % len(CLASSES)], fam)
        for i, (fam, variants) in enumerate(REAL_FAMILIES.items())
        for v in variants
    ]
    for f in range(90):
        fam = f"SYS-{f:02d}"
        out += [(f"{fam}{v}", f"sys-{f:02d}{v.lower()}", CLASSES[f % len(CLASSES)], fam) for v in "ABC"]
    rest = [s for s in out if s[0] != "T-72B3"]
    random.Random(7).shuffle(rest)
    return [rest[0], next(s for s in out if s[0] == "T-72B3"), *rest[1:]]  # T-72B3: 2nd most reported


def places(code: str, index: int) -> list[tuple[str, float, float, str]]:
    """Twelve places per country, ≥ 50 km apart, and the country itself (feature `country`)."""
    lat0, lon0 = -30 + (index * 7) % 60, -20 + (index * 13) % 140
    out = [(f"{code} town {i}", lat0 + (i % 4) * 0.8, lon0 + (i // 4) * 0.8, "city") for i in range(12)]
    return out + [(f"Country {code}", lat0, lon0, "country")]


@dataclass(slots=True)
class Event:
    """Something that happened once and that several outlets report, each in its own words."""

    country: str
    place: tuple[str, float, float, str]
    system: tuple[str, str, str, str]
    day: date
    quantity: int | None
    origin: str | None


class Synthetic:
    """Builds the rows of one synthetic document at a time (document, run, entities, claims).

    Documents come in date order; each claim reports a recent event of its country again
    (p = REPORT_AGAIN) or a new one, so an event is reported by ~3 outlets on average and by a
    dozen now and then — the shape merge has to handle.
    """

    def __init__(self, seed: int, docs: int):
        self.rng = random.Random(seed)
        self.docs = docs
        self.countries = weighted(COUNTRIES, 1.0)
        self.places = {c: places(c, i) for i, c in enumerate(COUNTRIES)}
        self.systems = weighted(systems(), 0.9)
        self.publishers = weighted([f"Publisher {i}" for i in range(500)], 0.8)
        self.events = [e for e, _ in EVENTS], list(_cum(w for _, w in EVENTS))
        self.certainties = [c for c, _ in CERTAINTIES], list(_cum(w for _, w in CERTAINTIES))
        self.recent: dict[str, deque[Event]] = {c: deque(maxlen=60) for c in COUNTRIES}

    def pick(self, table: tuple[list, list[float]]):
        """`rng.choices(items, cum_weights=cum)[0]` written out (the same draw from the same stream,
        without its checks: a third of the generator's time went to them)."""
        items, cum = table
        return items[bisect_right(cum, self.rng.random() * (cum[-1] + 0.0), 0, len(items) - 1)]

    def event(self, country: str, published: date) -> Event:
        rng, recent = self.rng, self.recent[country]
        if recent and rng.random() < REPORT_AGAIN:
            return rng.choice(recent)
        ev = Event(
            country,
            rng.choice(self.places[country]),
            self.pick(self.systems),
            published - timedelta(days=rng.randrange(10)),
            rng.randrange(1, 40) if rng.random() < 0.6 else None,
            rng.choice(["Russia", "China", "Turkey", "Syria"]) if rng.random() < 0.15 else None,
        )
        recent.append(ev)
        return ev

    def document(self, n: int, claims_per_doc: int) -> dict[str, list[dict]]:
        published = START + timedelta(days=n * DAYS // self.docs)
        text = f"Synthetic report {n} published {published}."
        raw = text.encode()
        doc_id = "sha256:" + hashlib.sha256(raw).hexdigest()
        run_id, created = f"run:{n:032x}", f"2026-01-01T00:00:00.{n % 1000000:06d}+00:00"
        rows: dict[str, list[dict]] = {
            "documents": [
                {
                    "id": doc_id,
                    "canonical_url": f"https://news.example/{n}",
                    "url": f"https://news.example/{n}",
                    "title": f"Report {n}",
                    "publisher": self.pick(self.publishers),
                    "published": published.isoformat(),
                    "language": "en",
                    "retrieved": created,
                    "origin": f"https://news.example/{n}",
                    "external_id": None,
                    "text": text,
                    "decoding": "utf-8",
                    "warnings": "[]",
                    "created": created,
                }
            ],
            "captures": [{"document_id": doc_id, "content_type": "text/plain", "size": len(raw), "raw": raw}],
            "extraction_runs": [
                {
                    "id": run_id,
                    "document_id": doc_id,
                    "extractor": "orbat bench",
                    "catalog": "bench",
                    "dates": "[]",
                    "markings": "[]",
                    "created": created,
                }
            ],
            "entities": [],
            "claims": [],
            "claim_equipment": [],
            "claim_actors": [],
        }
        ents: dict[tuple, str] = {}
        country = self.pick(self.countries)
        for position in range(claims_per_doc):
            here = country if self.rng.random() < 0.85 else self.pick(self.countries)
            self.claim(rows, ents, f"claim:{n:024x}{position:08x}", position, self.event(here, published))
        return rows

    def entity(self, rows: dict, ents: dict, key: tuple, **values) -> str:
        if key not in ents:
            ents[key] = f"e{len(ents) + 1}"
            row = dict(ENTITY_ROW)
            row.update(
                run_id=rows["extraction_runs"][0]["id"], id=ents[key], position=len(ents) - 1, record="{}", **values
            )
            rows["entities"].append(row)
        return ents[key]

    def claim(self, rows: dict, ents: dict, cid: str, position: int, ev: Event) -> None:
        rng, (name, lat, lon, feature) = self.rng, ev.place
        doc, run_id = rows["documents"][0], rows["extraction_runs"][0]["id"]
        place_id = self.entity(
            rows, ents, ("place", name), kind="place", name=name, country=ev.country, lat=lat, lon=lon, feature=feature
        )
        day = None if rng.random() < 0.1 else ev.day.isoformat()
        sentence = f"Claim {position} of {doc['title']}: {ev.system[0]} seen in {name}."
        rows["claims"].append(
            {
                "id": cid,
                "run_id": run_id,
                "document_id": doc["id"],
                "position": position,
                "event": self.pick(self.events),
                "certainty": self.pick(self.certainties),
                "certainty_cue": None,
                "sentence_start": 0,
                "sentence_end": len(sentence),
                "sentence": sentence,
                "date": day,
                "date_precision": day and "day",
                "place_entity": place_id,
                "place_name": name,
                "place_country": ev.country,
                "place_lat": lat,
                "place_lon": lon,
                "place_feature": feature,
                "origin_entity": None,
                "origin_name": ev.origin,
                "origin_country": None,
                "transit": VIA_PORT_SUDAN if ev.origin == "Syria" else "[]",
                "attributed_to": None,
                "evidence": json_list(tuple(rng.sample(EVIDENCE, rng.randrange(3)))),
                "markings": "[]",
                "record": CLAIM_RECORD,
                "created": doc["created"],
            }
        )
        self.equipment(rows, ents, cid, ev)
        if rng.random() < 0.4:
            actor = rng.choice(ACTORS)
            eid = self.entity(
                rows, ents, ("actor", actor[0]), kind="actor", name=actor[1], catalog_id=actor[0], actor_type=actor[2]
            )
            rows["claim_actors"].append(
                {
                    "claim_id": cid,
                    "position": 0,
                    "run_id": run_id,
                    "entity_id": eid,
                    "role": rng.choice(["operator", "recipient", "owner"]),
                    "name": actor[1],
                    "catalog_id": actor[0],
                    "actor_type": actor[2],
                    "country": None,
                }
            )

    def equipment(self, rows: dict, ents: dict, cid: str, ev: Event) -> None:
        """The event's system; outlets disagree on the count now and then (± a few)."""
        rng, (name, catalog_id, klass, family) = self.rng, ev.system
        eid = self.entity(
            rows,
            ents,
            ("equipment", catalog_id),
            kind="equipment",
            name=name,
            catalog_id=catalog_id,
            equipment_class=klass,
            family=family,
        )
        low = None if ev.quantity is None or rng.random() < 0.3 else max(1, ev.quantity + rng.choice([0, 0, 0, -2, 3]))
        rows["claim_equipment"].append(
            {
                "claim_id": cid,
                "position": 0,
                "run_id": rows["extraction_runs"][0]["id"],
                "entity_id": eid,
                "kind": "equipment",
                "name": name,
                "name_key": equipment_key(name),
                "catalog_id": catalog_id,
                "equipment_class": klass,
                "family": family,
                "quantity_min": low,
                "quantity_max": low,
                "quantity_approximate": 0,
                "quantity_text": low and str(low),
            }
        )


def _cum(weights):
    total = 0
    for w in weights:
        total += w
        yield total


def generate(path: Path, total_claims: int, claims_per_doc: int = 10, seed: int = 1) -> float:
    """Create the database (schema by `open_store`) and fill it; returns the seconds it took.

    A bulk load, as a database's own import tools do it: the non-unique secondary indexes of the
    tables it fills are dropped first and built once at the end (sorting once beats updating seven B-trees
    row by row), everything goes in one transaction with no rollback journal (the file is
    scratch: a killed run is regenerated), and rows are sent as tuples of the columns they fill
    (columns added to the schema later, all nullable, stay NULL). The rows are the same as before
    for the same seed; only the way they are written changed (10⁶ claims: 28 min and more on a
    loaded machine before).
    """
    started = time.perf_counter()
    open_store(str(path)).close()
    tables = [documents, captures, extraction_runs, entities, claims, claim_equipment, claim_actors]
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -262144", "temp_store = MEMORY",
                   "foreign_keys = OFF"):
        conn.execute(f"PRAGMA {pragma}")
    names = ", ".join(f"'{t.name}'" for t in tables)
    # Unique indexes stay: the append-only triggers look each new row up by them (a document by
    # its canonical URL), and without them every insert scanned the table (quadratic).
    indexes = conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                           f"AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({names})").fetchall()
    conn.execute("BEGIN")
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    synthetic = Synthetic(seed, total_claims // claims_per_doc)
    batch: dict[str, list[dict]] = {t.name: [] for t in tables}
    docs = total_claims // claims_per_doc
    for n in range(docs):
        for name, rows in synthetic.document(n, claims_per_doc).items():
            batch[name].extend(rows)
        if len(batch["claims"]) >= 100_000 or n == docs - 1:
            for t in tables:
                _insert(conn, t.name, batch[t.name])
            batch = {t.name: [] for t in tables}
            print(f"  {(n + 1) * claims_per_doc:,} claims written", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    loaded = time.perf_counter()
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    print(f"  rows {loaded - started:.0f} s, indexes {time.perf_counter() - loaded:.0f} s", file=sys.stderr)
    return time.perf_counter() - started


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    """executemany of tuples in the first row's column order (every row of a table has the same keys)."""
    if not rows:
        return
    keys = list(rows[0])
    get = operator.itemgetter(*keys)
    sql = f"INSERT INTO {table} ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})"
    conn.executemany(sql, [get(row) for row in rows] if len(keys) > 1 else [(get(row),) for row in rows])


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed(fn, reps: int) -> tuple[list[float], object]:
    fn()  # warm the page cache and the catalogs once; then measure
    samples, result = [], None
    for _ in range(reps):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def one_more_document(store) -> None:
    """Save one real extraction record, as `orbat ingest` would, to time an incremental refresh."""
    from orbat.model import (
        Claim,
        ClaimEquipment,
        CleanDocument,
        Entity,
        ExtractionRecord,
        Quantity,
        SourceDocument,
        Span,
    )

    text = f"Seven T-72B3 tanks were seen in Bamako ({time.time()})."
    raw = text.encode()
    source = SourceDocument(raw, "text/plain", "bench", publisher="Bench News", published="2025-06-01")
    doc = CleanDocument("sha256:" + hashlib.sha256(raw).hexdigest(), text, source, published="2025-06-01")
    ents = [
        Entity("e1", "equipment", "T-72B3", catalog_id="t-72b3", equipment_class="main battle tank", family="T-72"),
        Entity("e2", "place", "ML town 1", country="ML", lat=1.0, lon=2.0, feature="city"),
    ]
    claim = Claim(
        "deployment", Span(0, len(text), text), [ClaimEquipment("e1", Quantity(7, 7))], place="e2", date="2025-06-01"
    )
    store.save(ExtractionRecord(doc, ents, [], [claim], [], "orbat bench", "bench"))


QUERIES = [
    ("posture ML --since 2024-01-01", lambda s: query.posture(s, "ML", since="2024-01-01")),
    ("posture UA --since 2024-01-01", lambda s: query.posture(s, "UA", since="2024-01-01")),
    ("posture UA", lambda s: query.posture(s, "UA")),
    ("timeline ML", lambda s: query.timeline(s, "ML")),
    ("timeline UA", lambda s: query.timeline(s, "UA")),
    ("where T-72B3", lambda s: query.where(s, "T-72B3")),
    ("where T-72 (family)", lambda s: query.where(s, "T-72")),
    ("where SYS-42B", lambda s: query.where(s, "SYS-42B")),
]


def report_shares(store, facts: int) -> None:
    """How much of the corpus each benchmark filter covers, so the figures can be read."""
    from sqlalchemy import func, select

    from orbat.store.schema import claim_equipment, claims

    with store.engine.connect() as conn:
        for label, condition in [
            ("ML", claims.c.place_country == "ML"),
            ("UA", claims.c.place_country == "UA"),
            ("T-72B3", claim_equipment.c.catalog_id == "t-72b3"),
        ]:
            n = conn.execute(
                select(func.count()).select_from(claims.join(claim_equipment)).where(condition)
            ).scalar_one()
            print(f"  {label}: {n:,} facts ({100 * n / facts:.1f} %)")


def report_queries(store, reps: int) -> None:
    print(f"{'query':32} {'rows':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for label, run in QUERIES:
        samples, result = timed(lambda run=run: run(store), reps)
        p50, p95 = percentiles(samples)
        print(f"{label:32} {len(result):>6} {p50:>8.1f} {p95:>8.1f}")


def report_on_the_fly(store) -> None:
    """What the same questions cost without the index: read the filtered facts and merge them."""
    for label, filters in [("ML facts", {"place_country": "ML"}), ("T-72B3 facts", {"equipment": "T-72B3"})]:
        started = time.perf_counter()
        facts = store.facts(**filters)
        read = time.perf_counter() - started
        merged = merge(facts)
        total = time.perf_counter() - started
        print(
            f"on the fly, {label}: {len(facts):,} facts read in {read * 1000:.0f} ms, "
            f"{len(merged):,} observations, {total * 1000:.0f} ms in all"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--db", default="/tmp/orbat-bench.db")
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--regenerate", action="store_true", help="Rebuild the database even if it exists.")
    parser.add_argument("--reuse-index", action="store_true",
                        help="Bring the observation index up to date instead of building it from scratch "
                             "(minutes at 10⁶ claims) when only the queries are to be timed.")
    args = parser.parse_args()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average {load} (figures taken above ~2 on this 2-core machine are indicative only)")
    path = Path(args.db)
    if args.regenerate or not path.exists():
        for stale in path.parent.glob(path.name + "*"):
            stale.unlink()
        print(
            f"generated {args.claims:,} claims in {generate(path, args.claims):.0f} s -> {path} "
            f"({path.stat().st_size / 1e6:.0f} MB)"
        )
    store = open_store(str(path))
    build = refresh(store.engine, full=not args.reuse_index)
    print(
        f"observation index: {build.observations:,} observations from {build.partitions:,} partitions "
        f"in {build.seconds:.1f} s ({'brought up to date' if args.reuse_index else 'full build, once'})"
    )
    counts = query.stats(store)
    print(
        f"database: {counts.documents:,} documents, {counts.claims:,} claims, {counts.facts:,} facts, "
        f"{counts.observations:,} observations"
    )
    report_shares(store, counts.facts)
    report_queries(store, args.reps)
    one_more_document(store)
    started = time.perf_counter()
    done = refresh(store.engine)
    print(
        f"incremental refresh after one new document: {done.partitions} partition(s), "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )
    report_on_the_fly(store)
    store.close()


if __name__ == "__main__":
    main()
