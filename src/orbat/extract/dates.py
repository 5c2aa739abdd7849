"""Dates in text, with the precision the text gives, whether or not the publication date is known.

- Absolute dates ("March 3-4, 2017", "Tuesday, Jan. 10, 2023", "12.26.2023") are always found. A numeric
  date whose day and month could swap ("02-03-2024") is read in the language's order (month first in
  English, day first otherwise) and carries the other reading as `alternative`.
- A date without a year takes it from the publication date, looking back ("January 19" in a report
  published 2025-01-21 is 2025-01-19), or looking ahead when the sentence speaks of the future
  ("will take over in June"). In a text about an earlier year (an encyclopedia article on 2022
  written in 2023), or with no publication date at all, it takes the year of the story's own dates.
- "the following day", "two days later", "le lendemain" count from the previous day in the text.
- Ranges ("3-5 Feb.", "du 20 au 26 juillet 2016") give their first day with `value_end`, and their
  last day as a date of its own; lists ("les 22 et 27 août") give each day.
- Relative words nothing anchors ("last week", "the past eight months") are kept without a value.
- Designations ("T-72", "4385"), times ("9:03", "0600 hours"), durations ("for three days"),
  decades ("the 1980s") and impossible dates ("31 February") are never dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from orbat.extract.spans import Occupied
from orbat.model import DateMention, Span, UnanchoredDate
from orbat.validate import MENTION_MAX, in_bounds, mention_problem

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
}

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))


def _opening(words: Iterable[str]) -> str:
    """A look-ahead on the letters `words` open with, for a pattern that can only start on one.

    `re` finds no fast start for a case-insensitive pattern that opens with `\\b` and a long
    alternation: it tries every alternative at every position. The look-ahead turns most positions
    away with one test and leaves every match as it was."""
    return "(?=[" + "".join(sorted({w[0].lower() for w in words})) + "])"


# A month may be glued to the word before it by a lost line break ("AffairsMarch 21, 2013").
_START = r"(?:(?<![\w-])|(?-i:(?<=[a-zé])(?=[A-Z])))"


def _month(group: str) -> str:
    return rf"(?P<{group}>{_MONTH_NAMES})\.?"


def _day(group: str) -> str:
    return rf"(?P<{group}>[0-3]?\d)(?:st|nd|rd|th|er)?"


def _year(group: str) -> str:
    return rf"(?P<{group}>(?:19|20)\d{{2}})(?![\d-])"


_MONTH, _MONTH2, _DAY, _YEAR = _month("month"), _month("month2"), _day("day"), _year("year")
#: Any four digits after a day and a month: "1 January 9999" is an impossible date, not 1 January.
_ANY_YEAR = r"(?P<year>\d{4})(?![\d-])"
_DASH = r"\s*[-–—]\s*"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\w-])(?P<year>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<day>[0-3]\d)(?![\w-])")),
    (
        "numeric",
        re.compile(
            r"(?<![\w.,/-])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)"
            r"(?P<year>(?:19|20)\d{2})(?![\w/-]|\.\d)"
        ),
    ),
    ("month-day-year", re.compile(rf"{_START}{_MONTH}\s+{_DAY},?\s+{_ANY_YEAR}", re.I)),
    ("day-month-year", re.compile(rf"(?<![\w-]){_DAY}\s+{_MONTH},?\s+{_ANY_YEAR}", re.I)),
    ("part-month-year", re.compile(rf"(?<![\w-])(?P<part>early|mid|late|début|fin|mi)[\s-]+{_MONTH2}\s+{_YEAR}", re.I)),
    ("month-year", re.compile(rf"{_START}{_MONTH2}\s+(?:of\s+)?{_YEAR}", re.I)),
    ("year", re.compile(r"(?<![\w/.-])(?P<year>(?:19|20)\d{2})(?![\w/-])")),
    # --- no year of their own: resolved once the dates with a year are known
    ("month-day", re.compile(rf"{_START}{_MONTH}\s+{_DAY}(?![\d:,]*\d{{4}})(?![\w:])", re.I)),
    ("day-month", re.compile(rf"(?<![\w-]){_DAY}\s+{_MONTH}(?![\w])", re.I)),
    ("part-month", re.compile(rf"(?<![\w-])(?P<part>early|mid|late|début|fin|mi)[\s-]+{_MONTH2}(?![\w])", re.I)),
    ("in-month", re.compile(rf"\b(?:in|since|until|during|by|en|depuis|of)\s+{_MONTH2}(?![\w-])", re.I)),
    (
        "relative-day",
        re.compile(
            r"(?=[acdhilotwy])\b(?P<rel>yesterday|today|hier|aujourd'hui|this\s+(?:morning|afternoon|evening)|"
            r"tonight|last\s+night|ce\s+matin|cet\s+après-midi|ce\s+soir|hier\s+soir|"
            r"(?:in|over|during|within)\s+the\s+(?:past|last)\s+(?:24|twenty-four)\s+hours|"
            r"(?:au\s+cours|lors)\s+des\s+(?:24|vingt-quatre)\s+dernières\s+heures)\b",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"(?=[MmTtWwFfSsljvd])\b(?P<weekday>[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|[Ff]riday|[Ss]aturday|"
            r"[Ss]unday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"
        ),
    ),
    (
        "relative-period",
        re.compile(
            r"(?=[celnt])\b(?P<period>"
            + "|".join(
                p.replace(" ", r"\s+")
                for p in (
                    "last month",
                    "earlier this month",
                    "this month",
                    "last year",
                    "this year",
                    "earlier this year",
                    "next month",
                    "next year",
                    "le mois dernier",
                    "l'année dernière",
                    "l'an dernier",
                    "cette année",
                    "ce mois-ci",
                    "le mois prochain",
                    "l'année prochaine",
                    "l'an prochain",
                )
            )
            + r")\b",
            re.I,
        ),
    ),
]
WITH_YEAR = {"iso", "numeric", "month-day-year", "day-month-year", "part-month-year", "month-year", "year"}
YEARLESS = {"month-day", "day-month", "part-month", "in-month"}
NEEDS_MONTH = {
    "month-day-year",
    "day-month-year",
    "month-day",
    "day-month",
    "part-month-year",
    "part-month",
    "month-year",
    "in-month",
}
RELATIVE_KINDS = {"relative-day", "weekday", "relative-period"}

_D1, _D2, _M1, _M2, _Y1, _Y2 = _day("d1"), _day("d2"), _month("m1"), _month("m2"), _year("y1"), _year("y2")
_OPEN = r"(?P<open>(?:from|between|du|entre)\s+(?:the\s+)?)?"
_TO = r"(?:\s*[-–—]\s*|\s+(?:to|until|through|and|au|à|et|jusqu'au)\s+(?:the\s+)?)"
#: Two ends of one span of days; the first may borrow the month and year of the second.
RANGES = [
    re.compile(rf"(?<![\w-]){_OPEN}{_D1}(?:\s+{_M1}(?:,?\s+{_Y1})?)?{_TO}{_D2}\s+{_M2}(?![\w-])(?:,?\s+{_Y2})?", re.I),
    re.compile(
        rf"{_START}{_OPEN}{_M1}\s+{_D1}(?:,?\s+{_Y1})?{_TO}(?:{_M2}\s+)?{_D2}(?![\w:.-]|\.\d)"
        rf"(?:,?\s+{_Y2})?",
        re.I,
    ),
]
#: "les 22 et 27 août 2016", "des 7, 8 et 9 janvier 2015", "on 7 and 8 January": several days.
DAY_LIST = re.compile(
    rf"(?<![\w,.-])(?P<days>[0-3]?\d(?:er)?(?:\s*,\s*[0-3]?\d)*)\s+(?:and|et)\s+{_DAY}\s+{_MONTH}"
    rf"(?![\w-])(?:,?\s+{_YEAR})?",
    re.I,
)
#: "dans la nuit du 13 au 14", "the night of 13 to 14 April": two days with the month left out.
NIGHT = re.compile(
    r"(?=n)\b(?:nuit\s+du|night\s+of(?:\s+the)?)\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th|er)?\s+(?:au|to|into|-)\s+"
    r"(?:the\s+)?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?!\s*(?:[\d/.]|(?i:" + _MONTH_NAMES + r")))",
    re.I,
)

#: Counted from the previous day in the text: "the following day", "deux jours plus tard".
_NUMBER = r"(?P<n>\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
FOLLOWING = re.compile(
    _opening(
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "the", "following", "next", "le", "au", "la", *NUMBER_WORDS]
    )
    + r"\b(?:(?P<next>(?:the\s+)?(?:following|next)\s+day|the\s+day\s+after(?!\s+(?:the|a|an|its|his|her|their)\b)|"
    r"(?:le|au)\s+lendemain(?!\s+(?:de|des|du|d')\b)|le\s+jour\s+suivant)"
    r"|(?P<before>the\s+(?:previous|preceding)\s+day|the\s+day\s+before(?!\s+(?:the|a|an|its|his|her|their)\b)|"
    r"la\s+veille(?!\s+(?:de|des|du|d')\b))"
    rf"|{_NUMBER}\s+(?P<unit>days?|weeks?|jours?|semaines?)\s+(?P<dir>later|earlier|plus\s+tard|plus\s+tôt|"
    r"auparavant|après(?=\s*[,.;:)])))\b",  # "trois jours après, …"; but "trois jours après l'attaque" counts from it
    re.I,
)

#: Relative periods no single day or month gives: kept as words, without a value.
_SOME = (
    r"(?:(?:few|several|couple\s+of|\d{1,3}|"
    + "|".join(w for w in NUMBER_WORDS if len(w) > 2)
    + r"|eleven|twelve|fifteen|twenty|thirty)\s+)"
)
# The English and the French phrases are looked ahead for on their opening letters, and a counted
# word ("three days ago") is read possessively (`\w++`: it is followed by a space, so no shorter
# reading can match): the pattern scans every document whole. Matches are the same.
UNANCHORED = re.compile(
    r"(?=[cdefilnoprtw])(?:"
    rf"\b(?:(?:over|in|during|throughout|for|within)\s+)?the\s+(?:past|last|previous|coming|next|preceding|recent)"
    rf"\s+{_SOME}?(?:days|weeks?|months?|years?|decades?)\b"
    rf"|\b(?:past|previous|coming|next|recent)\s+(?:{_SOME}?(?:days|weeks|months|years|decades)|weeks?|decades?)\b"
    rf"|\blast\s+(?:{_SOME}(?:days|weeks|months|years)|weeks?|decades?|days)\b"
    r"|\b(?:earlier|later)\s+this\s+week\b|\bthis\s+week(?:end)?\b)"
    r"|\b\w++\s+(?:days?|weeks?|months?|years?)\s+ago\b"
    r"|(?=[cdil])(?:\bla\s+semaine\s+(?:dernière|prochaine|passée)\b|\bcette\s+semaine\b|\bces\s+derni(?:ers|ères)\s+"
    r"(?:jours|semaines|mois|années)\b|\bil\s+y\s+a\s+\w++\s+(?:jours?|semaines?|mois|ans|années)\b"
    r"|\b(?:les|des)\s+\w++\s+derni(?:ers|ères)\s+(?:jours|semaines|mois|années)\b)",
    re.I,
)

#: Times of day: recognised so that no date, year or count is read in them; never emitted.
TIMES = re.compile(  # every alternative opens with a digit
    r"(?=\d)(?:(?<![\w:.])(?:[01]?\d|2[0-3])[:h][0-5]\d(?::[0-5]\d)?(?:\s*(?:[ap]\.?m\.?|Z|UTC|GMT|heures?)(?![\w]))?"
    r"|(?<![\w.,])(?:[01]\d|2[0-3])[0-5]\d(?:\s*(?:hours|hrs|heures)\b|Z\b|\s*(?:UTC|GMT|local)\b)"
    r"|(?<![\w.,])(?:1[0-2]|0?[1-9])\s*(?:a\.m\.|p\.m\.|am\b|pm\b))",
    re.I,
)
#: Durations ("for three days", "pendant deux semaines"): how long, not when.
DURATIONS = re.compile(
    r"(?=[dfp])\b(?:for|during|pendant|durant)\s+(?:the\s+)?(?:about\s+|some\s+|près\s+de\s+|environ\s+)?"
    rf"(?:\d{{1,4}}|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))}|several|plusieurs|many|quelques)\s+"
    r"(?:hours?|days?|weeks?|months?|years?|heures|jours?|semaines?|mois|ans|années)\b",
    re.I,
)
#: "the 1980s", "les années 1980", "decade of 2000": a decade, not its first year.
DECADE_BEFORE = re.compile(r"(?:années|decade\s+of|décennie)\s+$", re.I)
#: "Nearly 2000 British troops": a rounded count, not a year.
APPROXIMATE_BEFORE = re.compile(
    r"\b(?:nearly|about|some|around|almost|approximately|roughly|up\s+to|more\s+than|"
    r"at\s+least|environ|près\s+de|plus\s+de)\s+$",
    re.I,
)
#: Words of the future around a date without a year: "will take over in June" looks ahead.
FUTURE_CUE = re.compile(
    r"\b(?:will|shall|due\s+to|is\s+to|are\s+to|set\s+to|expected\s+to|scheduled|planned|"
    r"plans?\s+to|upcoming|va|vont|doit|doivent|devrait|devraient|prévue?s?|sera|seront)\b"
    r"|['’]ll\b",
    re.I,
)

CAPITALISED_MONTHS = {"may", "mar", "jun", "jan", "dec", "aug", "oct", "sept", "sep", "nov", "feb", "apr", "jul"}
#: A date with a year this long before publication belongs to a story of its own year.
STORY_GAP_DAYS = 200


def _valid(year: int, month: int, day: int | None = None) -> bool:
    """A real calendar date within the bounds of a mentioned date (`orbat.validate.MENTION_MAX`:
    plans may lie years ahead, "1 January 9999" does not)."""
    if not (1900 <= year <= MENTION_MAX.year and 1 <= month <= 12):
        return False
    try:
        date(year, month, day or 1)
    except ValueError:
        return False
    return True


def _month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _word_ok(word: str) -> bool:
    """Short or ambiguous month words ("May", "Mar") count only when capitalised."""
    word = word.rstrip(".")
    return word.lower() not in CAPITALISED_MONTHS or word[:1].isupper()


def _month_ok(match: re.Match[str], group: str) -> bool:
    return _word_ok(match.group(group))


@dataclass(slots=True)
class _YearSource:
    """Where a date without a year takes its year from: the publication date, the story's own dates
    (the latest date with a year before it in the text), and whether its sentence looks ahead."""

    anchor: date | None
    story: list[tuple[int, date]] = field(default_factory=list)  # (offset, day) of days given with a year

    def context(self, offset: int) -> date | None:
        before = [d for at, d in self.story if at < offset]
        return before[-1] if before else None

    def year(self, month: int, day: int | None, offset: int, ahead: bool) -> int | None:
        context = self.context(offset)
        anchor = self.anchor
        if context is not None and (anchor is None or not ahead and (anchor - context).days > STORY_GAP_DAYS):
            return _nearest_year(month, day, context, anchor)
        if anchor is None:
            return None
        year = anchor.year
        if ahead:
            return year + 1 if (month, day or 1) < (anchor.month, anchor.day if day else 1) else year
        if (month, day or 1) > (anchor.month, anchor.day):
            year -= 1
        return year


def _nearest_year(month: int, day: int | None, context: date, anchor: date | None) -> int | None:
    """The year that puts (month, day) closest to the story's date, never after publication."""
    options = []
    for year in (context.year - 1, context.year, context.year + 1):
        if not _valid(year, month, day):
            continue
        candidate = date(year, month, day or 1)
        if anchor is None or candidate <= anchor:
            options.append((abs((candidate - context).days), year))
    return min(options)[1] if options else None


def _resolve(
    kind: str, m: re.Match[str], years: _YearSource, text: str, language: str | None
) -> tuple[str, str] | None:
    g = m.groupdict()
    if kind == "iso":
        y, mo, d = int(g["year"]), int(g["m"]), int(g["day"])
        return (f"{y:04d}-{mo:02d}-{d:02d}", "day") if _valid(y, mo, d) else None
    if kind == "numeric":
        return _numeric(int(g["a"]), int(g["b"]), int(g["year"]), language)
    if kind in {"month-day-year", "day-month-year", "month-day", "day-month"}:
        if not _month_ok(m, "month"):
            return None
        mo, d = _month_number(g["month"]), int(g["day"])
        y = int(g["year"]) if g.get("year") else years.year(mo, d, m.start(), _ahead(text, m.start()))
        if y is None or not _valid(y, mo, d):
            return None
        return f"{y:04d}-{mo:02d}-{d:02d}", "day"
    if kind in {"part-month-year", "part-month", "month-year", "in-month"}:
        if not _month_ok(m, "month2"):
            return None
        mo = _month_number(g["month2"])
        y = int(g["year"]) if g.get("year") else years.year(mo, None, m.start(), _ahead(text, m.start()))
        return (f"{y:04d}-{mo:02d}", "month") if y and _valid(y, mo) else None
    if kind == "year":
        return (g["year"], "year") if _valid(int(g["year"]), 1) else None
    return _relative(kind, g, years.anchor)


def _numeric(a: int, b: int, year: int, language: str | None) -> tuple[str, str] | None:
    """ "12.26.2023" (US) or "26.12.2023": the order the numbers allow, else the language's habit."""
    if a > 12:
        day, month = a, b
    elif b > 12 or (language or "en").startswith("en"):
        month, day = a, b
    else:
        day, month = a, b
    return (f"{year:04d}-{month:02d}-{day:02d}", "day") if _valid(year, month, day) else None


def _swapped(value: str) -> str | None:
    """The other reading of a numeric date whose two numbers could each be the month ("02-03-2024":
    2 March or 3 February), so that the choice `_numeric` made is flagged and never silent."""
    year, month, day = value.split("-")
    if month == day or int(day) > 12:
        return None
    return f"{year}-{day}-{month}"


def _ahead(text: str, start: int) -> bool:
    """The sentence speaks of the future before the date: "will take over from them in June"."""
    window = text[max(0, start - 50) : start]
    cut = max(window.rfind(". "), window.rfind("\n"))
    return bool(FUTURE_CUE.search(window[cut + 1 :]))


def _relative(kind: str, g: dict, anchor: date | None) -> tuple[str, str] | None:
    if anchor is None:
        return None  # never "now": without a publication date relative dates stay unresolved
    if kind == "relative-day":
        offset = 1 if g["rel"].lower().startswith(("yesterday", "hier", "last")) else 0
        return (anchor - timedelta(days=offset)).isoformat(), "day"
    if kind == "weekday":
        back = (anchor.weekday() - WEEKDAYS[g["weekday"].lower()]) % 7
        return (anchor - timedelta(days=back)).isoformat(), "day"
    period = g["period"].lower()
    step = -1 if ("last" in period or "derni" in period) else 1 if ("next" in period or "prochain" in period) else 0
    if "month" in period or "mois" in period:
        months = anchor.year * 12 + anchor.month - 1 + step
        return f"{months // 12:04d}-{months % 12 + 1:02d}", "month"
    return str(anchor.year + step), "year"


def parse_anchor(published: str | None) -> date | None:
    """The publication day relative dates count from; None when it is no date or out of bounds
    (a report "published" 9999-12-31 must not put "last Tuesday" in that year)."""
    if not published:
        return None
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return None
    return day if in_bounds(day) else None


MONTH_WORD = re.compile(rf"{_opening(MONTHS)}(?:\b|(?-i:(?<=[a-zé])(?=[A-Z])))(?:{_MONTH_NAMES})\b", re.I)
MONTH_ONLY_LEAD = re.compile(r"\b(?:in|en|early|mid|late|début|fin|mi)[\s-]+$", re.I)


def _month_windows(text: str) -> list[tuple[int, int]]:
    """Stretches around each month name: the month patterns only need to look there."""
    windows: list[tuple[int, int]] = []
    for m in MONTH_WORD.finditer(text):
        a, b = max(0, m.start() - 40), min(len(text), m.end() + 24)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    return windows


@dataclass(slots=True)
class DateFindings:
    """Everything date-like in a text: dates with a value, relative words without one, and the
    times and durations that were recognised so that nothing else reads them as dates."""

    dates: list[DateMention]
    unanchored: list[UnanchoredDate]
    times: list[Span]
    durations: list[Span]


def find_dates(
    text: str, published: str | None, blocked: list[tuple[int, int]] | None = None, language: str | None = None
) -> list[DateMention]:
    """All dates with a value in `text`, skipping spans already taken by designations."""
    return find_date_expressions(text, published, blocked, language).dates


def find_date_expressions(
    text: str, published: str | None, blocked: list[tuple[int, int]] | None = None, language: str | None = None
) -> DateFindings:
    """Dates, unanchored relative dates, times and durations; longest match first."""
    years = _YearSource(parse_anchor(published))
    taken = Occupied(len(text), blocked or [])
    times = [Span(m.start(), m.end(), m.group(0)) for m in TIMES.finditer(text) if taken.free(m.start(), m.end())]
    durations = [
        Span(m.start(), m.end(), m.group(0)) for m in DURATIONS.finditer(text) if taken.free(m.start(), m.end())
    ]
    for span in (*times, *durations):
        taken.take(span.start, span.end)
    unanchored: list[UnanchoredDate] = []
    for m in UNANCHORED.finditer(text):
        if taken.free(m.start(), m.end()):
            # "over the last year" blocks its preposition but keeps only the time words
            lead = re.match(r"(?:over|in|during|throughout|for|within)\s+", m.group(0), re.I)
            start = m.start() + (lead.end() if lead else 0)
            unanchored.append(UnanchoredDate(Span(start, m.end(), text[start : m.end()]), "period"))
            taken.take(m.start(), m.end())
    windows = _month_windows(text)
    found: list[DateMention] = []
    ranged = _ranges_and_lists(text, windows, taken, years, language)
    found += [d for group in ranged for d in group]
    for m in NIGHT.finditer(text):
        found += _night(text, m, taken, years)
    pending: list[tuple[str, re.Match[str], int, int]] = []
    for kind, pattern in PATTERNS:
        matches = (
            (m for a, b in windows for m in pattern.finditer(text, a, b) if m.end() < b or b == len(text))
            if kind in NEEDS_MONTH
            else pattern.finditer(text)
        )
        for m in matches:
            start, end = m.start(), m.end()
            if kind == "weekday":
                start = m.start("weekday")
            elif kind == "in-month":
                start = m.start("month2")
            if not taken.free(start, end):
                continue
            if kind == "year" and _is_not_a_year(text, start, end):
                continue
            if kind in {"month-day-year", "day-month-year"} and _count_not_year(text, m):
                continue  # "on 3 March 1500 soldiers arrived": 3 March, and a number
            if kind == "month-day" and MONTH_ONLY_LEAD.search(text[max(0, start - 12) : start]):
                continue  # "in October 12 tanks": a month and a count, not October 12
            if kind in {"month-day", "month-day-year"} and _sentence_ends_after_month(text, m):
                continue  # "on 3 March. 3 days later": the full stop ends the sentence, "3" starts the next
            if kind not in WITH_YEAR:
                pending.append((kind, m, start, end))
                taken.take(start, end)  # resolved below, once the story's years are known
                continue
            resolved = _resolve(kind, m, years, text, language)
            if resolved is not None and mention_problem(resolved[0]):
                resolved = None
            if resolved is None:
                if kind in {"iso", "numeric", "month-day-year", "day-month-year"}:
                    taken.take(start, end)  # "31 February 2024" is impossible, not February 2024
                continue
            taken.take(start, end)
            span = Span(start, end, text[start:end])
            alternative = _swapped(resolved[0]) if kind == "numeric" else None
            found.append(DateMention(resolved[0], resolved[1], span, alternative=alternative))  # type: ignore[arg-type]
    years.story = sorted((d.span.start, _first_day(d.value)) for d in found if d.precision == "day" and not d.relative)
    _story_years(text, ranged, years)
    for kind, m, start, end in pending:
        resolved = _resolve(kind, m, years, text, language)
        if resolved is not None and mention_problem(resolved[0]):
            resolved = None  # "yesterday" of a 1900-01-01 report: before the bounds
        if resolved is None:
            if kind in RELATIVE_KINDS or kind in YEARLESS and years.anchor is None and _could_be(kind, m):
                unanchored.append(UnanchoredDate(Span(start, end, text[start:end]), kind))
            continue
        found.append(DateMention(resolved[0], resolved[1], Span(start, end, text[start:end]), True))  # type: ignore[arg-type]
    found.sort(key=lambda d: d.span.start)
    found, unanchored = _absorb_weekdays(found, unanchored, text)
    found, more = _counted_from_previous(text, found, taken)
    unanchored += more
    unanchored.sort(key=lambda u: u.span.start)
    for item in (*found, *unanchored):
        item.span = _without_full_stop(item.span)
    return DateFindings(found, unanchored, times, durations)


ABBREVIATED_MONTHS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


def _without_full_stop(span: Span) -> Span:
    """ "in early March." ends at "March": the full stop after a month's full name ends the sentence
    (after "Feb." it is the abbreviation's)."""
    word = re.search(r"(\w+)\.$", span.text)
    if word is None or word.group(1).lower() not in MONTHS or word.group(1).lower() in ABBREVIATED_MONTHS:
        return span
    return Span(span.start, span.end - 1, span.text[:-1])


def _sentence_ends_after_month(text: str, m: re.Match[str]) -> bool:
    """A full stop right after a month's full name ("March. 3") ends a sentence; after "Mar." it
    is the abbreviation's."""
    word = m.group("month")
    after = text[m.end("month") : m.end("month") + 1]
    return (word.endswith(".") or after == ".") and word.rstrip(".").lower() not in ABBREVIATED_MONTHS


def _could_be(kind: str, m: re.Match[str]) -> bool:
    """A day or month without a year that some year has ("Jan. 10", "early March"; not "31 February",
    not the verb "may"): kept without a value when nothing gives its year."""
    group = "month" if kind in {"month-day", "day-month"} else "month2"
    if not _month_ok(m, group):
        return False
    day = int(m.group("day")) if group == "month" else None
    return _valid(2024, _month_number(m.group(group)), day)  # a leap year: 29 February exists


def _first_day(value: str) -> date:
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def _day(y: int | None, mo: int, d: int) -> str | None:
    return f"{y:04d}-{mo:02d}-{d:02d}" if y is not None and _valid(y, mo, d) else None


def _ranges_and_lists(
    text: str, windows: list[tuple[int, int]], taken: Occupied, years: _YearSource, language: str | None
) -> list[list[DateMention]]:
    """Ranges and lists of days sharing a month, each as a group: found before single dates, which they contain."""
    out: list[list[DateMention]] = []
    for a, b in windows:
        for pattern in RANGES:
            for m in pattern.finditer(text, a, b):
                out.append(_range(text, m, taken, years))
        for m in DAY_LIST.finditer(text, a, b):
            out.append(_day_list(text, m, taken, years))
    return [group for group in out if group]


def _story_years(text: str, ranged: list[list[DateMention]], years: _YearSource) -> None:
    """Ranges and lists without a year ("du 3 au 6 mars", "les 3 et 4 mars") are found before the
    story's dated days are known; once they are, each takes the story's year from its last day,
    as single days do."""
    for group in ranged:
        if not all(d.relative and d.precision == "day" for d in group):
            continue
        last = max(_first_day(d.value_end or d.value) for d in group)
        year = years.year(last.month, last.day, group[0].span.start, _ahead(text, group[0].span.start))
        if year is None or year == last.year:
            continue
        try:
            shifted = [[_first_day(v).replace(year=_first_day(v).year + year - last.year).isoformat() if v else None
                        for v in (d.value, d.value_end)] for d in group]
        except ValueError:
            continue  # 29 February in a year without one
        if any(v and mention_problem(v) for pair in shifted for v in pair):
            continue
        for d, (value, value_end) in zip(group, shifted, strict=True):
            d.value, d.value_end = value, value_end


def _range(text: str, m: re.Match[str], taken: Occupied, years: _YearSource) -> list[DateMention]:
    g = m.groupdict()
    start = m.start("open") if g.get("open") else m.start()
    if not taken.free(start, m.end()):
        return []
    words = [w for w in (g.get("m1"), g.get("m2")) if w]
    if not words or not all(_word_ok(w) for w in words):
        return []
    joint = text[m.end("d1") : m.start("d2")].lower()
    if ("and" in joint or " et " in joint) and not g.get("open"):
        return []  # "7 and 8 January" is a list of days (see DAY_LIST), "between 7 and 8 January" a range
    m2 = _month_number(g["m2"]) if g.get("m2") else _month_number(g["m1"])
    m1 = _month_number(g["m1"]) if g.get("m1") else m2
    d1, d2 = int(g["d1"]), int(g["d2"])
    y2 = int(g["y2"]) if g.get("y2") else (int(g["y1"]) if g.get("y1") else None)
    if y2 is None:
        y2 = years.year(m2, d2, m.start(), _ahead(text, m.start()))
    if y2 is None:
        return []
    y1 = int(g["y1"]) if g.get("y1") else (y2 - 1 if m1 > m2 else y2)  # "12 to 10 February" is no range
    first, last = _day(y1, m1, d1), _day(y2, m2, d2)
    if first is None or last is None or first >= last or mention_problem(first) or mention_problem(last):
        return []
    taken.take(start, m.end())
    end_start = m.start("m2") if g.get("m2") and m.start("m2") < m.start("d2") else m.start("d2")
    whole = Span(start, m.end(), text[start : m.end()])
    tail = Span(end_start, m.end(), text[end_start : m.end()])
    relative = not (g.get("y1") or g.get("y2"))
    return [DateMention(first, "day", whole, relative, value_end=last), DateMention(last, "day", tail, relative)]


def _day_list(text: str, m: re.Match[str], taken: Occupied, years: _YearSource) -> list[DateMention]:
    if not taken.free(m.start(), m.end()) or not _month_ok(m, "month"):
        return []
    month = _month_number(m.group("month"))
    days = [int(x) for x in re.findall(r"\d+", m.group("days"))] + [int(m.group("day"))]
    year = int(m.group("year")) if m.group("year") else years.year(month, days[-1], m.start(), _ahead(text, m.start()))
    values = [_day(year, month, d) for d in days]
    if any(v is None or mention_problem(v) for v in values) or len(set(values)) != len(values):
        return []
    taken.take(m.start(), m.end())
    relative = not m.group("year")
    out = []
    for number, value in zip(re.finditer(r"\d+", m.group("days")), values[:-1], strict=True):
        at, end = m.start("days") + number.start(), m.start("days") + number.end()
        out.append(DateMention(value, "day", Span(at, end, text[at:end]), relative))  # type: ignore[arg-type]
    last = Span(m.start("day"), m.end(), text[m.start("day") : m.end()])
    out.append(DateMention(values[-1], "day", last, relative))  # type: ignore[arg-type]
    return out


def _night(text: str, m: re.Match[str], taken: Occupied, years: _YearSource) -> list[DateMention]:
    """ "la nuit du 13 au 14": the month and year of the latest such night, from the story or publication."""
    if not taken.free(m.start(), m.end()):
        return []
    d1, d2 = int(m.group("d1")), int(m.group("d2"))
    reference = years.context(m.start()) or years.anchor
    if reference is None or d2 != d1 + 1:
        return []
    month, year = reference.month, reference.year
    if years.anchor is not None and (year, month, d2) > (years.anchor.year, years.anchor.month, years.anchor.day):
        month, year = (12, year - 1) if month == 1 else (month - 1, year)
    first, last = _day(year, month, d1), _day(year, month, d2)
    if first is None or last is None:
        return []
    taken.take(m.start(), m.end())
    span = Span(m.start(), m.end(), m.group(0))
    return [
        DateMention(first, "day", span, True, value_end=last),
        DateMention(last, "day", Span(m.start("d2"), m.end(), text[m.start("d2") : m.end()]), True),
    ]


def _absorb_weekdays(
    found: list[DateMention], unanchored: list[UnanchoredDate], text: str
) -> tuple[list[DateMention], list[UnanchoredDate]]:
    """ "Tuesday, Jan. 10, 2023", "le samedi 20 juillet": the weekday names the date after it, not
    another day counted back from publication (nor, without one, a day left unknown)."""
    weekdays: dict[int, DateMention | UnanchoredDate] = {u.span.end: u for u in unanchored if u.kind == "weekday"}
    weekdays.update({d.span.end: d for d in found if d.span.text.lower() in WEEKDAYS})
    absorbed: set[int] = set()
    for d in found:
        if d.precision != "day" or d.span.text.lower() in WEEKDAYS:
            continue
        gap = re.search(r",?\s+(?:the\s+|le\s+)?$", text[max(0, d.span.start - 8) : d.span.start])
        weekday = weekdays.get(d.span.start - len(gap.group(0))) if gap else None
        if weekday is not None:
            absorbed.add(id(weekday))
            d.span = Span(weekday.span.start, d.span.end, text[weekday.span.start : d.span.end])
    return [d for d in found if id(d) not in absorbed], [u for u in unanchored if id(u) not in absorbed]


def _counted_from_previous(
    text: str, found: list[DateMention], taken: Occupied
) -> tuple[list[DateMention], list[UnanchoredDate]]:
    """ "the following day", "deux jours plus tard": a day counted from the previous day in the text."""
    dated = list(found)
    unanchored: list[UnanchoredDate] = []
    for m in FOLLOWING.finditer(text):
        if not taken.free(m.start(), m.end()):
            continue
        span = Span(m.start(), m.end(), m.group(0))
        days = [d for d in dated if d.precision == "day" and d.span.end <= m.start()]
        if m.group("next"):
            offset = 1
        elif m.group("before"):
            offset = -1
        else:
            count = m.group("n").lower()
            number = int(count) if count.isdigit() else NUMBER_WORDS[count]
            unit = 7 if m.group("unit").lower().startswith(("week", "semaine")) else 1
            sign = 1 if " ".join(m.group("dir").lower().split()) in {"later", "plus tard", "après"} else -1
            offset = sign * number * unit
        if not days:
            unanchored.append(UnanchoredDate(span, "following-day"))
            continue
        base = max(days, key=lambda d: d.span.end)
        value = (_first_day(base.value_end or base.value) if offset > 0 else _first_day(base.value)) + timedelta(
            days=offset
        )
        if mention_problem(value.isoformat()):
            continue
        taken.take(m.start(), m.end())
        dated.append(DateMention(value.isoformat(), "day", span, True))
    dated.sort(key=lambda d: d.span.start)
    return dated, unanchored


COUNT_NOUN = re.compile(
    r"(?<!\s)\s*+(?:troops|soldiers|men|vehicles|tanks|km|kilomet|people|fighters|units|"
    r"tonnes|tons|graduates|recruits|personnel|civilians|refugees|sorties|"
    r"soldats|militaires|hommes|véhicules|chars|blindés|engins|personnes|combattants|civils|réfugiés)",
    re.I,
)  # linear even under finditer (bench/regex_audit.py)


def _count_not_year(text: str, m: re.Match[str]) -> bool:
    """Four digits after a day and month that are not a plausible year but a count."""
    year = int(m.group("year"))
    return not 1900 <= year <= 2099 and bool(COUNT_NOUN.match(text, m.end("year")))


def _is_not_a_year(text: str, start: int, end: int) -> bool:
    """Numbers like "2000 soldiers" or "the 2023 tranche of 1,500" need a year-ish context;
    "les années 1980" is a decade."""
    before = text[max(0, start - 12) : start].lower()
    if COUNT_NOUN.match(text, end):
        return True
    if DECADE_BEFORE.search(before) or APPROXIMATE_BEFORE.search(before):
        return True
    return bool(re.search(r"[$€£]\s*$|\d[,.]\s*$", before))
