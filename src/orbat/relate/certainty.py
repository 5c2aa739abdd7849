"""Certainty and attribution: how sure the text is of a fact, who says it, and what evidence it credits.

Rules:
1. a negation right before the event word makes the fact denied ("have not been delivered");
2. else the nearest forward hedge before it ("may have been transported"), within the clause;
3. else a sentence-wide hedge anywhere ("reportedly");
4. the French conditional on the event verb is a hedge ("auraient été livrés": speculative);
5. a sentence that denies or cannot verify what the previous one stated repeats that fact at
   its own certainty, so both voices stay; not when the sentence first reports a claim of its own
   ("bloggers claimed that more had been hit, but those claims could not be verified");
6. the source is the actor after "according to", or the one who "said"; the evidence source is
   the actor that broadcast, published or analysed the footage or imagery the text credits.
"""

from __future__ import annotations

from dataclasses import replace

from orbat.model import Claim, Cue, Entity, Mention, Sentence, Span
from orbat.relate import syntax
from orbat.relate.views import SentenceView, Trigger
from orbat.relate.vocabulary import ATTRIBUTION, FRENCH_CONDITIONAL, NEGATION_BEFORE, SAYS_AFTER, _c, alt

# looked ahead for on its opening letters: under `re.I` each of its words is otherwise tried at every position
BACK_REFERENCE = _c(
    r"(?=[cdhnr])(?:"
    r"\b(?P<denied>(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|disputed|refuted)\s+(?:the|this|that|"
    r"these|those|such|any)?\s*(?:report|reports|claim|claims|allegation|allegations|account|accounts|it|this|"
    r"them)\b|no evidence that (?:any of )?(?:them|it|these|those|the \w+)\b|démenti)"
    r"|(?P<unverified>could not (?:be )?(?:independently )?(?:verified|confirmed)|(?:has|have) not been "
    r"(?:independently )?(?:verified|confirmed)|not independently verified))")
OWN_FIGURE_BEFORE = _c(r",\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:figure|number|toll|tally|total|claim|estimate|count)s?"
                       r"\s+(?:that|which)\s+$")
RELATIVE_BETWEEN = _c(r",\s*(?:whose|which|who|dont|qui)\b")
OWN_CLAIM_BEFORE = _c(rf"\b{alt('speech_verbs')}\s+(?:that\b|to\s+have\b)")  # the sentence reports its own claim
EVIDENCE_AGENT = _c(rf"\b{alt('evidence_carriers')}\b[^.;:]{{0,50}}?\b{alt('evidence_agents')}\s+(?:the\s+)?"
                    r"(?:[\w'’-]+\s+){0,4}$")
EVIDENCE_VERB_AFTER = _c(rf"^(?:'s|’s)?\s+(?:has\s+|have\s+|had\s+)?{alt('evidence_verbs')}\s+(?:the\s+)?"
                         rf"(?:[\w-]+\s+){{0,2}}?{alt('evidence_carriers')}")
EVIDENCE_ACTOR_TYPES = {"media", "research", "organisation", "company", "government", "armed_force", "person"}


def certainty(text: str, sentence: Sentence, cues: list[Cue], trigger: Trigger,
              parse: syntax.Parse | None = None) -> tuple[str, str | None]:
    position = trigger.cue.span.start
    before = text[max(sentence.start, position - 30):position]
    if NEGATION_BEFORE.search(before):
        return "denied", before.strip().split()[-1] if before.strip() else None
    forward = [c for c in cues if c.kind == "certainty:forward" and c.span.end <= position
               and position - c.span.end <= 140 and ";" not in text[c.span.end:position]]
    if forward:
        cue = forward[-1]
        return cue.value, cue.span.text
    sentence_wide = [c for c in cues if c.kind == "certainty:sentence"]
    if sentence_wide:
        return sentence_wide[0].value, sentence_wide[0].span.text
    after = [c for c in cues if c.kind == "certainty:forward" and c.value == "denied"
             and not _relative_denial(text, position, c)]
    if after:
        return "denied", after[0].span.text
    if (hedge := _french_conditional(text, sentence, trigger, parse)) is not None:
        return "speculative", hedge
    return "reported", None


def _relative_denial(text: str, position: int, cue: Cue) -> bool:
    """A denial in a relative clause after the event word ("…, whose presence Bamako has denied")."""
    return position < cue.span.start and bool(RELATIVE_BETWEEN.search(text, position, cue.span.start))


def relative_denials(text: str, view: SentenceView, built: list[tuple[Trigger, Claim]]) -> list[Claim]:
    """"Western governments say the aircraft arrive alongside Wagner mercenaries, whose presence
    Bamako has denied": the main clause reports the fact, the relative clause's speaker denies it;
    both voices stay, as a denial in the next sentence keeps them (rule 5)."""
    out = []
    for trigger, claim in built:
        denial = next((c for c in view.cues if c.kind == "certainty:forward" and c.value == "denied"
                       and _relative_denial(text, trigger.cue.span.start, c)), None)
        if denial is not None and claim.certainty == "reported" and not trigger.generic:
            out.append(replace(claim, certainty="denied", certainty_cue=denial.span.text, attributed_to=None))
    return out


def _french_conditional(text: str, sentence: Sentence, trigger: Trigger, parse: syntax.Parse | None) -> str | None:
    """"auraient été livrés", "seraient déployés": the French conditional reports without vouching."""
    cue = trigger.cue.span
    if parse is not None and syntax.conditional(parse, cue.start, cue.end):
        index = parse.token_of(cue.start, cue.end)
        near = [index, parse.tokens[index].head, *parse.children(index)] if index is not None else []
        return next((parse.tokens[i].text for i in near if parse.tokens[i].conditional), None)
    found = FRENCH_CONDITIONAL.search(text, max(sentence.start, cue.start - 25), cue.start)
    return found.group(0) if found else None


def attribution(text: str, actors: list[tuple[Mention, Entity]]) -> Entity | None:
    for mention, entity in actors:
        before = text[max(0, mention.span.start - 30):mention.span.start]
        after = text[mention.span.end:mention.span.end + 30]
        if ATTRIBUTION.search(before) or SAYS_AFTER.match(after):
            return entity
    return None


def evidence_source(text: str, actors: list[tuple[Mention, Entity]]) -> Entity | None:
    """The actor the text credits with the primary evidence, not with repeating it.

    "footage broadcast by Cap Mali+", "satellite images analysed by CSIS", "Maxar's imagery",
    "a Telegram channel geolocated the video": five outlets citing one broadcast share it.
    """
    for mention, entity in actors:
        if entity.actor_type == "state":
            continue
        before = text[max(0, mention.span.start - 70):mention.span.start]
        after = text[mention.span.end:mention.span.end + 50]
        if EVIDENCE_AGENT.search(before) or EVIDENCE_VERB_AFTER.match(after):
            return entity
    return None


def back_references(view: SentenceView, made: list[Claim], claims: list[Claim]) -> list[Claim]:
    """"Iranian officials have denied the report": a sentence that denies (or cannot verify) what
    the previous one stated adds that fact again at its own certainty, so both voices stay."""
    m = BACK_REFERENCE.search(view.sentence.text)
    if not m or not claims or OWN_CLAIM_BEFORE.search(view.sentence.text, 0, m.start()) \
            or OWN_FIGURE_BEFORE.search(view.sentence.text, max(0, m.start() - 40), m.start()):
        # "bloggers claimed that more had been hit, but those claims could not be verified", "3,000 square
        # kilometres had been retaken, a figure that could not be verified": the sentence doubts its own
        return []
    level = "denied" if m.group("denied") else "speculative"
    previous_end = claims[-1].sentence.end
    earlier = [c for c in claims if c.sentence.end == previous_end]
    own = {(c.event, tuple(e.entity for e in c.equipment)) for c in made}
    sentence = Span(view.sentence.start, view.sentence.end, view.sentence.text)
    return [replace(c, sentence=sentence, certainty=level, certainty_cue=m.group(0), evidence=[],
                    attributed_to=None) for c in earlier if (c.event, tuple(e.entity for e in c.equipment)) not in own]
