"""Merge: claims from many sources become observations, one per system, place, event and window.

A dozen outlets reporting the same convoy must read as one sighting with a dozen sources, not a
dozen sightings; otherwise every count in posture, timeline and briefs is inflated by coverage.
The rules, in the order `merge` applies them:

1. Each fact gets an *event group*: deployment, delivery, transfer, transport, display, exercise
   and combat all say "this system is (or arrives) there", so they merge as `presence`; order,
   production, loss, withdrawal and construction keep their own group, because a contract or a
   loss is not a sighting.
2. Facts are partitioned by (event group, country, equipment family — or the system itself when
   it has no family). Nothing merges across partitions.
3. Precise facts (a variant, a located place) chain into clusters: same system, same place
   (same name, or both geocoded within `PLACE_RADIUS_KM`), date within `window_days` of the
   cluster's last date (single linkage, so a presence reported every month stays one sighting).
4. Vague facts — a family ("T-72") where a variant is known, only a country, or no date at
   all — join a cluster when exactly one fits (same family/place, date within the window); with
   two or more candidates the fact is ambiguous and stays apart rather than being guessed in.
5. Each cluster becomes an `Observation`: the most precise place, first/last seen, quantity
   range with the lowest figure as headline (ACLED's rule), distinct publishers, the strongest
   certainty with the rule that gave it, and the disagreements (counts, recipients, origins,
   denials). Denials never raise certainty. Actors roll up to their successors (Wagner Group →
   Africa Corps) so one force is not split by a rename.
"""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from orbat.catalog import load_catalogs
from orbat.independence import EvidenceGroup, group_evidence
from orbat.model import (
    CERTAINTY_ORDER,
    ClaimFact,
    Disagreement,
    Observation,
    ObservationActor,
)
from orbat.validate import DATE_MIN, date_max

EVENT_GROUPS: dict[str, str] = {
    "deployment": "presence", "delivery": "presence", "transfer": "presence", "transport": "presence",
    "display": "presence", "exercise": "presence", "combat": "presence",
}
PLACE_RADIUS_KM = 30.0  # Bamako and its Air Base 101 are ~13 km apart: one place for merging
VAGUE_FEATURES = {None, "country", "region", "admin"}
PLACE_RANK = {"installation": 0, "locality": 1, "city": 2, "admin": 3, "region": 4, "country": 5}
ACTOR_ROLES = ("operator", "recipient", "owner", "supplier")
RANK = {c: n for n, c in enumerate(CERTAINTY_ORDER)}  # 0 is the strongest


@dataclass(slots=True, frozen=True)
class Successor:
    """The actor a predecessor's claims are reported under."""

    catalog_id: str
    name: str


# --- succession ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_successions() -> dict[str, Successor]:
    """Map actor ids and lower-cased names/aliases to the actor their claims are reported under.

    Chains (A → B → C) are followed to their end so every predecessor lands on today's actor.
    """
    actors = load_catalogs().actors
    out: dict[str, Successor] = {}
    for actor in actors.values():
        target, seen = actor, {actor.id}
        while target.succeeded_by in actors and target.succeeded_by not in seen:
            target = actors[target.succeeded_by]
            seen.add(target.id)
        if target is not actor:
            successor = Successor(target.id, target.name)
            out.update({n.strip().lower(): successor for n in (actor.id, actor.name, *actor.aliases)})
    return out


def roll_up(name: str, catalog_id: str | None, successions: Mapping[str, Successor]) -> Successor:
    """Return the actor a claim about (`name`, `catalog_id`) is reported under."""
    hit = successions.get((catalog_id or "").lower()) or successions.get(name.strip().lower())
    return hit or Successor(catalog_id or "", name)


class _RollUps(dict[tuple[str, str | None], Successor]):
    """`roll_up` of each (name, catalog id) of one merge, worked out once: a merge meets the
    same few actors on thousands of claims, and asks twice for each (actors, recipients)."""

    def __init__(self, successions: Mapping[str, Successor]):
        super().__init__()
        self.successions = successions

    def __missing__(self, key: tuple[str, str | None]) -> Successor:
        value = self[key] = roll_up(*key, self.successions)
        return value


# --- normalising facts -----------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    fact: ClaimFact
    group: str
    day: date | None
    date_text: str | None
    equip_key: str
    family_key: str
    vague_equipment: bool
    vague_place: bool
    source: str


@dataclass(slots=True, eq=False)  # identity: two clusters are never "equal"
class _Cluster:
    items: list[_Item]
    equip_key: str
    vague_place: bool
    first: date | None
    last: date | None
    anchor: date | None = None  # `first` when created: clusters are created in date order
    places: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)

    def add(self, item: _Item) -> None:
        self.items.append(item)
        if item.day is not None:
            self.first = item.day if self.first is None else min(self.first, item.day)
            self.last = item.day if self.last is None else max(self.last, item.day)
            self.anchor = self.anchor or item.day
        if not item.vague_place:
            name, lat, lon = _place_of(item.fact)
            if name not in self.places or self.places[name][0] is None:
                self.places[name] = (lat, lon)


@lru_cache(maxsize=16384)  # names and places recur across a corpus's claims: normalised once each
def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().replace("-", " ").split())


def parse_day(value: str | None) -> date | None:
    """ISO date at any precision ("2025", "2024-10", "2025-01-17T09:03") → its first day."""
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        nums = [int(p) for p in parts[:3]]
        return date(nums[0], nums[1] if len(nums) > 1 else 1, nums[2] if len(nums) > 2 else 1)
    except (ValueError, IndexError):
        return None


#: `parse_day` for merge's per-fact calls (claim dates and publication dates), which repeat a
#: few thousand distinct values across a load: a date is immutable, so one result serves all.
_day = lru_cache(maxsize=16384)(parse_day)


def _equipment_keys(fact: ClaimFact) -> tuple[str, str, bool]:
    """(system key, family key, is the fact only about the family?)."""
    if fact.equipment_name or fact.equipment_catalog_id:
        key = fact.equipment_catalog_id or f"name:{_norm(fact.equipment_name)}"
        family = _norm(fact.equipment_family)
        vague = bool(family) and family == _norm(fact.equipment_name)
        return key, (f"family:{family}" if family else key), vague
    if fact.equipment_class:
        key = f"class:{fact.equipment_class}"
        return key, key, False
    return "", "", False


def _item(fact: ClaimFact, latest: date) -> _Item:
    """`latest`: `validate.date_max()`, the latest date in bounds, worked out once per merge."""
    key, family, vague_equipment = _equipment_keys(fact)
    date_text = fact.date or (fact.published[:10] if fact.published else None)
    day = _day(date_text)
    if day is not None and not DATE_MIN <= day <= latest:  # `in_bounds`: 9999-12-31 would overflow the window
        day = date_text = None
    return _Item(
        fact=fact, group=EVENT_GROUPS.get(fact.event, fact.event), day=day,
        date_text=date_text, equip_key=key, family_key=family, vague_equipment=vague_equipment,
        vague_place=fact.place_feature in VAGUE_FEATURES or not fact.place_name,
        source=(fact.publisher or "").strip().lower() or fact.document_id,
    )


def _place_of(fact: ClaimFact) -> tuple[str, float | None, float | None]:
    return _norm(fact.place_name), fact.place_lat, fact.place_lon


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


# --- clustering ------------------------------------------------------------------------------


def _same_place(cluster: _Cluster, item: _Item) -> bool:
    """Vague only meets vague; located places meet by name or by distance."""
    if item.vague_place or cluster.vague_place:
        return item.vague_place == cluster.vague_place
    name, lat, lon = _place_of(item.fact)
    if name in cluster.places:
        return True
    if lat is None or lon is None:
        return False
    return any(olat is not None and olon is not None and _km((lat, lon), (olat, olon)) <= PLACE_RADIUS_KM
               for olat, olon in cluster.places.values())


def _within(cluster: _Cluster, day: date | None, window: int) -> bool:
    """Undated facts only go with undated clusters: a window cannot be checked without a date."""
    if day is None or cluster.first is None:
        return day is None and cluster.first is None
    return (cluster.first - day).days <= window and (day - cluster.last).days <= window


def _chain(items: Iterable[_Item], window: int) -> list[_Cluster]:
    """Single-linkage clustering of items sorted by date: same system, same place, in window.

    Clusters whose last date is more than a window behind the current item can take nothing
    more and are dropped from the open list, so the work stays linear in the number of facts.
    """
    clusters: list[_Cluster] = []
    open_by_key: dict[str, list[_Cluster]] = defaultdict(list)
    for item in items:
        opened = open_by_key[item.equip_key]
        if item.day is not None and opened:
            opened[:] = [c for c in opened if c.last is None or (item.day - c.last).days <= window]
        home = next((c for c in opened if _within(c, item.day, window) and _same_place(c, item)), None)
        if home is None:
            home = _Cluster([], item.equip_key, item.vague_place, None, None)
            clusters.append(home)
            opened.append(home)
        home.add(item)
    return clusters


def _vague(item: _Item) -> bool:
    return item.vague_equipment or item.vague_place or item.day is None


class _Candidates:
    """Finds the clusters a vague fact could join without scanning them all.

    Per system: clusters in creation (date) order with their anchors for bisection, how far any
    grew past its anchor (`span`) and before it (`drift`), and clusters by place name for
    undated facts, which cannot be placed in time.
    """

    def __init__(self, clusters: list[_Cluster]):
        self.by_key: dict[str, list[_Cluster]] = defaultdict(list)
        self.by_place: dict[tuple[str, str], list[_Cluster]] = defaultdict(list)
        for cluster in clusters:
            self.by_key[cluster.equip_key].append(cluster)
            for name in cluster.places:
                self.by_place[(cluster.equip_key, name)].append(cluster)
        self.anchors = {k: [c.anchor for c in v] for k, v in self.by_key.items()}
        self.span = {k: max((c.last - c.anchor).days for c in v) for k, v in self.by_key.items()}
        self.drift = dict.fromkeys(self.by_key, 0)

    def fits(self, item: _Item, window: int) -> list[_Cluster]:
        """The clusters `item` fits, stopping at two: only a single fit is used."""
        found: list[_Cluster] = []
        keys = list(self.by_key) if item.vague_equipment else [item.equip_key]
        for key in keys:
            for cluster in self._near(key, item, window):
                if (item.day is None or _within(cluster, item.day, window)) and \
                        (item.vague_place or _same_place(cluster, item)) and cluster not in found:
                    found.append(cluster)
                    if len(found) == 2:
                        return found
        return found

    def _near(self, key: str, item: _Item, window: int) -> list[_Cluster]:
        clusters = self.by_key.get(key, [])
        if not clusters:
            return []
        if item.day is None:
            return clusters if item.vague_place else self.by_place.get((key, _place_of(item.fact)[0]), [])
        low = bisect_left(self.anchors[key], item.day - timedelta(days=window + self.span[key]))
        high = bisect_right(self.anchors[key], item.day + timedelta(days=window + self.drift[key]))
        return clusters[low:high]

    def grew(self, cluster: _Cluster) -> None:
        key = cluster.equip_key
        self.span[key] = max(self.span[key], (cluster.last - cluster.anchor).days)
        self.drift[key] = max(self.drift[key], (cluster.anchor - cluster.first).days)


def _cluster_partition(items: list[_Item], window: int) -> list[_Cluster]:
    """Cluster precise facts, then attach each vague fact to its single fitting cluster.

    Vague means a family instead of a variant, a country instead of a place, or no date at
    all (an undated claim joins the only sighting of its system at a place of that name).
    """
    if len({i.equip_key for i in items}) == 1:  # no variant known here: the family is the system
        for item in items:
            item.vague_equipment = False
    clusters = _chain((i for i in items if not _vague(i)), window)
    candidates = _Candidates(clusters)
    leftovers: list[_Item] = []
    for item in (i for i in items if _vague(i)):
        fits = candidates.fits(item, window)
        if len(fits) == 1:
            fits[0].add(item)
            candidates.grew(fits[0])
        else:
            leftovers.append(item)
    return clusters + _chain(leftovers, window)


def merge(facts: list[ClaimFact], window_days: int = 45,
          successions: Mapping[str, Successor] | None = None) -> list[Observation]:
    """Group claim facts into observations, oldest first; same input, same ids, same order."""
    rolled = _RollUps(load_successions() if successions is None else successions)
    latest = date_max()
    items = sorted((_item(f, latest) for f in facts),
                   key=lambda i: (i.day or date.max, i.fact.claim_id, i.fact.equipment_name or ""))
    partitions: dict[tuple[str, str, str], list[_Item]] = defaultdict(list)
    for item in items:
        partitions[(item.group, item.fact.place_country or "", item.family_key)].append(item)
    observations: list[Observation] = []
    seen_ids: set[str] = set()
    for key in sorted(partitions):
        for cluster in _cluster_partition(partitions[key], window_days):
            obs = _observation(cluster, rolled)
            while obs.id in seen_ids:  # two clusters with one key (rare): keep ids unique
                obs.id = "obs-" + hashlib.sha1(obs.id.encode()).hexdigest()[:12]
            seen_ids.add(obs.id)
            observations.append(obs)
    observations.sort(key=lambda o: (o.first_seen or "9999", o.id))
    return observations


# --- building an observation -----------------------------------------------------------------


def _unique(values: Iterable[str | None]) -> list[str]:
    """The values in first-seen order, once each, without blanks (one comprehension: the lists of
    an observation of thousands of claims made this a sixth of merge's time)."""
    return list({v: None for v in values if v})


def _observation(cluster: _Cluster, rolled: _RollUps) -> Observation:
    items = cluster.items
    support = [i for i in items if i.fact.certainty != "denied"] or items
    rep = next((i for i in items if not i.vague_equipment), items[0]).fact
    place = min(items, key=lambda i: (PLACE_RANK.get(i.fact.place_feature or "", 6) if i.fact.place_name
                                      else 7, i.fact.place_lat is None)).fact
    dated = sorted((i for i in support if i.day is not None), key=lambda i: i.day)
    by_event = [i for i in dated if i.fact.date]  # a claim's own date beats its publication date
    precise = [i for i in by_event if len(i.date_text or "") >= 10]  # "17 January" beats "January"
    dated = precise or by_event or dated
    qmin, qmax = _quantity_range(support)
    groups = _groups(support)
    certainty, rule = certainty_of(items, groups)
    # a source that only hedges ("it is possible that some of the armour was flown") corroborates
    # nothing: it is one more reader of the evidence, not one more piece of it
    counted = [g for g in groups if any(f.certainty in ("confirmed", "reported") for f in g.facts)] or groups
    first = dated[0].date_text if dated else None
    obs = Observation(
        id="", event_group=items[0].group, events=sorted({i.fact.event for i in items}),
        equipment_name=rep.equipment_name, equipment_catalog_id=rep.equipment_catalog_id,
        equipment_class=rep.equipment_class, equipment_family=rep.equipment_family,
        country=items[0].fact.place_country, place_name=place.place_name, place_lat=place.place_lat,
        place_lon=place.place_lon, place_feature=place.place_feature, first_seen=first,
        last_seen=dated[-1].date_text if dated else None, quantity_min=qmin, quantity_max=qmax,
        quantity_headline=qmin, certainty=certainty, certainty_rule=rule,
        claim_ids=_unique(i.fact.claim_id for i in items),
        document_ids=_unique(i.fact.document_id for i in items),
        publishers=_unique(i.fact.publisher for i in support),
        publisher_count=len({i.source for i in support}),
        origins=_unique(_origin(i.fact) for i in support),
        transit=_unique(t for i in support for t in i.fact.transit),
        actors=_actors(support, rolled), disagreements=disagreements(items, rolled),
        evidence=sorted({e for i in support for e in i.fact.evidence}),
        markings=_unique(m for i in items for m in i.fact.markings),
        independent_sources=len(counted), primary_evidence=[g.label() for g in counted],
        reported_by=_unique(p for g in groups for p in g.publishers() if p != g.name),
        quantity_text=quantity_text(support), dated_by_publication=bool(dated) and not by_event,
    )
    key = "|".join([obs.event_group, obs.country or "", cluster.equip_key,
                    "" if cluster.vague_place else _norm(place.place_name), first or ""])
    obs.id = "obs-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    return obs


def _quantity_range(items: list[_Item]) -> tuple[int | None, int | None]:
    """Lowest and highest figures reported; an open figure ("at least 5") counts as its floor."""
    lows = [i.fact.quantity_min for i in items if i.fact.quantity_min is not None]
    highs = [i.fact.quantity_max if i.fact.quantity_max is not None else i.fact.quantity_min
             for i in items if i.fact.quantity_min is not None or i.fact.quantity_max is not None]
    lows = lows or [h for h in highs if h is not None]
    return (min(lows) if lows else None, max((h for h in highs if h is not None), default=None))


def _groups(support: list[_Item]) -> list[EvidenceGroup]:
    days = {id(i.fact): i.day for i in support}
    return group_evidence([i.fact for i in support], lambda f: days.get(id(f)),
                          lambda f: _day(f.published))


def quantity_text(items: list[_Item]) -> str | None:
    """The counts as read, never summed: "7", "5–7", "at least 5 to 7" when the floor is open."""
    figures = [(i.fact.quantity_min, i.fact.quantity_max) for i in items
               if i.fact.quantity_min is not None or i.fact.quantity_max is not None]
    if not figures:
        return None
    low = min(lo if lo is not None else hi for lo, hi in figures)
    high = max(hi if hi is not None else lo for lo, hi in figures)
    open_floor = any(lo == low and hi is None for lo, hi in figures)
    if low == high:
        return f"at least {low}" if open_floor and all(hi is None for _, hi in figures) else str(low)
    return f"at least {low} to {high}" if open_floor else f"{low}–{high}"


def _origin(fact: ClaimFact) -> str | None:
    return fact.origin_name or fact.origin_country


def _who(item: _Item) -> str:
    """A name for a source in rule texts: its publisher, else its title, else its document id."""
    fact = item.fact
    return fact.publisher or (fact.title or "")[:60] or fact.document_id[:19]


def certainty_of(items: list[_Item], groups: list[EvidenceGroup] | None = None) -> tuple[str, str]:
    """The strongest certainty the claims support, and the rule that gave it.

    Two independent pieces of imagery (not two outlets showing the same video) confirm what
    each alone only reports; otherwise the strongest single claim wins. Denials only count
    when nothing else is said.
    """
    support = [i for i in items if i.fact.certainty != "denied"]
    if not support:
        return "denied", f"only denials ({', '.join(_unique(_who(i) for i in items))})"
    groups = _groups(support) if groups is None else groups
    imagery = [g for g in groups if g.kind == "imagery"]
    if len(imagery) >= 2:
        names = "; ".join(g.label() for g in imagery)
        return "confirmed", f"{len(imagery)} independent pieces of imagery ({names})"
    best = min(support, key=lambda i: RANK.get(i.fact.certainty, len(RANK)))
    backers = _unique(_who(i) for i in support if i.fact.certainty == best.fact.certainty)
    return best.fact.certainty, f"strongest claim: {best.fact.certainty} by {', '.join(backers)}"


def _actors(items: list[_Item], rolled: _RollUps) -> list[ObservationActor]:
    out: dict[tuple[str, str], ObservationActor] = {}
    for item in items:
        for actor in item.fact.actors:
            if actor.role not in ACTOR_ROLES:
                continue
            who = rolled[(actor.name, actor.catalog_id)]
            key = (who.catalog_id or who.name.lower(), actor.role)
            entry = out.get(key)
            if entry is None:
                entry = out[key] = ObservationActor(who.name, who.catalog_id or None, actor.role)
            if actor.name not in entry.reported_as:
                entry.reported_as.append(actor.name)
    return list(out.values())


def disagreements(items: list[_Item], rolled: _RollUps) -> list[Disagreement]:
    """Different counts, recipients or origins among supporting claims, and every denial (actors
    rolled up to their successors by `rolled`)."""
    support = [i for i in items if i.fact.certainty != "denied"]
    found: list[Disagreement] = []
    readings = {
        "count": _count_text,
        "recipient": lambda f: " + ".join(sorted(
            rolled[(a.name, a.catalog_id)].name for a in f.actors
            if a.role in ("recipient", "operator"))) or None,
        "origin": _origin,
    }
    for kind, read in readings.items():
        by_value: dict[str, list[_Item]] = defaultdict(list)
        for item in support:
            value = read(item.fact)
            if value:
                by_value[value].append(item)
        if len(by_value) > 1:
            found.append(Disagreement(kind, [f"{v} ({', '.join(_unique(_who(i) for i in its))})"
                                             for v, its in by_value.items()],
                                      _unique(i.fact.claim_id for its in by_value.values() for i in its)))
    denials = [i for i in items if i.fact.certainty == "denied"]
    if denials and support:
        found.append(Disagreement("denied", [f"{_who(i)}: {i.fact.sentence}" for i in denials],
                                  _unique(i.fact.claim_id for i in denials)))
    return found


def _count_text(fact: ClaimFact) -> str | None:
    low, high = fact.quantity_min, fact.quantity_max
    if low is None and high is None:
        return None
    if high is None:
        return f"{low}+"
    if low is None:
        return f"≤{high}"
    return str(low) if low == high else f"{low}-{high}"
