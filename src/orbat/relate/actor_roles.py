"""Actor roles: supplier, recipient, operator, source or speaker of a claim.

Split from `attach` (rule 5 of its list): an actor's role comes from its preposition, its
position against the event verb and its type; one in another clause than the event, or one that
only comments, has none.
"""

from __future__ import annotations

import re

from orbat.model import ClaimActor, Entity, Mention
from orbat.relate import syntax
from orbat.relate.views import Trigger
from orbat.relate.vocabulary import (
    HOLDING_WITH,
    MEDIA_AFTER,
    RECEIVING,
    RECIPIENT_BEFORE,
    SAYS_AFTER,
    SELLING,
    SILENT_AFTER,
    SPEAKER_AFTER,
    SUPPLIER_BEFORE,
    TAKING_BEFORE,
    words,
)

GIVING = re.compile(r"^(?:pledg|promis|sen[dt]|donat|suppl|provid|deliver|gave|giv|transferr|sold|sell|ship|"
                    r"livr|fourn|c[ée]d|offr|envoy|vend)", re.I)


def _role(text: str, mention: Mention, entity: Entity, trigger: Trigger, system_starts: set[int]) -> str | None:
    """The actor's part in the fact, from the words around it and the kind of event.

    The subject of "delivered" supplies; the subject of "received" or "ordered" receives.
    """
    before = text[max(0, mention.span.start - 30):mention.span.start].lower()
    after = text[mention.span.end:mention.span.end + 3]
    if entity.actor_type in {"media", "research"} or SAYS_AFTER.match(text[mention.span.end:mention.span.end + 30]):
        return "source"
    transfer_like = trigger.event in {"delivery", "transfer", "order"}
    if after in {"'s ", "’s "}:
        if SPEAKER_AFTER.match(text[mention.span.end + 3:mention.span.end + 40]):
            return "source"  # "Britain's Ministry of Defence confirmed": the state speaks
        if transfer_like and mention.span.end + 3 in system_starts:
            return "supplier"  # "the first foreign buyer of Russia's Su-57": Russia makes and sells it
        if entity.actor_type == "company":
            return "supplier"  # "Baykar's largest drone": the maker, not who flies it
        return "owner" if trigger.event in {"loss", "order"} else "operator"
    if transfer_like and mention.span.end + 1 in system_starts and after[:1] in {" ", "-"}:
        return "supplier"  # "providing German Leopard 2 tanks": the maker's or giver's country
    if transfer_like and RECIPIENT_BEFORE.search(before):
        return "recipient"
    if transfer_like and SUPPLIER_BEFORE.search(before):
        return "supplier"
    if transfer_like and mention.span.end <= trigger.cue.span.start \
            and entity.actor_type in {"state", "company", "government", "armed_force"}:
        verb = text[trigger.cue.span.start:trigger.cue.span.end + 6]
        if RECEIVING.match(verb) or verb.lower().startswith("signed for") or _buys(trigger, verb) \
                or _taken(text, trigger):
            return "recipient"
        holding = HOLDING_WITH.search(text, max(0, trigger.cue.span.start - 20), trigger.cue.span.start)
        if trigger.event == "delivery" and holding:
            return "recipient"  # "Qatar maintains air defences with deliveries of Patriot": Qatar received them
        return "supplier"
    if trigger.event == "construction" and mention.span.end <= trigger.cue.span.start:
        return "builder"
    if entity.actor_type == "company":
        return "supplier"  # makers and sellers ("Baykar", "Rosoboronexport")
    if entity.actor_type in {"person", "organisation"}:
        return None  # named in the sentence, but not operating the system
    return "operator"


def _transfer_role(text: str, mention: Mention, entity: Entity, trigger: Trigger,
                   parse: syntax.Parse | None) -> str | None:
    """Who gives and who gets, from the tree: the subject of "pledged", "sent" or "donated"
    supplies, the subject of "received" or "bought" receives, "to/for X" receives, "by/from X"
    supplies. Only for transfers, only for states, governments and armed forces."""
    if parse is None or trigger.event not in {"delivery", "transfer", "order"} \
            or entity.actor_type not in {"state", "government", "armed_force"}:
        return None
    index = parse.token_of(mention.span.start, mention.span.end)
    if index is None:
        return None
    while parse.tokens[index].dep in {"conj", "appos"} and parse.tokens[index].head != index:
        index = parse.tokens[index].head  # "Washington and Berlin each pledged one"
    token = parse.tokens[index]
    verb = parse.tokens[token.head]
    if token.dep == "nsubj" and verb.pos in {"VERB", "AUX"}:
        if RECEIVING.match(verb.text.lower()) or _buys(trigger, verb.text) or _taken(text, trigger):
            return "recipient"
        return "supplier" if verb.start in _cue_starts(trigger, text, parse) else None
    word = syntax.preposition_of(parse, index)
    if word in words()["syntax_destination"]:
        return "recipient"
    if word in {"from", "by", "de", "par", "depuis"}:
        return "supplier"
    return None


def _taken(text: str, trigger: Trigger) -> bool:
    """"Russia had taken delivery of Iranian missiles", "l'armée a pris livraison de": who takes
    delivery receives."""
    return trigger.event == "delivery" and bool(
        TAKING_BEFORE.search(text, max(0, trigger.cue.span.start - 12), trigger.cue.span.start))


def _buys(trigger: Trigger, verb: str) -> bool:
    """The one who orders, signs or requests is the buyer ("Oman signed a contract with a Swedish
    yard"), unless the verb sells or gives ("Washington approved the sale", "Paris sold")."""
    return trigger.event == "order" and not (SELLING.match(verb) or GIVING.match(verb))


def _cue_starts(trigger: Trigger, text: str, parse: syntax.Parse) -> set[int]:
    """Starts of the transfer verbs of the sentence: the trigger's own and any other giving verb."""
    starts = {trigger.cue.span.start}
    starts |= {t.start for t in parse.tokens if t.pos == "VERB" and GIVING.match(t.text)}
    return starts


def claim_actors(text: str, actors: list[tuple[Mention, Entity]], trigger: Trigger,
                 attributed: Entity | None, systems=(), parse: syntax.Parse | None = None) -> list[ClaimActor]:
    out: list[ClaimActor] = []
    system_starts = {m.span.start for _, m, _ in systems}
    system_spans = [(m.span.start, m.span.end) for _, m, _ in systems]
    for mention, entity in actors:
        if SILENT_AFTER.match(text, mention.span.end) or MEDIA_AFTER.match(text, mention.span.end):
            continue  # "the Malian government has not commented", "the Malian channel Cap Mali+": no part in the fact
        if _in_other_clause(text, parse, mention, trigger, system_spans):
            continue  # "destined for the Africa Corps, the force that took over from Wagner": Wagner gave nothing
        role = "source" if attributed is not None and entity.id == attributed.id else (
            _transfer_role(text, mention, entity, trigger, parse) or _role(text, mention, entity, trigger,
                                                                             system_starts))
        if role is not None and not any(a.entity == entity.id and a.role == role for a in out):
            out.append(ClaimActor(entity.id, role))
    # "Equipping the Armed Forces of X: Washington will transfer … to the Armed Forces of X": named
    # before the verb and again after "to", a body is the one that receives; it cannot give as well,
    # and a second mention ("les Forces armées maliennes (FAMa)") adds no operator beside the recipient
    receiving = {a.entity for a in out if a.role == "recipient"}
    return [a for a in out if not (a.role in {"supplier", "operator"} and a.entity in receiving)]


RELATIVE_CLAUSES = {"relcl", "acl:relcl", "advcl"}
SYSTEM_NOUN_REACH = 25  # "M1A1 Abrams tanks that …": the noun after a designation is the system's
#: After the event word: ", the force that took over from": an appositive with its own clause.
#: After the event word: "… and accused Tehran": the object of a coordinated verb of its own.
COORDINATED_VERB = re.compile(r"\s(?:and|but)\s+(?:also\s+)?[a-z]+ed\s+(?:the\s+)?$")
APPOSITIVE_CLAUSE = re.compile(r",\s[^,;]*?\b(?:that|which|who|whom|qui|que|dont)\s", re.I)


def _in_other_clause(text: str, parse: syntax.Parse | None, mention: Mention, trigger: Trigger,
                     system_spans: list[tuple[int, int]]) -> bool:
    """Whether the actor is named inside a clause that does not hold the event word and does not
    describe the systems: "the Africa Corps, the force that took over from the Wagner Group" is
    another event with its own actors, while "M1A1 tanks that Poland bought from US stocks" says
    whose the tanks are; nor is a verb coordinated with the event's line ("… and accused Tehran
    of lying"). Without a tree, an appositive's relative pronoun between the event word
    and the actor says the same."""
    if parse is None:
        return mention.span.start > trigger.cue.span.end and bool(
            APPOSITIVE_CLAUSE.search(text, trigger.cue.span.end, mention.span.start)
            or COORDINATED_VERB.search(text, trigger.cue.span.end, mention.span.start))
    index = parse.token_of(mention.span.start, mention.span.end)
    cue = parse.token_of(trigger.cue.span.start, trigger.cue.span.end)
    if index is None or cue is None:
        return False
    cue_line = {cue, *parse.ancestors(cue)}
    for i in [index, *parse.ancestors(index)]:
        if i in cue_line:
            return False
        if parse.tokens[i].dep == "conj" and parse.tokens[i].pos == "VERB":
            return True  # "were shooting down Iranian drones and accused Tehran of lying": Tehran shot nothing
        if parse.tokens[i].dep in RELATIVE_CLAUSES:
            described = parse.tokens[parse.tokens[i].head].start
            return not any(start <= described <= end + SYSTEM_NOUN_REACH for start, end in system_spans)
    return False
