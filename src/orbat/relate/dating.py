"""Dating: a claim carries the date of its event as the text gives it, never the day it was published.

Rules:
1. each date in a sentence dates the event word nearest to it ("the Army 2023 forum" dates only
   the display); a day beats a month or a year for the same event; the day of a statement
   ("said on Tuesday") dates the fact only when the sentence gives it no other date;
2. relative words ("today", "this week") were resolved against the publication date by extract;
   the publication date itself dates nothing;
3. a sentence that refers back to the story ("the convoy", "ils") and gives no date of its own
   takes the date of the story's main event (see `frame`);
4. a date well before the story's own ("in 2019", "two years ago") makes the event background:
   it stays a claim, dated, but never takes the frame's place or date.
5. a sentence that names the previous fact ("Cet évènement est survenu … le lundi 25 novembre",
   "the incident happened on 3 May") and states no fact of its own dates that fact;
6. a line that holds nothing but a date or a period ("(23 novembre 2015 - 22 février 2016)",
   "(en septembre 2015)") closes a list of short lines above it, as an infobox or a caption
   does: it dates the undated claims of those lines, back to the previous dated one;
7. an event word after a demonstrative ("Cet exercice a permis …", "this deployment") speaks of
   the last fact of that kind the text dated, and takes its date;
8. a headline or an undated lead takes the date (and the counts) of the same fact dated in the
   next lines of the lead;
9. a date the nearest event word cannot use (it only describes a system: "newly acquired")
   dates the sentence's undated fact;
10. an undated sentence that tells the story's own event at the story's own place takes the
   story's date;
11. a speaker's act told as done now ("I have decided to provide …") is dated the day the speech
   is published;
12. a sentence opening "Après l'exercice," / "During the exercise," takes that event's last date.
"""

from __future__ import annotations

import re

from orbat.model import Claim, ClaimEquipment, DateMention, Span
from orbat.relate import syntax
from orbat.relate.views import Frame, SentenceView, Trigger
from orbat.relate.vocabulary import _c, alt

EVENT_ANAPHORA = _c(rf"^\W*{alt('event_anaphora')}\b")
DEFINITE_DEAL = _c(rf"\b(?:the|this|that)\s+(?:[\w-]+\s+)?{alt('deal_nouns')}\b")
DEMONSTRATIVE = _c(rf"\b{alt('event_demonstratives')}\s+$")

BACKGROUND_GAP_DAYS = 200
PERIOD_FILLER = re.compile(
    r"[\W\d_]+|\b(?:en|depuis|le|les|du|au|de|à|from|since|to|in|until|jusqu['’]|"
    r"entre|et|between|and)\b",
    re.I,
)
LIST_LINE = 90  # characters: a list item or infobox line, not a sentence of prose


# "said on Tuesday", "told reporters on Monday", "a annoncé mardi": the day of the statement
SPEECH_BEFORE = _c(rf"\b{alt('statement_verbs')}\s+(?:(?-i:[A-Z])[\w'’.-]*\s+){{0,3}}?(?:(?:on|le)\s+)?$")


SPEAKER_ACT = _c(rf"\b{alt('speaker_acts')}\b")


def date_the_speech(found: list[Trigger], view: SentenceView, published: str | None) -> None:
    """Rule 11: a speaker's own act, told as done now ("I have decided to provide Ukraine with
    …", "today I am announcing …", "we are here to mark the delivery of …"), happens the day the
    speech or release is published; the sentence's undated events take that day."""
    if not published or not SPEAKER_ACT.search(view.sentence.text):
        return
    for trigger in found:
        if trigger.date is None and not trigger.background:
            sentence = view.sentence
            trigger.date = DateMention(
                published, "day", Span(sentence.start, sentence.end, sentence.text), relative=True
            )


def statement_dates(dates: list[DateMention], text: str) -> list[DateMention]:
    """Dates that follow a speech verb: they date the statement, not the fact it reports."""
    return [d for d in dates if SPEECH_BEFORE.search(text, max(0, d.span.start - 50), d.span.start)]


def assign_dates(
    found: list[Trigger], dates: list[DateMention], parse: syntax.Parse | None = None, text: str = ""
) -> None:
    """Rule 1, after setting aside the day of a statement when the sentence gives the fact a date
    of its own: "sent jets to al-Jufra, AFRICOM said on Tuesday, releasing images that showed
    them there on May 21" dates the jets' arrival May 21."""
    said = {id(d) for d in statement_dates(dates, text)} if text else set()
    if said and len(said) < len(dates):
        dates = [d for d in dates if id(d) not in said]
    for d in dates:
        trigger = min(_same_clause(found, d, parse), key=lambda t: abs(t.cue.span.start - d.span.start))
        if trigger.date is None or d.precision == "day" and trigger.date.precision != "day" \
                or _narrows(d, trigger.date):
            trigger.date = d
    _date_the_carrier(found, text)


def _narrows(date: DateMention, held: DateMention) -> bool:
    """"the second order this year: in June the ministry agreed to buy …": a finer date inside the
    one the event holds ("June" in "this year") says when within it."""
    return bool(date.value and held.value) and len(date.value) > len(held.value) \
        and date.value.startswith(held.value + "-")


def _date_the_carrier(found: list[Trigger], text: str) -> None:
    """"A Russian An-124 transport delivered ten BRDM-2 on Saturday": the word naming the carrier
    ("transport" right after its designation) is dated with the event the carrier performs."""
    dated = {t.date.value: t.date for t in found if t.date is not None}
    if len(dated) != 1:
        return
    for trigger in found:
        if trigger.date is None and any(
                m.span.end <= trigger.cue.span.start and not text[m.span.end:trigger.cue.span.start].strip()
                for m, _ in trigger.equipment):
            trigger.date = next(iter(dated.values()))


def pass_on_dates(found: list[Trigger], built: list, made: list[Claim], dated: dict) -> None:
    """Rule 9: a date taken by an event word that states no fact ("presented newly acquired
    Su-30 fighters at a ceremony on Tuesday": "acquired" only describes them) dates the
    sentence's fact instead, when that fact has no date of its own."""
    kept = {id(claim) for claim in made}
    claim_of = {id(trigger): claim for trigger, claim in built}
    lost = {t.date.value: t.date for t in found if t.date is not None and id(claim_of.get(id(t))) not in kept}
    if len(lost) != 1:
        return
    date = next(iter(lost.values()))
    for trigger, claim in built:
        if id(claim) in kept and claim.date is None and not trigger.background:
            claim.date, claim.date_precision = date.value, date.precision
            dated[id(claim)] = date


def _same_clause(found: list[Trigger], date: DateMention, parse: syntax.Parse | None) -> list[Trigger]:
    """Events outside a relative clause the date is not in: "flown in from Libya, where Moscow
    keeps a hub, to Bamako on 14 March" dates the flight, not the hub."""
    if parse is None or len(found) < 2:
        return found
    at = parse.token_of(date.span.start, date.span.end)
    kept = []
    for trigger in found:
        cue = parse.token_of(trigger.cue.span.start, trigger.cue.span.end)
        if cue is None or at is None or not syntax.in_subordinate_clause(parse, cue, at):
            kept.append(trigger)
    return kept or found


def _ordinal(value: str) -> int:
    """Days since year 0 of an ISO value cut to any precision (its first day)."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    year, month, day = parts[0], parts[1], parts[2]
    return year * 372 + (month - 1) * 31 + (day - 1)


def earlier_than_story(date: DateMention | None, frame: Frame | None, published: str | None) -> bool:
    """The date lies well before the story's own date (or its publication): history, not news."""
    if date is None:
        return False
    anchor = frame.date.value if frame is not None and frame.date is not None else published
    if not anchor:
        return False
    try:
        return _ordinal(anchor) - _ordinal(date.value) > BACKGROUND_GAP_DAYS
    except ValueError:
        return False


# Events that one story tells as one: a strike and what it destroyed; an arrival and its display.
SAME_STORY = ({"combat", "loss"}, {"delivery", "deployment", "transfer", "transport", "display"})


def date_of(trigger: Trigger, frame: Frame | None, refers_back: bool, place: str | None = None) -> DateMention | None:
    """Rules 3 and 10: the sentence's own date; else the frame's, when the sentence leans on the
    story or tells the story's own event at the story's own place ("Several explosions occurred at
    Saky airbase on 9 August 2022" then "The explosions destroyed Su-24 bombers at Saky")."""
    if trigger.date is not None:
        return trigger.date
    if frame is None or trigger.background:
        return None
    if refers_back or (place is not None and place == frame.place and _one_story(trigger.event, frame.event)):
        return frame.date
    return None


def _one_story(event: str, framing: str) -> bool:
    return event == framing or any({event, framing} <= family for family in SAME_STORY)


def date_the_previous(view: SentenceView, made: list[Claim], claims: list[Claim]) -> None:
    """Rule 5: "Cet évènement est survenu le lundi 25 novembre" dates the claims of the sentence before."""
    if made or not claims or not EVENT_ANAPHORA.match(view.sentence.text):
        return
    days = {d.value for d in view.dates if d.precision == "day"}  # "le lundi 25 novembre": one day
    if len(days) != 1:
        return
    day = days.pop()
    previous_end = claims[-1].sentence.end
    for claim in claims:
        if claim.sentence.end == previous_end and claim.date is None:
            claim.date, claim.date_precision = day, "day"


def date_the_told_deal(built: list, claims: list[Claim], dated: dict) -> None:
    """"… tanks that Taiwan ordered from the United States arrived", then "Washington approved the
    sale in 2019": a dated sentence about the deal ("the sale", "the contract") that names no
    system of its own dates the story's undated claim of the same kind."""
    for trigger, told in built:
        if not trigger.generic or told.date is None or told.equipment or told.classes \
                or not DEFINITE_DEAL.search(told.sentence.text):
            continue
        earlier = [c for c in claims if c.event == told.event and c.date is None and c.equipment]
        if len(earlier) == 1:
            earlier[0].date, earlier[0].date_precision = told.date, told.date_precision
            dated[id(earlier[0])] = dated.get(id(told))


def period_line(view: SentenceView) -> DateMention | None:
    """The date a line holding only a date or a period gives, else None.

    For a period, its start; but when the start comes out later than the end, the start's year was
    guessed (the text gave it only once, at the end), so the end is the date to trust.
    """
    if not view.dates:
        return None
    text, start = view.sentence.text, view.sentence.start
    for d in view.dates:
        text = text[: d.span.start - start] + " " * (d.span.end - d.span.start) + text[d.span.end - start :]
    if PERIOD_FILLER.sub("", text).strip():
        return None
    first, last = view.dates[0], view.dates[-1]
    return last if _ordinal(first.value) > _ordinal(last.value) else first


def date_the_list(view: SentenceView, made: list[Claim], claims: list[Claim]) -> None:
    """Rule 6: a period line dates the undated claims of the short lines right above it."""
    if made or not claims:
        return
    date = period_line(view)
    if date is None:
        return
    for claim in reversed(claims):
        if claim.date is not None or len(claim.sentence.text) > LIST_LINE or not (claim.equipment or claim.classes):
            break  # a dated claim, a line of prose, or a line that lists no system (an infobox's place field)
        claim.date, claim.date_precision = date.value, date.precision


def date_demonstratives(built: list, made: list[Claim], text: str, last_dates: dict[str, DateMention]) -> None:
    """Rule 7: "Cet exercice", "this deployment": the same fact as the last dated one of its kind.

    Applied to the claims already kept, so that a borrowed date never turns generic prose into a fact.
    """
    kept = {id(claim) for claim in made}
    for trigger, claim in built:
        start = trigger.cue.span.start
        if (
            id(claim) in kept
            and claim.date is None
            and trigger.event in last_dates
            and DEMONSTRATIVE.search(text, max(0, start - 8), start)
        ):
            date = last_dates[trigger.event]
            claim.date, claim.date_precision = date.value, date.precision


TIME_ANCHOR = _c(
    rf"^\W*{alt('time_anchor_prepositions')}\s+(?:l['’]|le\s+|la\s+|the\s+|this\s+|cet\s+|ce\s+|cette\s+)$"
)


def date_after_anchor(view: SentenceView, made: list[Claim], last_dates: dict[str, DateMention]) -> None:
    """Rule 12: "Après l'exercice, les soldats ont présenté leurs engins", "During the exercise,
    …": a sentence that opens by placing itself in time against an earlier event takes that
    event's last date for its undated claims."""
    text, start = view.sentence.text, view.sentence.start
    for cue in view.cues:
        offset = cue.span.start - start
        if cue.kind == "event" and 0 <= offset < 40 and TIME_ANCHOR.match(text[:offset]):
            date = last_dates.get(cue.value)
            if date is None:
                return
            for claim in made:
                if claim.date is None:
                    claim.date, claim.date_precision = date.value, date.precision
            return


def remember_dates(built: list, dated: dict, last_dates: dict[str, DateMention], text: str) -> None:
    """The last date of each kind of event, for "cet exercice" and "ce raid" later on. A sentence that
    names the fact again by a demonstrative ("Ces frappes répondaient aux attaques du 7 avril") dates
    something else with its own date: the fact keeps the date it already had."""
    for trigger, claim in built:
        if (date := dated.get(id(claim))) is None:
            continue
        start = trigger.cue.span.start
        if trigger.event in last_dates and DEMONSTRATIVE.search(text, max(0, start - 8), start):
            continue
        last_dates[trigger.event] = date


UNSURE = {"possible", "speculative", "denied"}  # levels whose date is no one's statement of when it happened
LEAD_REACH = 3  # sentences after the title: a headline or lead states the event, the next lines date it
# Events a headline may word differently from its lead: "arrive" for "were unloaded", "commissions"
# for "were handed over". An order or a loss is never one of these.
ARRIVING = {"delivery", "deployment", "transfer", "transport", "display"}


def date_the_lead(
    claims: list[Claim], sentence_of: dict[int, int], published: str | None, names: dict[str, str],
    own_dates: set[int] | None = None, dated_sentences: set[int] = frozenset(),
) -> None:
    """Rule 8: a headline or an undated lead states the event; the lead dates and counts it.

    "Morocco commissions its first AH-64E Apache helicopters", then "Six AH-64E … were
    commissioned on Wednesday": the headline's claim is that fact, so it takes the lead's date,
    and the lead's count of each system it names without one. The dated claim must come later in
    the lead, be the same kind of event, speak of the same system ("K2 tanks" and "K2 Black
    Panther tanks" are one; with no system on either side, the same place), not be history, and
    not be a guess ("it is possible that some of the armour was flown on" dates no arrival), and
    date itself when the lead's own sentence gives dates to other claims: "The arrival … last week
    has fuelled speculation that Moscow is recycling equipment withdrawn … in December" keeps
    December for the withdrawal, and a later claim that only borrowed December from the story
    (`own_dates` lists the claims whose date their own sentence gives) does not date the arrival.
    A headline with no date at all still takes the story's date from the lead.
    """
    lead = [c for c in claims if sentence_of.get(id(c), LEAD_REACH + 1) <= LEAD_REACH]
    for position, claim in enumerate(lead):
        if claim.date is not None:
            continue
        mine = sentence_of[id(claim)]
        source = next(
            (
                later
                for later in lead[position + 1 :]
                if later.date is not None
                and sentence_of[id(later)] > mine
                and _same_fact(claim, later, names)
                and not _history(later, published)
                and later.certainty not in UNSURE
                and (own_dates is None or id(later) in own_dates or mine not in dated_sentences)
            ),
            None,
        )
        if source is None:
            continue
        claim.date, claim.date_precision = source.date, source.date_precision
        if _a_share(source, claims, sentence_of, names):
            continue
        claim.equipment = [
            e if e.quantity is not None else ClaimEquipment(e.entity, _count_of(e.entity, source, names))
            for e in claim.equipment
        ]


def _a_share(source: Claim, claims: list[Claim], sentence_of: dict[int, int], names: dict[str, str]) -> bool:
    """Whether `source` tells only one supplier's share of the fact: its sentence splits the same
    event on the same systems among several claims ("Washington and Berlin each pledged one"). A
    share's count is not the whole's, so the headline keeps its own (none) rather than that one."""
    line = sentence_of[id(source)]
    return any(other is not source and sentence_of.get(id(other)) == line and other.event == source.event
               and _same_fact(other, source, names) for other in claims)


def _key(entity_id: str, names: dict[str, str]) -> list[str]:
    return re.sub(r"[^\w\s]", "", names.get(entity_id, entity_id).lower()).split()


def _same_system(first: str, second: str, names: dict[str, str]) -> bool:
    """One name is the other, or its first words: "K2" and "K2 Black Panther"."""
    a, b = _key(first, names), _key(second, names)
    shorter, longer = sorted((a, b), key=len)
    return bool(shorter) and longer[: len(shorter)] == shorter


def _count_of(entity_id: str, source: Claim, names: dict[str, str]):
    return next((e.quantity for e in source.equipment if _same_system(entity_id, e.entity, names)), None)


def _same_fact(claim: Claim, other: Claim, names: dict[str, str]) -> bool:
    if claim.event != other.event and not {claim.event, other.event} <= ARRIVING:
        return False
    systems = [e.entity for e in (*claim.equipment, *claim.classes)]
    others = [e.entity for e in (*other.equipment, *other.classes)]
    if systems and others:
        return any(_same_system(a, b, names) for a in systems for b in others)
    return not systems and not others and claim.place == other.place


def _history(claim: Claim, published: str | None) -> bool:
    if not published or claim.date is None:
        return False
    try:
        return _ordinal(published) - _ordinal(claim.date) > BACKGROUND_GAP_DAYS
    except ValueError:
        return False
