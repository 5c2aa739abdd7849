"""Key judgments, competing explanations and force succession: what an analyst reads first.

A brief that states a disputed route as fact is worse than no brief, so the judgments here are
built from the evidence groups merge found (`Observation.primary_evidence`), never from the
number of outlets, and every origin, route leg and recipient that sources hedge or dispute is a
hypothesis of its own: its likelihood is the weakest of what supports it, capped at "roughly
even chance" while another explanation competes or a source says there is no evidence for it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from orbat.brief.certainty import estimate
from orbat.brief.content import Section, Table, TableRow
from orbat.brief.scope import RANK, Notes, Scope
from orbat.catalog import load_catalogs
from orbat.merge import Successor, load_successions, parse_day, roll_up
from orbat.model import ActorEntry, ClaimActorFact, ClaimFact, Disagreement, Observation

DISPUTE_CUES = ("no evidence", "unverified", "not been published", "has been published", "no image",
                "aucune preuve", "non vérifi", "disputed", "denied", "démenti")
DEPARTURE_CUES = ("leave", "leaving", "left ", "withdr", "depart", "quitt", "départ", "retrait")
HEDGED = ("probable", "possible", "speculative")
CAP = "possible"  # "roughly even chance": the most a disputed explanation is stated at
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def long_date(value: str | None) -> str:
    """"17 January 2025", "June 2025", "2025" from an ISO date at any precision."""
    day = parse_day(value)
    if not value or day is None:
        return "an unknown date"
    if len(value) >= 10:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{MONTHS[day.month - 1]} {day.year}" if len(value) >= 7 else str(day.year)


def fold_classes(observations: list[Observation]) -> list[Observation]:
    """A class-level sighting ("five tanks") folds into the one named system of its class there.

    Folding keeps the class's figures as readings of the named system (never added), its claims
    and publishers; with two named systems of the class at the place, the class stays apart.
    """
    named = [o for o in observations if o.equipment_catalog_id and o.event_group == "presence"]
    out = []
    for obs in observations:
        fits = [n for n in named if _class_fits(obs, n)] if not obs.equipment_catalog_id else []
        if len(fits) == 1:
            _absorb(fits[0], obs)
        else:
            out.append(obs)
    return out


def _class_fits(cls: Observation, system: Observation) -> bool:
    same_class = cls.equipment_class and cls.equipment_name == cls.equipment_class == system.equipment_class
    return bool(same_class and cls.event_group == system.event_group and cls.place_name == system.place_name
                and (cls.first_seen or "")[:7] == (system.first_seen or "")[:7])


def _agrees(cls: Observation, system: Observation) -> bool:
    """The class's figure lies within the named system's range: no disagreement to show."""
    if cls.quantity_min is None or system.quantity_min is None:
        return False
    high = system.quantity_max if system.quantity_max is not None else system.quantity_min
    return system.quantity_min <= cls.quantity_min <= high and (cls.quantity_max or cls.quantity_min) <= high


def _absorb(system: Observation, cls: Observation) -> None:
    before = system.quantity_text or (str(system.quantity_min) if system.quantity_min is not None else None)
    if before and cls.quantity_text and before != cls.quantity_text and not _agrees(cls, system):
        # shown side by side, never summed; "at least 5 tanks" beside "at least 5 to 7 T-72B3" agrees
        system.disagreements.append(Disagreement("count", [f"{before} {system.equipment_name}",
                                                           f"{cls.quantity_text} {cls.equipment_name}"],
                                                 list(cls.claim_ids)))
    lows = [v for v in (system.quantity_min, cls.quantity_min) if v is not None]
    highs = [v for v in (system.quantity_max, cls.quantity_max) if v is not None]
    low, high = (min(lows) if lows else None), (max(highs) if highs else None)
    open_floor = (cls.quantity_text or "").startswith("at least") and cls.quantity_min == low
    if low is not None and high is not None and low != high:
        system.quantity_text = f"at least {low} to {high}" if open_floor else f"{low}–{high}"
    system.quantity_min, system.quantity_max = low, high
    system.claim_ids += [c for c in cls.claim_ids if c not in system.claim_ids]
    system.publishers += [p for p in cls.publishers if p not in system.publishers]
    system.reported_by += [p for p in cls.reported_by if p not in system.reported_by]
    system.primary_evidence += [e for e in cls.primary_evidence if e not in system.primary_evidence]
    system.independent_sources = max(system.independent_sources, len(set(system.primary_evidence)))


# --- key judgments ---------------------------------------------------------------------------


def _sighting_judgment(scope: Scope, observations: list[Observation], notes: Notes) -> tuple[str, list[int]] | None:
    """What, where, when and how many for the best-attested sighting and the systems beside it."""
    seen = [o for o in observations if o.event_group == "presence" and o.equipment_catalog_id]
    if not seen:
        return None
    best = min(seen, key=lambda o: (RANK.get(o.certainty, 9), -len(o.claim_ids), o.first_seen or ""))
    evidence = best.primary_evidence[0] if best.primary_evidence else None
    beside = [o for o in seen if o.place_name == best.place_name and (o is best or (
        _unnamed(evidence) in {_unnamed(e) for e in o.primary_evidence}
        or (o.first_seen == best.first_seen and _imagery(o) and _imagery(best))))]
    beside.sort(key=lambda o: (o is not best, -(o.quantity_max or 0), o.equipment_name or ""))
    counted = [o for o in beside if o.quantity_text or o.quantity_min is not None]
    systems = ", ".join(f"{o.equipment_name} (counted {o.quantity_text or o.quantity_min})" for o in counted)
    others = [o.equipment_name for o in beside if o not in counted and o.equipment_name]
    what = systems + (f", with {', '.join(others)}" if others else "")
    when = ("reported on " if best.dated_by_publication else "") + long_date(best.first_seen)
    word = estimate(best.certainty, best.independent_sources).word
    reporters = [p for p in best.reported_by if p]
    basis = (f"{_count(best.independent_sources, 'independent primary source')} ({evidence or 'a report'})"
             + (f", reported by {', '.join(reporters)}" if reporters else ""))
    counts = next((d for o in beside for d in o.disagreements if d.kind == "count"), None)
    against = f"; counts differ: {'; '.join(counts.values)}" if counts else ""
    text = (f"{what} were {word} present in {best.place_name} on {when}, seen in "
            f"{evidence.split(' (')[0] if evidence else 'reports'} (basis: {basis}{against}).")
    facts = scope.facts([o.id for o in beside])
    return text, notes.cite(facts, limit=4)


def _imagery(obs: Observation) -> bool:
    return any(e.startswith("imagery") for e in obs.primary_evidence)


def _unnamed(label: str | None) -> str:
    """"imagery by Cap Mali+ (2025-01-17)" and "imagery (2025-01-17)" are the same footage."""
    if not label:
        return ""
    kind, _, rest = label.partition(" by ")
    return f"{kind} ({rest.partition(' (')[2]}" if rest and " (" in rest else label


def _count(n: int, word: str) -> str:
    names = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
    return f"{names.get(n, n)} {word}{'' if n == 1 else 's'}"


def key_judgments(scope: Scope, notes: Notes) -> Section:
    """Three to five one-sentence judgments, each with its ICD 203 word and its basis."""
    observations = scope.observations()
    rows: list[TableRow] = []
    sighting = _sighting_judgment(scope, observations, notes)
    if sighting:
        rows.append(TableRow([sighting[0]], sighting[1]))
    for question in competing(scope):
        rows.append(TableRow([question.judgment()], notes.cite(question.facts(), limit=3)))
    for event in succession_events(scope)[:1]:
        rows.append(TableRow([f"{event.force} announced its departure from {scope.subject} in "
                              f"{long_date(event.date[:7]) if event.date else 'an unknown month'} "
                              f"({event.certainty_word}; basis: {event.basis})."], notes.cite([event.fact])))
    return Section("judgments", "Key judgments", None, [Table(["Judgment"], rows[:5])])


# --- competing explanations ------------------------------------------------------------------


@dataclass(slots=True)
class Hypothesis:
    answer: str
    support: list[ClaimFact] = field(default_factory=list)
    against: list[ClaimFact] = field(default_factory=list)

    def level(self, disputed: bool) -> str:
        """The strongest claim for it, capped at roughly even chance while disputed."""
        best = min((f.certainty for f in self.support), key=lambda c: RANK.get(c, 9), default="speculative")
        if disputed and RANK.get(best, 9) < RANK[CAP]:
            return CAP
        return best


@dataclass(slots=True)
class Question:
    about: str  # origin | route | recipient
    hypotheses: list[Hypothesis]

    def disputed(self, h: Hypothesis) -> bool:
        return len(self.hypotheses) > 1 or bool(h.against)

    def judgment(self) -> str:
        parts = [f"{h.answer} ({estimate(self.level_of(h)).word})" for h in self.hypotheses]
        listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
        return (f"Sources dispute the {self.about}: {listed}; "
                f"no explanation is stated above roughly even chance.")

    def level_of(self, h: Hypothesis) -> str:
        return h.level(self.disputed(h))

    def facts(self) -> list[ClaimFact]:
        return [f for h in self.hypotheses for f in h.support]


def _scope_facts(scope: Scope) -> list[ClaimFact]:
    return list({(f.claim_id, f.equipment_name): f for f in scope.facts(scope.details)}.values())


# clauses of one sentence: "no image links the convoy to Syria, and the markings point to Russia"
CLAUSE_SPLIT = re.compile(r";|,\s*+(?:and|but|while|whereas|et|mais)\b|(?<!\s)\s++(?:but|mais)\b", re.I)


def _counter(facts: list[ClaimFact], name: str) -> list[ClaimFact]:
    """Sentences that dispute an explanation: a dispute cue in the same clause as its name. The
    clause that names Russia after "and the markings point instead to a shipment from Russia"
    supports Russia; only the clause saying "no image links the convoy to Syria" counts against Syria."""
    key = name.lower()
    return [f for f in facts
            if any(key in clause and any(c in clause for c in DISPUTE_CUES)
                   for clause in CLAUSE_SPLIT.split(f.sentence.lower()))]


def competing(scope: Scope) -> list[Question]:
    """Origins, route legs and recipients that more than one answer, or a hedge, leaves open."""
    facts = _scope_facts(scope)
    # one fact per claim and system: a claim about T-72B3 and BMP-3 speaks of the BMP-3 too
    context = list({(f.claim_id, f.equipment_name): f for f in [*facts, *scope.document_facts]}.values())
    questions = []
    origins: dict[str, Hypothesis] = {}
    legs: dict[str, Hypothesis] = {}
    for fact in facts:
        if fact.origin_name and fact.origin_name.lower() not in scope.subject.lower():
            origins.setdefault(fact.origin_name, Hypothesis(fact.origin_name)).support.append(fact)
        for stop in fact.transit:
            legs.setdefault(stop, Hypothesis(f"via {stop}")).support.append(fact)
    systems = {f.equipment_name for f in facts if f.equipment_name}
    recipients = _recipients(scope, [f for f in context if f.equipment_name in systems])
    for about, found in (("origin", origins), ("route", legs), ("recipient", recipients)):
        hypotheses = [h for h in found.values() if h.support]
        for name, h in found.items():
            h.against = [f for f in _counter(context, name) if f.sentence not in {s.sentence for s in h.support}]
        if len(hypotheses) > 1 or any(f.certainty in HEDGED for h in hypotheses for f in h.support):
            questions.append(Question(about, sorted(hypotheses, key=lambda h: h.answer)))
    return questions


@cache  # once per country: it scans the whole actor catalog
def _state_forces_label(country: str) -> str:
    """One label for every force of a state in scope, so the dispute reads "foreign force vs the
    state's own": the short name of the state's top armed force (FAMa for Mali) and its demonym."""
    catalogs = load_catalogs()
    entry = catalogs.countries.get(country)
    adjective = entry.demonyms[0] if entry and entry.demonyms else (entry.name if entry else country)
    top = next((a for a in catalogs.actors.values() if a.actor_type == "armed_force" and a.country == country
                and a.parent == f"state-{country.lower()}"), None)
    if top is None:
        return f"{adjective} state forces"
    acronyms = [a for a in top.aliases if a.isascii() and " " not in a and sum(ch.isupper() for ch in a) >= 2]
    short = min(acronyms, key=len) if acronyms else top.name
    return f"{short} (the {adjective} state's forces)"


def _force_at_the_time(actor: ClaimActorFact, entry: ActorEntry | None, fact: ClaimFact,
                       successions: dict[str, Successor]) -> str:
    """A force is named under its successor only for events after the takeover: Wagner receiving
    armour in 2020 is a claim about Wagner, not about the Africa Corps created in 2023."""
    when = fact.date or fact.published or ""
    taken_over = entry.succession_date if entry else None
    if taken_over and when and when[:len(taken_over)] < taken_over:
        return entry.name
    return roll_up(actor.name, actor.catalog_id, successions).name


def _recipients(scope: Scope, facts: list[ClaimFact]) -> dict[str, Hypothesis]:
    """Forces sources name as receiving or operating the equipment: foreign forces vs the state's own."""
    actors = load_catalogs().actors
    successions = load_successions()
    found: dict[str, Hypothesis] = {}
    for fact in facts:
        if not fact.equipment_name:
            continue
        for actor in fact.actors:
            if actor.role not in ("recipient", "operator"):
                continue
            entry = actors.get(actor.catalog_id or "")
            if entry and entry.country in scope.codes:
                key = _state_forces_label(entry.country or "")
            elif entry and entry.actor_type in ("state", "government", "company"):
                continue  # a supplier state or a maker named as operator is not a recipient
            else:
                key = _force_at_the_time(actor, entry, fact, successions)
            found.setdefault(key, Hypothesis(key)).support.append(fact)
    # the question is about systems whose recipient sources disagree on: a drone only Mali is said
    # to have received is no evidence in the dispute over whom the Russian armour is for
    answers: dict[str, set[str]] = {}
    for key, h in found.items():
        for fact in h.support:
            answers.setdefault(fact.equipment_name or "", set()).add(key)
    disputed = {name for name, keys in answers.items() if len(keys) > 1}
    for h in found.values():
        h.support = [f for f in h.support if f.equipment_name in disputed]
    return {k: h for k, h in found.items() if h.support}


def competing_section(scope: Scope, notes: Notes) -> Section:
    rows = []
    for q in competing(scope):
        for h in q.hypotheses:
            level = q.level_of(h)
            evidence = "; ".join(dict.fromkeys(f"{f.publisher}: {f.certainty}" for f in h.support))
            counter = "; ".join(dict.fromkeys(f"{f.publisher}: “{f.sentence[:140]}”" for f in h.against)) or "—"
            rows.append(TableRow([q.about, h.answer, estimate(level).short, evidence, counter],
                                 notes.cite([*h.support, *h.against], limit=4)))
    return Section("competing", "Competing explanations",
                   "Each explanation sources offer, with what supports it and what speaks against it. "
                   "A route is no more likely than its weakest leg; none is stated above roughly even "
                   "chance while another competes.",
                   [Table(["Question", "Explanation", "Likelihood†", "Evidence", "Counter-evidence"], rows)])


# --- succession ------------------------------------------------------------------------------


@dataclass(slots=True)
class ForceEvent:
    force: str
    date: str | None
    fact: ClaimFact
    certainty_word: str
    basis: str


def succession_events(scope: Scope) -> list[ForceEvent]:
    """Departures of forces the actor catalog knows, dated by the claims that report them."""
    actors = load_catalogs().actors
    known = {a.name.lower(): a.name for a in actors.values() if a.succeeded_by}
    out: dict[str, ForceEvent] = {}
    for fact in [*_scope_facts(scope), *(f for f in scope.document_facts if f.place_country is None)]:
        text = fact.sentence.lower()
        for actor in fact.actors:
            name = known.get(actor.name.lower())
            if name and any(c in text for c in DEPARTURE_CUES) and name not in out:
                word = estimate(fact.certainty).word
                out[name] = ForceEvent(name, fact.date or fact.published, fact, word,
                                       f"statement reported by {fact.publisher}")
    return sorted(out.values(), key=lambda e: e.date or "")


#: Words saying one force replaced another: "took over from", "successor to", "a succédé à".
TAKEOVER_CUES = ("took over from", "taken over from", "successor to", "succeeded", "replaced", "a succédé",
                 "succède", "remplacé", "remplace")


def takeover_events(scope: Scope) -> list[ForceEvent]:
    """Forces the sources say took over from their catalog predecessor ("the Africa Corps, … that
    took over from the Wagner Group"). The sentence dates no takeover, so the row is dated by the
    report that says it, marked "reported on"; the catalog's own date is never shown instead."""
    actors = load_catalogs().actors
    by_name = {a.name.lower(): a for a in actors.values()}
    predecessors: dict[str, list] = defaultdict(list)  # successor id -> the forces it took over from
    for actor in actors.values():
        if actor.succeeded_by:
            predecessors[actor.succeeded_by].append(actor)
    out: dict[str, ForceEvent] = {}
    for fact in [*_scope_facts(scope), *scope.document_facts]:
        text = fact.sentence.lower()
        if not any(c in text for c in TAKEOVER_CUES):
            continue
        for actor in fact.actors:
            entry = by_name.get(actor.name.lower())
            if entry is None or entry.name in out:
                continue
            for before in predecessors[entry.id]:
                if any(n.lower() in text for n in (before.name, *before.aliases) if len(n) > 3):
                    out[entry.name] = ForceEvent(entry.name, fact.published, fact, estimate(fact.certainty).word,
                                                 f"took over from {before.name}")
                    break
    return sorted(out.values(), key=lambda e: e.date or "")


def succession_section(scope: Scope, notes: Notes) -> Section:
    rows = [TableRow([long_date(e.date), e.force, "departure announced", e.fact.sentence[:160]], notes.cite([e.fact]))
            for e in succession_events(scope)]
    rows += [TableRow([f"reported on {long_date(e.date)}", e.force, e.basis, e.fact.sentence[:160]],
                      notes.cite([e.fact])) for e in takeover_events(scope)]
    by_force: dict[str, list[str]] = defaultdict(list)
    for e in succession_events(scope):
        by_force[e.force].append(e.date or "")
    return Section("succession", "Forces: arrivals, renamings and departures",
                   "Dated from the sources; a catalog's date never overrides a source's.",
                   [Table(["Date", "Force", "Event", "What the source says"], rows)])
