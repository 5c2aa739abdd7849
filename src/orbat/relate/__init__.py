"""Relate: turn each sentence's mentions and cues into claims, one per asserted fact.

This module only sets the order of the rule families, as `orbat.pipeline` does for the stages:

1. `views`: gather each sentence's mentions, cues, dates and markings once;
2. `syntax`: parse the candidate sentences (a system, a class or an event cue in them);
3. `attach`: events of the sentence, their systems, the role of each place and actor;
4. `dating`: the date of each event;
5. `frame`: the story's main event, and what later sentences inherit from it;
6. `nonevents`: capability, hypothesis, background and origin phrases that state no fact;
7. `certainty`: how sure the text is, who says it, what evidence it credits;
8. `layout`: an operation infobox's place field and footnotes that list places;
then `claims` builds each claim. `docs/extraction.md` walks through one example per rule.
"""

from __future__ import annotations

import re

from orbat.model import Claim, Extraction, Resolution
from orbat.relate import attach, certainty, dating, frame, layout, nonevents, place_roles, syntax
from orbat.relate.claims import claim_for, split_by_destination, split_by_supplier
from orbat.relate.views import PLACE_RANK, Context, SentenceView, State, sentence_items, sentence_views
from orbat.text_tables import table_rows

HEAD_WORD = re.compile(r"[^\W\d_]{4,}")
NEXT_WORD = re.compile(r"(?<!\s)\s+([^\W\d_]{4,})\b")
PREVIOUS_WORD = re.compile(r"\b([^\W\d_]{4,})\s+$")
RELATIVE_MARK = re.compile(r"(?:,\s*(?:where|which|who|whose|when|où|qui|dont)|\b(?:that|qui|où|dont|auraient|"
                           r"seraient|aurait|serait)\b)", re.I)


def _candidate(view: SentenceView, systems, places, actors) -> bool:
    """A sentence where the tree can change a claim, and the word windows might get it wrong.

    Something to attach (a system or an event word) and a place whose role is in doubt: two
    places or more, a place next to a relative clause ("Libya, where …"), a place that leads the
    sentence ("Ukraine says …"); or systems shared by several events. A plain "Two T-72B3 tanks
    were seen in Bamako" needs no parse: that is what keeps parsing cheap.
    """
    events = sum(c.kind == "event" for c in view.cues)
    if systems and events > 1:
        return True
    if not (systems or events) or not places:
        return False
    if len(places) > 1 or RELATIVE_MARK.search(view.sentence.text):
        return True
    return any(m.span.start - view.sentence.start < 3 for m, _ in places)


def _parses(items, parser: syntax.Parser | None, tally: syntax.Tally) -> dict[int, syntax.Parse]:
    """The parses of a document's candidate sentences, by sentence index, in one batch."""
    if parser is None:
        return {}
    chosen = [view for view, systems, places, actors in items if _candidate(view, systems, places, actors)]
    parsed = parser.parse_many([(v.sentence.text, v.sentence.start) for v in chosen], tally)
    return {v.index: p for v, p in zip(chosen, parsed, strict=True) if p is not None}


def _noise(view: SentenceView, seen: set[str]) -> bool:
    """Page furniture states nothing: a breadcrumb trail, or a headline printed again."""
    text = " ".join(view.sentence.text.split())
    if text.count(" | ") >= 2 or text in seen or (" | " in text and text.rsplit(" | ", 1)[1] in seen):
        return True  # "Brèves | <the headline>": the trail's last crumb is the headline again
    seen.add(text)
    return False


def _tokens(parse: syntax.Parse | None, places) -> set[int]:
    if parse is None:
        return set()
    return {i for m, _ in places if (i := parse.token_of(m.span.start, m.span.end)) is not None}


def _remember(state: State, made: list[Claim], parts, ctx: Context) -> None:
    with_systems = {e.entity: e for c in made for e in c.equipment}
    state.counts.update((e.entity, e.quantity) for e in with_systems.values() if e.quantity is not None)
    # "The first six of 12 … landed": the six the text counts, not the twelve its order claim keeps
    state.counts.update((e, m.quantity) for _, m, e in parts.systems if e in with_systems and m.quantity is not None)
    if with_systems:
        state.last_equipment = list(with_systems.values())
        heads = [_head_words(ctx.text, m) for _, m, e in parts.systems if e in with_systems]
        state.last_heads = {w.lower() for words in heads for w in words}
        for _, mention, entity in parts.systems:
            if entity in with_systems:  # "the tank" two sentences on is still the tank named here
                words = [*_head_words(ctx.text, mention), *HEAD_WORD.findall(mention.span.text)]  # "… 2 tanks"
                state.heads.setdefault(entity, set()).update(w.lower() for w in words)
    located = [e for m, e in parts.located if e.feature != "region" and (e.lat is not None or e.feature == "country")]
    if made and made[-1].place and ctx.entities.get(made[-1].place):
        state.last_place = state.last_claim_place = made[-1].place
    elif located:  # the most specific place, the last one named when several are as specific
        best = min(PLACE_RANK.get(e.feature or "", 5) for e in located)
        state.last_place = [e for e in located if PLACE_RANK.get(e.feature or "", 5) == best][-1].id


def _head_words(text: str, mention) -> list[str]:
    """The noun a system's name stands by: "launchers" of "M142 HIMARS (multiple rocket) launchers",
    "canons" of "canons CAESAR"."""
    if mention.head_end:
        return HEAD_WORD.findall(text, mention.span.end, mention.head_end)
    following = NEXT_WORD.match(text, mention.span.end)
    preceding = PREVIOUS_WORD.search(text, max(0, mention.span.start - 30), mention.span.start)  # "canons CAESAR"
    return [m.group(1) for m in (following, preceding) if m]


def _parser_for(extraction: Extraction) -> syntax.Parser | None:
    """The language's parser, or None with a warning on the document when there is none."""
    document = extraction.document
    language = syntax.language_of(document.text, document.language)
    if language not in syntax.PIPELINES:
        document.warnings.append(f"relate: language {language!r} has no parser; claims come from the fast path")
        return None
    return syntax.parser(language)


def relate(extraction: Extraction, resolution: Resolution) -> list[Claim]:
    claims: list[Claim] = []
    state = State()
    document = extraction.document
    ctx = Context(document.text, resolution, {e.id: e for e in resolution.entities},
                  published=document.published)
    parser = _parser_for(extraction) if extraction.cues or extraction.mentions else None
    tally = syntax.Tally()
    dated: dict[int, object] = {}
    sentence_of: dict[int, int] = {}  # claim id -> index of its sentence
    dated_sentences: set[int] = set()  # indexes of sentences that give a date to any of their claims
    seen_sentences: set[str] = set()
    unplaced_title: list[Claim] = []  # the headline's claims that name no place of their own
    told_origins: list[Claim] = []  # transfers told without a system: they still name the story's supplier
    items = [(view, *sentence_items(view, ctx)) for view in sentence_views(extraction)
             if not _noise(view, seen_sentences)]
    parses = _parses(items, parser, tally)
    rows = table_rows(ctx.text)
    for view, systems, places, actors in items:
        parse = parses.get(view.index)
        row = layout.table_row(view, rows) if rows else None
        places, origin_column = layout.split_origin_column(row, places)
        nonevents.aid_drawdowns(ctx.text, view)
        fast = place_roles.place_roles(ctx.text, systems, places, actors, None, None)
        placed = _tokens(parse, places)

        def real(ts, view=view, parse=parse, placed=placed):
            return [t for t in ts if not nonevents.not_an_event(ctx.text, t, view, parse, placed)]

        listed = row is not None or bool(frame.LIST_ITEM.match(view.sentence.text))
        cued = attach.triggers(layout.row_cues(row, view.cues), fast, listed, ctx.text)
        found = real(cued) or (attach.triggers([], fast, listed, ctx.text) if cued else [])
        if row is None:  # a table row's notes ("The first vessel …") restate no earlier fact
            found = real(frame.inherited_triggers(view, fast, found, state, ctx.text)) \
                or frame.elaboration(view, fast, found, claims) or found
        frame.note_story_event(state, view, document.title)
        found = attach.delivered_shipments(attach.ordered_supplies(frame.story_triggers(found, fast, state), ctx.text))
        found = attach.repeated_events(found, ctx.text, view.sentence.start, view.sentence.end)
        found = nonevents.fire_in_exercise(found, state.story_event)
        found = nonevents.trainees(found, ctx.text)
        anchor = attach.main_anchor(found, parse)
        parts = place_roles.place_roles(ctx.text, systems, places, actors, parse, anchor, view.cues)
        if found:
            attach.assign_systems(found, systems, ctx.text, parse)
            dating.assign_dates(found, view.dates, parse, ctx.text)
            dating.date_the_speech(found, view, document.published)
        built = [(t, c) for t in found if (c := claim_for(ctx, view, t, parts, state, parse, dated))]
        if view.index == 0 and state.frame is None and not places and not actors:  # a headline naming no one
            unplaced_title += [c for t, c in built if not t.own_place]
        made = [c for t, c in built if not t.generic]
        told_origins += [c for t, c in built if t.generic and c.origin]  # "has committed $6.8 billion in aid"
        made += certainty.back_references(view, made, claims)
        made += certainty.relative_denials(ctx.text, view, built)
        dating.pass_on_dates(found, built, made, dated)
        dating.date_demonstratives(built, made, ctx.text, state.last_dates)
        dating.date_after_anchor(view, made, state.last_dates)
        if not made:
            made = layout.infobox_places(view, places, state, document.title) or layout.footnote_places(
                view, places, claims)
        dating.date_the_previous(view, made, claims)
        dating.date_the_told_deal(built, claims, dated)
        dating.date_the_list(view, made, claims)
        made = split_by_supplier(ctx, made, dated, parts)
        made = split_by_destination(ctx, made, dated, parts)
        layout.table_origins(made, origin_column)
        claims.extend(made)
        sentence_of.update((id(c), view.index) for c in made)
        if view.dates:
            dated_sentences.add(view.index)
        frame.update_frame(state, view, [(t, c) for t, c in built if not t.background], dated, ctx.entities)
        frame.update_list(state, view, [c for _, c in built])
        frame.note_story_date(state, built, dated)
        dating.remember_dates(built, dated, state.last_dates, ctx.text)
        _remember(state, made, parts, ctx)
    frame.story_supplier(claims, ctx.entities, told_origins)
    frame.place_the_title(unplaced_title, state)
    own_dates = {id(c) for c in claims if (d := dated.get(id(c))) is not None and _within(d.span, c.sentence)}
    dating.date_the_lead(claims, sentence_of, document.published, {e.id: e.name for e in resolution.entities},
                         own_dates, dated_sentences)
    claims = frame.without_restatements(claims, {e.id: e for e in resolution.entities})
    _report(document, parser, tally)
    return claims


def _within(inner, outer) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _report(document, parser: syntax.Parser | None, tally: syntax.Tally) -> None:
    if parser is None:
        return
    if parser.failed and parser.failed not in document.warnings:
        document.warnings.append(f"relate: {parser.failed}")
    if tally.skipped:
        document.warnings.append(f"relate: {tally.skipped} sentence(s) too long or unreadable for the "
                                 "parser; their claims come from the fast path")
    if tally.over_budget and syntax.OVER_BUDGET not in document.warnings:
        document.warnings.append(syntax.OVER_BUDGET)
