"""The relate stage's vocabulary, compiled from `orbat/patterns/relate.json`.

Words are data: adding a cue word, a preposition or a frame noun is an edit to that file. This
module only turns each word list into the regular expression its rules need, once per process.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources


@cache
def words() -> dict[str, tuple[str, ...]]:
    raw = json.loads((resources.files("orbat") / "patterns" / "relate.json").read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in raw.items() if not k.startswith("_")}


def alt(name: str) -> str:
    """A regex alternation of one word list, longest first so "for use by" wins over "for".

    The words are grouped by first letter ("c(?:apable\\s+of|an)|s(?:…)"): `re` tries a plain
    alternation's words one by one at every position, a grouped one only the words of the group
    whose letter is there. Matches are the same, with or without `re.I`: words whose first letters
    differ (case aside) never match at one place, and a group keeps its words' order. A group whose
    words open with one letter in two cases ("TV", "television") is written out whole."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words()[name], key=len, reverse=True):
        groups.setdefault(word[:1].lower(), []).append(re.escape(word).replace(r"\ ", r"\s+"))
    return "(?:" + "|".join(_factored(group) for group in groups.values()) + ")"


def _factored(escaped: list[str]) -> str:
    """ "c(?:apable\\s+of|an)" when the escaped words share their first character, else them all."""
    first = escaped[0][:1]
    if first == "\\" or any(w[:1] != first for w in escaped):
        return "|".join(escaped)
    return first + "(?:" + "|".join(w[1:] for w in escaped) + ")"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


ANAPHORA = _c(rf"\b{alt('anaphora_determiners')}\s+(?:[\w-]+\s+){{0,3}}?{alt('frame_nouns')}\b")
REPEAT_VERB = _c(rf"\b{alt('repeat_verbs')}\b")
PRONOUN_START = _c(rf"^\W*(?:{alt('subject_pronouns')})\b")
DEFINITE_BEFORE = _c(rf"\b{alt('definite_determiners')}\s+$")
RELATIVE = _c(rf"^\s*+{alt('relative_heads')}?,?\s*+{alt('relative_pronouns')}\b")
FROM_BEFORE = _c(rf"\b{alt('origin_prepositions')}\s*(?:[\w'’-]+\s+){{0,4}}?(?:in\s+|en\s+)?$")
EVIDENCE_FROM = _c(rf"\b{alt('evidence_nouns')}\s+from\s+(?:the\s+)?$")
DESTINATION_BEFORE = _c(rf"\b{alt('destination_prepositions')}\s+(?:the\s+|l['’]\s*)?$")
TARGET_BEFORE = _c(rf"\b{alt('target_phrases')}\s+(?:the\s+|la\s+|le\s+|l['’]\s*)?$")  # "use them against Ukraine"
BORDER_BEFORE = _c(rf"\b{alt('border_phrases')}\s+(?:the\s+)?$")
COUNTERPART_BEFORE = _c(rf"\b{alt('syntax_counterpart')}\s+(?:the\s+|la\s+|le\s+|les\s+|l['’]\s*)?$")
# "ce raid au départ de la France", "cinq Rafale venus de France": where the force set out from
ORIGIN_PHRASE_BEFORE = _c(rf"\b{alt('origin_phrases')}\s*(?:la\s+|le\s+|les\s+|l['’]\s*)?$")
# "un bataillon dont la France est nation-cadre": the subject of a relative clause, not a place of the fact
RELATIVE_SUBJECT_BEFORE = _c(rf"\b{alt('relative_subject_pronouns')}\s+(?:la\s+|le\s+|les\s+|l['’]\s*)?$")
RELATIVE_SUBJECT_AFTER = _c(rf"(?<!\s)\s+{alt('relative_subject_verbs')}\b")  # linear on long blanks
# "deux MIRAGE 2000D de la base aérienne projetée de Niamey a décollé": the base is where they left from
DEPARTURE_BASE_BEFORE = _c(rf"\b(?:de\s+la|de\s+l['’]|du|depuis\s+la|depuis\s+l['’]|from\s+(?:the\s+)?|from)\s*"
                           rf"{alt('departure_bases')}\s+(?:[\w'’-]+\s+){{0,2}}?(?:de\s+|d['’]|at\s+|in\s+)?$")
# "les pilotes de Saint-Dizier et de Mont-de-Marsan", "sailors from Norfolk": where the people are from
PEOPLE_FROM_BEFORE = _c(rf"\b{alt('people_nouns')}\s+(?:de|d['’]|du|from)\s*"
                        rf"(?:[^\s,;.]+(?:\s+[^\s,;.]+){{0,2}}\s+(?:et|and)\s+(?:de\s+|d['’]|du\s+)?)?$")
# "grateful to Belgium and Norway for committing to provide …": the states thanked, one list item before at most
GRATITUDE_BEFORE = _c(rf"\b{alt('gratitude_phrases')}\s+(?:the\s+|la\s+|le\s+|l['’]\s*)?"
                      rf"(?:[^\s,;.]+(?:\s+[^\s,;.]+){{0,2}}(?:,\s*|\s+(?:and|et)\s+)(?:the\s+)?)?$")
# … and what they are thanked for comes next, after the rest of the list: "… and Norway for committing"
GRATITUDE_FOR_AFTER = _c(r"(?<!\s)(?:(?:,|\s+(?:and|et))\s+[^\s,;.]+(?:\s+[^\s,;.]+){0,2}?)?\s+(?:for|pour)\b")
# "Israel Toomes, from Las Vegas, Nevada, shared his thoughts": a person's home town, not where the fact is;
# a unit named the same way ("3rd Brigade, from Fort Stewart") does come from there
_NOT_A_NAME = (r"(?!(?:Division|Brigade|Battalion|Regiment|Squadron|Wing|Group|Team|Company|Battery|Corps|Command"
               r"|Fleet|Force|Forces|Army|Navy|Guard|Unit)\b)")
HOMETOWN_BEFORE = re.compile(rf"(?<![\w.])(?:{_NOT_A_NAME}[A-Z][a-z'’-]+\s+){{1,2}}{_NOT_A_NAME}[A-Z][a-z'’-]+,\s+"
                             r"(?:originally\s+)?(?:from|of)\s+$")
DEPARTURE_VERB = _c(rf"\b{alt('departure_verbs')}\b")
TRANSIT_BEFORE = _c(rf"\b{alt('transit_prepositions')}\s+(?:the\s+)?$")
NEAR_BEFORE = _c(rf"\b{alt('bearing_phrases')}\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}$")
NEGATION_BEFORE = _c(rf"\b{alt('negations')}\s+(?:\w+\s+)?(?:been\s+)?$")
ATTRIBUTION = _c(rf"\b{alt('attribution_phrases')}\s+(?:the\s+)?$")
SAYS_AFTER = _c(rf"^\s*(?:\([A-Za-z]+\)\s*)?{alt('speech_verbs')}\b")
FACILITY = _c(rf"\b{alt('facility_nouns')}\b")
SPEAKER_AFTER = _c(rf"(?<![\w-])(?:[\w-]++\s+){{0,2}}{alt('speaker_nouns')}\w*\b")
RECEIVING = _c(rf"^{alt('receiving_stems')}")
TAKING_BEFORE = _c(rf"\b{alt('taking_verbs')}\s+(?:the\s+|la\s+)?$")  # "had taken delivery of", "a pris livraison"
# "Qatar maintains air defences with deliveries of Patriot": the one holding them received them
HOLDING_WITH = _c(rf"\b{alt('holding_with')}\s+(?:(?:the|new|recent|its|their|la|les|des)\s+)?$")
RECIPIENT_BEFORE = _c(rf"\b{alt('recipient_prepositions')}\s+(?:the\s+|l['’]\s*)?$")
SUPPLIER_BEFORE = _c(rf"\b{alt('supplier_prepositions')}\s+(?:the\s+)?$")
CAPABILITY = _c(rf"\b{alt('capability_phrases')}")
# "an exercise focused on the strategic deployment of U.S. forces": the event word names a topic
TOPIC_BEFORE = _c(rf"\b{alt('topic_phrases')}\s+(?:[\w'’-]+\s+){{0,3}}$")
HYPOTHESIS = _c(rf"(?:^|\b){alt('hypothesis_phrases')}")
BACKGROUND = _c(rf"\b{alt('background_phrases')}\b")
# "Earlier Russian deliveries to Mali, mostly …, were flown in": a sentence about past batches is history
_BATCH = (rf"(?:{alt('background_openers')}\s+(?:[\w-]++\s+)?{alt('batch_nouns')}"
          rf"|{alt('batch_nouns')}\s+{alt('background_openers')})\b")
BACKGROUND_BATCH = _c(rf"\b{_BATCH}")
BACKGROUND_OPENING = _c(rf"^\W*(?:(?:the|les|des)\s+)?{_BATCH}")
# "which can fly for a day and carry guided bombs and missiles": what a system could carry, not a sighting
PAYLOAD_BEFORE = _c(rf"\b{alt('payload_modals')}\s+(?:[\w'’-]++[^\w.;:!?]{{1,3}}){{0,8}}?"
                    rf"{alt('payload_verbs')}\s+(?:[\w'’-]++[^\w.;:!?]{{1,3}}){{0,4}}$")
# "is used as a deterrent … to support missions as well as major exercises": what it is for, to the clause's end
USE_BEFORE = _c(rf"\b{alt('use_phrases')}\b[^,;:()]*$")
# "Russia could end it at any time by withdrawing its forces": the means of a hypothetical outcome
MODAL_MEANS_BEFORE = _c(rf"\b{alt('means_modals')}\s+(?:[\w'’-]++[^\w.;:!?]{{1,3}}){{0,8}}?"
                        rf"{alt('means_prepositions')}\s+$")
# "The Malian government has not commented on the arrival": the silent one neither operates nor speaks
SILENT_AFTER = _c(rf"\s{{0,3}}{alt('silence_phrases')}\b")
# "the Malian channel Cap Mali+": whose channel it is says nothing about who holds the systems
MEDIA_AFTER = _c(rf"[ -]{alt('media_nouns')}\b")
# "the Akıncı, Baykar's largest drone": a class noun in apposition restates the system before it
APPOSITION = _c(r",\s+(?:a|an|the|its|their|[\w-]++['’]s)\s+(?:[\w-]++\s+){0,2}$")
COMPARISON = _c(rf"\b{alt('comparison_phrases')}\b")
ORIGIN_DESCRIPTION = _c(rf"(?:\b|(?<=-)){alt('origin_descriptions')}\b")
SIGHTING = _c(rf"\b{alt('sighting_words')}\b")
FRENCH_CONDITIONAL = _c(rf"\b{alt('french_conditional_auxiliaries')}\b")
ATTACK_MEANS = _c(rf"^{alt('attack_means')}$")
# "U.S. Forces fired", "the U.S. commitment": an abbreviated country name before a word that is
# not a function or time word modifies that word; it is not where the fact happened
ABBREVIATED_COUNTRY = re.compile(r"(?:[A-Z]\.){2,3}|[A-Z]{2,3}")
ATTRIBUTIVE_NEXT = _c(rf"(?<![ \t])[ \t]{{1,4}}+(?!{alt('not_attributive_next')}\b)[^\W\d_]")
# "US, Romanian forces", "U.S. and Polish troops": the code is one of the adjectives before a noun;
# "the U.S. and NATO's commitment": one of the owners of a noun; "the U.S....... read more": a cut caption
CODE_AS_MODIFIER_NEXT = re.compile(r"(?<!\s)(?:,|\s+and)\s+(?:[A-Z][a-z]+(?:an|sh|se|ch|i)\s+[a-z]|[A-Z][\w.]*['’]s\s)"
                                   r"|\.{2,}|…")
OPERATING_FROM = _c(rf"\b{alt('operating_verbs')}\s+(?:out\s+of|from|depuis)\s+(?:[\w'’-]+\s+){{0,3}}$")
COUNTED_NOUN = _c(rf"\b(?<![\d,])(?P<count>\d[\d,]*|{alt('count_words')})\s+(?P<noun>[^\W\d_]{{4,}})\b")
# "One of Ukraine's recently delivered F-16 fighters crashed": the fact is about one of them
ONE_OF_BEFORE = _c(rf"\b{alt('partitive_one')}\s+(?:(?:the|its|their|these|those|his|her|ses|leurs|ces"
                   rf"|[\w-]+['’]s)\s+)?(?:[\w-]+\s+){{0,3}}$")
# "The aircraft are the first of 24 ordered": a count right before the event word, the systems told before
COUNT_BEFORE_CUE = _c(rf"(?<![\w,.-])(?P<count>\d{{1,3}}(?:,\d{{3}})*|{alt('count_words')})\s+(?:more\s+)?$")
# "The first ten had arrived", "the remaining six are due": a batch of the systems named before
ELLIPTICAL_SUBJECT = _c(rf"^\W*(?:{alt('batch_openers')}\s+)?(?:(?P<count>\d[\d,]*|{alt('count_words')})\s+)?"
                        rf"(?:{alt('auxiliaries')}\s+)?$")


@cache
def words_to_numbers() -> dict[str, int]:
    """The count words an elliptical sentence may start with, by value: English then French, 1 to 12."""
    listed = words()["count_words"]
    return {w: i % 12 + 1 for i, w in enumerate(listed)}


# "French-built AMX-30", "the German Leopard 2": a demonym, maybe with a maker's suffix, right before a system
# "French-built AMX-30", "German Leopard 2", "Russian-manufactured Sukhoi Su-27" (the maker's name between)
MAKER_BEFORE = _c(rf"(?<![\w.-])(?P<demonym>[^\W\d_]{{4,}})(?:-{alt('maker_suffixes')}(?:\s+(?-i:[A-Z])[\w-]+)?)?\s+$")
AID_DRAWDOWN = _c(rf"^{alt('aid_drawdown_cues')}$")
MONEY = _c(rf"(?<!\w){alt('money_words')}(?!\w)")
# "hosting him at the White House": a visit by one person, not forces based there
HOST = _c(rf"^{alt('host_stems')}")
GUEST_AFTER = _c(rf"(?<!\s)\s*{alt('guest_pronouns')}\b")  # matched at a cue's end; linear on long blanks
GUEST_BEFORE = _c(rf"\b{alt('guest_pronouns')}\s*$")
# "the authority to drawdown from current DOD stocks": aid drawn from a stockpile, like a sum of money
AID_STOCKS = _c(rf"(?<!\w){alt('aid_stock_words')}(?!\w)")
SELLING = _c(rf"^{alt('selling_stems')}")
# "providing aerial refuelling support", "provide these timely fires": a service, not a handover
SERVICE_AFTER = _c(rf"(?<!\s)\s+(?:[\w-]+\s+){{0,3}}?{alt('service_objects')}\b"
                   r"(?!\s+(?:assistance|aid|package|equipment))")
# "formally transferred command to", "a transmis le commandement": an office changes hands, no force does
OFFICE_AFTER = _c(rf"(?<!\s)\s+{alt('office_objects')}\b")
# "gave a different account", "provided details of the strike": what is handed over is words
TELLING_AFTER = _c(rf"(?<!\s)\s+(?:(?:a|an|the|his|her|its|their|more|further|no|new|different|full|first)\s+){{0,2}}"
                   rf"{alt('telling_objects')}\b")
# "while the crew were fighting the fire": firefighting, not combat
FIRE_AFTER = _c(rf"(?<!\s)\s+(?:(?:a|an|the|its)\s+)?{alt('fire_objects')}\b")
# "L-39 advanced training aircraft", "training rounds": a kind of thing made for training, no exercise
# "exercise the option for 25 more jets", "exercer son droit": using a right, not a military exercise
EXERCISED = _c(rf"(?<!\s)\s+(?:(?:the|an|its|their|this|that|his|her|full|greater|more)\s+){{0,2}}"
               rf"{alt('exercised_things')}\b")
TRAINING_KIND = _c(rf"(?<!\s)\s+{alt('training_kinds')}\b")
# "has ordered additional destroyers to the Central Command region": a command that moves forces
MOVEMENT_ORDER = _c(rf"^{alt('movement_order_verbs')}$")
MOVED_TO = re.compile(r"\A[^.;:]{0,120}?\bto\s+(?:the\s+)?(?-i:[A-Z])(?![\w.]*\s+(?:from|for)\b)", re.I)
LINKING_BEFORE = _c(rf"\b{alt('linking_verbs')}\s+(?:[\w'’-]+\s+){{0,4}}$")  # "linking the Kherson convoy to"
# "left the United States on July 14 and flew to West Africa": the clause goes on to a destination
ONWARD_AFTER = _c(rf"[^.;:]{{0,120}}?\b{alt('onward_verbs')}\b")
LEFT_BEFORE = _c(r"\b(?:left|leaving|leaves|departed|departing|departs)(?:\s+from)?\s+(?:the\s+)?$")
FORCES_BEFORE = _c(rf"\b{alt('departing_forces')}\b[^.;:!?]{{0,80}}$")  # "the last soldiers left the base"
# "rather than to attack Russian positions", "instead of sending tanks": the event set aside
ALTERNATIVE_BEFORE = _c(rf"\b{alt('alternative_phrases')}\s+(?:(?:to|de|d['’])\s*)?(?:[\w'’-]+\s+){{0,2}}$")
# "Shahed-136 loitering munitions, which Russia calls Geran-2", "que la Russie appelle": who names the system
NAMING_RELATIVE_BEFORE = _c(r"\b(?:which|that|whom|que|qu['’])\s*(?:the\s+|la\s+|le\s+|l['’]\s*)?$")
NAMING_AFTER = _c(rf"(?<!\s)\s+{alt('naming_verbs')}\b")
# "said his forces were shooting down ten drones a day": the speaker's own forces, then the event word
OWN_FORCES_BEFORE = _c(rf"\b(?:his|her|its|their|our)\s+(?:own\s+)?{alt('own_force_nouns')}\s+"
                       r"(?:[\w'’-]+\s+){0,3}$")
LEFT_PORT = _c(rf"(?<!\s)\s+(?:the\s+)?(?:[\w.'’-]+\s+){{0,2}}?{alt('port_nouns')}\b")  # "left the Port of Beaumont"
