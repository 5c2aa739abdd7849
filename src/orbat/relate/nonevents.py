"""Non-events: sentences that mention systems and event words without stating a current fact.

Rules:
1. generic prose with no system, no place and no specific evidence is not a claim; an event that
   only makes sense about a system ("Washington approved the sale") needs one;
2. capability ("is able to carry precision munitions"), hypothesis ("would allow", "if") and
   comparison ("similar to the ones seen in Syria") give no claim;
3. background ("previous shipments came by air", "first shown at an arms fair two years ago")
   gives no current claim; where the text dates it, it stays a dated claim. A sentence whose
   subject is past batches ("Earlier Russian deliveries to Mali, mostly …, were flown in") is
   background in every clause;
4. "de fabrication russe", "Russian-made", "built in South Korea" describe where a system
   comes from, not a production event in the story;
5. a sighting word ("spotted in video footage") makes the fact a presence, never a loss;
6. "providing logistical support", "provide these timely fires": a service, not a delivery;
7. a "drawdown" with a sum of money ("a $450 million drawdown") or from stocks ("drawdown from
   current DOD stocks") is aid drawn for another country, a delivery, not a withdrawal of forces.
8. "hosting him at the White House", "l'accueille": a host receives a person, no forces are based;
9. "exercise restraint", "exercise its right", "exercise the option for 25 more jets": a right,
   a virtue or a purchase option used, not a military exercise;
10. an event word after "focused on", "aimed at", "axé sur" names a topic, and "is used as a
   deterrent" says what a system is for: neither states an event.
11. "has ordered additional destroyers to the Central Command region": a command that sends
   forces somewhere is a deployment, not a purchase.
12. "no footage linking the convoy to Crimea": a link the text draws (or denies) moves nothing.
13. "the vehicles left the Port of Beaumont": systems leaving a port are shipped, not withdrawn.
14. "fired HIMARS during a live-fire exercise", "engaged a surrogate target" in a story about an
   exercise: firing at a range is the exercise, not combat.
15. "air-to-air refuelling aircraft" is a kind of aircraft, and "aircrews will train" a verb: neither
   moves anything.
16. "a Tochka-U missile had hit the facility": the system that hits is the attack's means, a fight,
   not a system lost.
17. "Russia could end it at any time by withdrawing its forces": an event word after a modal and
   "by" is the means of something that might happen, not a fact.
"""

from __future__ import annotations

import re
from functools import lru_cache

from orbat.model import ClaimActor, Cue, Entity
from orbat.relate import syntax
from orbat.relate.views import SentenceView, Trigger
from orbat.relate.vocabulary import (
    AID_DRAWDOWN,
    AID_STOCKS,
    ATTACK_MEANS,
    BACKGROUND,
    BACKGROUND_BATCH,
    BACKGROUND_OPENING,
    CAPABILITY,
    COMPARISON,
    EXERCISED,
    FACILITY,
    GUEST_AFTER,
    GUEST_BEFORE,
    HOST,
    HYPOTHESIS,
    LEFT_PORT,
    LINKING_BEFORE,
    MODAL_MEANS_BEFORE,
    MONEY,
    MOVED_TO,
    MOVEMENT_ORDER,
    OFFICE_AFTER,
    ORIGIN_DESCRIPTION,
    SERVICE_AFTER,
    TOPIC_BEFORE,
    TRAINING_KIND,
    USE_BEFORE,
    alt,
)

NEEDS_SYSTEM = {"delivery", "order", "loss", "transport", "exercise", "production", "display", "combat"}
SPECIFIC_EVIDENCE = {"satellite", "photo", "video", "broadcast", "marking", "social_media"}
COMBAT_MODIFIER = re.compile(rf"(?<!\s)\s+{alt('combat_heads')}\b", re.I)
IN_ORDER_TO = re.compile(r"\bin\s+order\s+(?:to|for)\b", re.I)
PURPOSE_BEFORE = re.compile(r"\b(?:needed|required|used|intended|meant|destined|earmarked)\s+for\s+$", re.I)
COMBAT_OF = re.compile(r"(?:\bde\s+|\bd['’])$", re.I)  # "véhicules de combat", "sous-marin d'attaque"
# Events about systems, restated by "this deployment"; a base's construction names no system.
RESTATED_EVENTS = {"deployment", "withdrawal", "transfer", "transport", "delivery"}
REFERRING_NOUN = re.compile(r"\b(?:this|that|these|those|the|its|their|cet|cette|ce|ces|le|la|les|l['’])\s*$", re.I)
NOMINAL_EVENT = re.compile(r"(?:ment|ments|al|als|ion|ions|down|out)$", re.I)  # deployment, withdrawal, drawdown
CLAUSE_BREAK = re.compile(r"[,;:()]")
CLAUSE_REACH = 60  # characters between a non-event phrase and the event word it governs
MONEY_REACH = 30  # characters between "drawdown" and the sum it draws


def aid_drawdowns(text: str, view: SentenceView) -> None:
    """Rule 7: "Another $450 Million Drawdown", "a drawdown of up to $1 billion", "drawdown from
    current DOD stocks" deliver aid."""
    s, e = view.sentence.start, view.sentence.end
    for i, cue in enumerate(view.cues):
        if cue.kind != "event" or cue.value != "withdrawal" or not AID_DRAWDOWN.match(cue.span.text):
            continue
        near = (text, max(s, cue.span.start - MONEY_REACH), min(e, cue.span.end + MONEY_REACH))
        if MONEY.search(*near) or AID_STOCKS.search(*near):
            view.cues[i] = Cue("event", "delivery", cue.span)


def is_generic(trigger: Trigger, view: SentenceView, places, has_systems: bool, explicit_place: bool,
               has_origin: bool = False) -> bool:
    """Generic prose ("the construction of infrastructure signals a shift") is not a claim."""
    if trigger.event == "construction" and not names_facility(view, places):
        return True
    after_cue = trigger.cue.span.end - view.sentence.start
    if trigger.event == "delivery" and SERVICE_AFTER.match(view.sentence.text, after_cue):
        return True  # "providing aerial refuelling support": a service rendered, nothing handed over
    if trigger.event in {"transfer", "delivery"} and OFFICE_AFTER.match(view.sentence.text, after_cue):
        return True  # "transferred command to General Anderson": a change of command
    before_cue = view.sentence.text[:max(0, trigger.cue.span.start - view.sentence.start)]
    if not (has_systems or has_origin) and trigger.event in RESTATED_EVENTS and not trigger.implicit \
            and REFERRING_NOUN.search(before_cue) and NOMINAL_EVENT.search(trigger.cue.span.text):
        # "This deployment demonstrates …", "the deployment meant to him": the story's fact again; but
        # "the deployment of equipment from the US to Europe" says where it moved
        return True
    specific = trigger.date is not None or any(c.kind == "evidence" and c.value in SPECIFIC_EVIDENCE
                                               for c in view.cues)
    if not (has_systems or explicit_place or specific):
        return True
    if trigger.event == "combat" and explicit_place and ATTACK_MEANS.match(trigger.cue.span.text):
        return False  # "an airstrike hit a hospital in Kunduz": the word names the means
    return not has_systems and trigger.event in NEEDS_SYSTEM


def names_facility(view: SentenceView, places) -> bool:
    return bool(FACILITY.search(view.sentence.text)) or any(e.feature == "installation" for _, e in places)


def _near(pattern, text: str, start: int, end: int, position: int, parse: syntax.Parse | None = None) -> bool:
    """The phrase lies within reach of the event word, in the same clause (no comma between):
    "buildings, capable of housing hundreds" describes the buildings, not the construction;
    "launchers that first saw combat in Ukraine were spotted": "first" is in a relative clause."""
    for found_start, found_end in _found(pattern, text, start, end):
        low, high = sorted((found_start, position))
        if high - low > CLAUSE_REACH or CLAUSE_BREAK.search(text, low, high):
            continue
        if parse is not None:
            phrase, cue = parse.token_of(found_start, found_end), parse.token_of(position, position + 1)
            if phrase is not None and cue is not None and syntax.in_subordinate_clause(parse, phrase, cue):
                continue
        return True
    return False


@lru_cache(maxsize=64)
def _found(pattern: re.Pattern[str], text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Where `pattern` matches in a sentence: each of its events asks again (twice for some), the
    sentence is scanned once. The last few sentences only: relate reads a document in order."""
    return tuple(m.span() for m in pattern.finditer(text, start, end))


def not_an_event(text: str, trigger: Trigger, view: SentenceView, parse: syntax.Parse | None = None,
                 place_tokens: set[int] | None = None) -> bool:
    """Capability, hypothesis, comparison, stated origin, and an aside about a place: no claim."""
    s, e, at = view.sentence.start, view.sentence.end, trigger.cue.span.start
    if any(_near(p, text, s, e, at, parse) for p in (CAPABILITY, HYPOTHESIS, COMPARISON)):
        return True
    if TOPIC_BEFORE.search(text, max(s, at - 60), at):
        return True  # "focused on the strategic deployment of U.S. forces": what it is about (rule 10)
    if USE_BEFORE.search(text, max(s, at - 140), at):
        return True  # "is used as a deterrent … during contingencies as well as major exercises" (rule 10)
    if MODAL_MEANS_BEFORE.search(text, max(s, at - 100), at):
        return True  # "Russia could end it at any time by withdrawing its forces": a hypothetical means (rule 17)
    if trigger.event == "production" and _near(ORIGIN_DESCRIPTION, text, s, e, at):
        return True
    guest = GUEST_AFTER.match(text, trigger.cue.span.end) or GUEST_BEFORE.search(text, max(s, at - 4), at)
    if trigger.event == "deployment" and HOST.match(trigger.cue.span.text) and guest:
        return True  # "hosting him at the White House", "le président l'accueille": a visit (rule 8)
    if trigger.event == "order" and IN_ORDER_TO.search(text, max(s, at - 3), min(e, trigger.cue.span.end + 4)):
        return True  # "deployed a Patriot battery to Palau in order to exercise": a purpose, not a purchase
    counted = ATTACK_MEANS.match(trigger.cue.span.text) and trigger.cue.span.text[-1:].lower() == "s"
    if trigger.event == "combat" and (COMBAT_MODIFIER.match(text, trigger.cue.span.end) or
                                      COMBAT_OF.search(text, max(s, at - 4), at) and not counted):
        # "véhicules blindés de combat", "combat vehicles", "combat air patrol": a kind of thing; but
        # "une série de frappes" counts strikes
        return True
    if trigger.event == "exercise" and PURPOSE_BEFORE.search(text, max(s, at - 20), at):
        return True  # "tanks needed for training Ukrainian troops arrive": what they are for, not an exercise
    if trigger.event == "exercise" and trigger.cue.span.text.lower() == "training" \
            and TRAINING_KIND.match(text, trigger.cue.span.end):
        return True  # "advanced training aircraft", "training rounds": what the thing is for, not an exercise
    if trigger.event == "exercise" and trigger.cue.span.text.lower().startswith("exerc") \
            and EXERCISED.match(text, trigger.cue.span.end):
        return True  # "whether it would exercise the option", "exercise restraint": no manoeuvres
    if trigger.event == "transport" and (cue := trigger.cue.span.text.lower()).startswith("refuel") \
            and TRAINING_KIND.match(text, trigger.cue.span.end):
        return True  # "RAF Voyager air-to-air refuelling aircraft": what the aircraft is for (rule 15)
    if trigger.event == "transport" and cue == "train" and TO_TRAIN_BEFORE.search(text, max(s, at - 12), at):
        return True  # "Aircrews will train on …": the verb, not a train (rule 15)
    if trigger.event in {"transport", "deployment"} and LINKING_BEFORE.search(text, max(s, at - 60), at):
        return True  # "footage linking the convoy to Crimea": the link is the text's, no movement (rule 12)
    if parse is not None and place_tokens and trigger.inherited is None:
        index = parse.token_of(trigger.cue.span.start, trigger.cue.span.end)
        return index is not None and syntax.in_clause_on(parse, index, place_tokens)
    return False


def mark_background(text: str, trigger: Trigger, view: SentenceView, parse: syntax.Parse | None = None) -> None:
    """"previous shipments came by air": history; kept only where the text dates it."""
    s, e, at = view.sentence.start, view.sentence.end, trigger.cue.span.start
    if _near(BACKGROUND, text, s, e, at, parse) or _near(BACKGROUND_BATCH, text, s, e, at, parse) \
            or BACKGROUND_OPENING.match(view.sentence.text):
        trigger.background = True  # a sentence opening on "Earlier deliveries" is history in every clause


def movement_order(text: str, trigger: Trigger, view: SentenceView) -> None:
    """Rule 11: the verb "ordered" with a place to go to ("to the Middle East") moves forces."""
    cue = trigger.cue.span
    if trigger.event != "order" or not MOVEMENT_ORDER.match(cue.text):
        return
    rest = text[cue.end:view.sentence.end]
    if MOVED_TO.match(rest) and not MONEY_OR_SELLER.search(view.sentence.text):
        trigger.event = "deployment"


def shipped_from_port(text: str, trigger: Trigger) -> None:
    """Rule 13: systems that leave a port are on their way by sea, a transport."""
    cue = trigger.cue.span
    if trigger.event != "withdrawal":
        return
    if trigger.equipment and LEFT_PORT.match(text, cue.end) \
            or cue.text.lower().startswith("left") and LEFT_PORT.match(text, cue.end - 4):  # the cue is "left the"
        trigger.event = "transport"


def fire_in_exercise(found: list[Trigger], story_event: str | None) -> list[Trigger]:
    """Rule 14: a firing word in a sentence that names an exercise ("the second live fire event
    … the first time U.S. Forces fired HIMARS") is the exercise; in a story whose title names an
    exercise, a firing word with no exercise word beside it is that exercise too."""
    at_exercise = any(t.event == "exercise" for t in found)
    for trigger in found:
        if trigger.event == "combat" and (at_exercise or story_event == "exercise"
                                          and FIRING.match(trigger.cue.span.text)):
            trigger.event = "exercise"
    return found


def munition_hit(text: str, trigger: Trigger) -> None:
    """Rule 16: a system named as the subject of "hit"/"struck" ("a Ukrainian Tochka-U missile had
    hit the facility") is what attacked; "was hit", "hit by" keep the loss."""
    if trigger.event != "loss" or trigger.cue.span.text.lower() not in {"hit", "struck"}:
        return
    if any(m.span.end <= trigger.cue.span.start and ACTIVE_GAP.match(text, m.head_end or m.span.end,
                                                                      trigger.cue.span.start)
           for m, _ in trigger.equipment):
        trigger.event = "combat"


ACTIVE_GAP = re.compile(r"(?:\s+(?:had|has|have|reportedly|then|also|later|allegedly))*\s+$", re.I)
TO_TRAIN_BEFORE = re.compile(r"\b(?:will|to|would|can|could|must|shall|also|and)\s+$", re.I)
FIRING = re.compile(r"(?:fired|engaged|launched|strikes?|struck)$", re.I)
MONEY_OR_SELLER = re.compile(r"[$€£]|\b(?:from|contract|worth|billion|million|deal|purchase|buy|bought)\b", re.I)


def event_for(trigger: Trigger, has_equipment: bool, origin: Entity | None, actors: list[ClaimActor],
              has_facility: bool = False) -> str:
    if trigger.event == "construction" and has_equipment and not has_facility:
        return "production"  # "tanks built in South Korea": systems are produced, bases are built
    if trigger.event == "deployment" and trigger.cue.span.text.lower().startswith("arriv") and (
            origin is not None or any(a.role == "supplier" for a in actors)):
        return "delivery"  # "tanks ordered from the United States arrived": handed over, not just present
    return trigger.event
