"""Dates in text, anchored on the publication date, with the precision the text gives.

"January 19" in a report published 2025-01-21 is 2025-01-19; "October 2024" stays a month;
"on Tuesday" is resolved only when the publication date is known. Designations ("T-72",
"4385"), times ("9:03") and impossible dates ("31 February") are never dates.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from orbat.extract.spans import Occupied
from orbat.model import DateMention, Span
from orbat.validate import MENTION_MAX, in_bounds, mention_problem

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
            "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}

_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_MONTH2 = "(?P<month2>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})(?![\d-])"
#: Any four digits after a day and a month: "1 January 9999" is an impossible date, not 1 January.
_ANY_YEAR = r"(?P<year>\d{4})(?![\d-])"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\w-])(?P<year>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<day>[0-3]\d)(?![\w-])")),
    ("month-day-year", re.compile(rf"(?<![\w-]){_MONTH}\s+{_DAY},?\s+{_ANY_YEAR}", re.I)),
    ("day-month-year", re.compile(rf"(?<![\w-]){_DAY}\s+{_MONTH},?\s+{_ANY_YEAR}", re.I)),
    ("month-day", re.compile(rf"(?<![\w-]){_MONTH}\s+{_DAY}(?![\d:,]*\d{{4}})(?![\w:])", re.I)),
    ("day-month", re.compile(rf"(?<![\w-]){_DAY}\s+{_MONTH}(?![\w])", re.I)),
    ("part-month-year", re.compile(rf"(?<![\w-])(?P<part>early|mid|late|début|fin|mi)[\s-]+{_MONTH2}\s+{_YEAR}", re.I)),
    ("part-month", re.compile(rf"(?<![\w-])(?P<part>early|mid|late|début|fin|mi)[\s-]+{_MONTH2}(?![\w])", re.I)),
    ("month-year", re.compile(rf"(?<![\w-]){_MONTH2}\s+(?:of\s+)?{_YEAR}", re.I)),
    ("in-month", re.compile(rf"\b(?:in|since|until|during|by|en|depuis|of)\s+{_MONTH2}(?![\w-])", re.I)),
    ("year", re.compile(r"(?<![\w/.-])(?P<year>(?:19|20)\d{2})(?![\w/-])")),
    ("relative-day", re.compile(r"\b(?P<rel>yesterday|today|hier|aujourd'hui)\b", re.I)),
    ("weekday", re.compile(r"\b(?P<weekday>[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|[Ff]riday|[Ss]aturday|"
                           r"[Ss]unday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b")),
    ("relative-period", re.compile(r"\b(?P<period>last month|earlier this month|this month|last year|this year|"
                                   r"earlier this year|le mois dernier|l'année dernière|l'an dernier|cette année|"
                                   r"ce mois-ci)\b", re.I)),
]

CAPITALISED_MONTHS = {"may", "mar", "jun", "jan", "dec", "aug", "oct", "sept", "sep", "nov", "feb", "apr", "jul"}


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


def _year_looking_back(month: int, day: int | None, anchor: date | None) -> int | None:
    """A date written without a year is the latest such date not after publication."""
    if anchor is None:
        return None
    year = anchor.year
    if (month, day or 1) > (anchor.month, anchor.day):
        year -= 1
    return year


def _month_ok(match: re.Match[str], group: str) -> bool:
    """Short or ambiguous month words ("May", "Mar") count only when capitalised."""
    word = match.group(group).rstrip(".")
    return word.lower() not in CAPITALISED_MONTHS or word[:1].isupper()


def _resolve(kind: str, m: re.Match[str], anchor: date | None) -> tuple[str, str] | None:
    g = m.groupdict()
    if kind == "iso":
        y, mo, d = int(g["year"]), int(g["m"]), int(g["day"])
        return (f"{y:04d}-{mo:02d}-{d:02d}", "day") if _valid(y, mo, d) else None
    if kind in {"month-day-year", "day-month-year", "month-day", "day-month"}:
        if not _month_ok(m, "month"):
            return None
        mo, d = MONTHS[g["month"].lower().rstrip(".")], int(g["day"])
        y = int(g["year"]) if g.get("year") else _year_looking_back(mo, d, anchor)
        if y is None or not _valid(y, mo, d):
            return None
        return f"{y:04d}-{mo:02d}-{d:02d}", "day"
    if kind in {"part-month-year", "part-month", "month-year", "in-month"}:
        if not _month_ok(m, "month2"):
            return None
        mo = MONTHS[g["month2"].lower().rstrip(".")]
        y = int(g["year"]) if g.get("year") else _year_looking_back(mo, None, anchor)
        return (f"{y:04d}-{mo:02d}", "month") if y and _valid(y, mo) else None
    if kind == "year":
        return (g["year"], "year") if _valid(int(g["year"]), 1) else None
    return _relative(kind, g, anchor)


def _relative(kind: str, g: dict, anchor: date | None) -> tuple[str, str] | None:
    if anchor is None:
        return None  # never "now": without a publication date relative dates stay unresolved
    if kind == "relative-day":
        offset = 1 if g["rel"].lower() in {"yesterday", "hier"} else 0
        return (anchor - timedelta(days=offset)).isoformat(), "day"
    if kind == "weekday":
        back = (anchor.weekday() - WEEKDAYS[g["weekday"].lower()]) % 7
        return (anchor - timedelta(days=back)).isoformat(), "day"
    period = g["period"].lower()
    if "month" in period or "mois" in period:
        first = anchor.replace(day=1)
        target = first - timedelta(days=1) if ("last" in period or "dernier" in period) else first
        return f"{target.year:04d}-{target.month:02d}", "month"
    year = anchor.year - (1 if ("last" in period or "dernière" in period or "dernier" in period) else 0)
    return str(year), "year"


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


MONTH_WORD = re.compile(r"\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b", re.I)
MONTH_ONLY_LEAD = re.compile(r"\b(?:in|en|early|mid|late|début|fin|mi)[\s-]+$", re.I)
NEEDS_MONTH = {"month-day-year", "day-month-year", "month-day", "day-month", "part-month-year", "part-month",
               "month-year", "in-month"}


def _month_windows(text: str) -> list[tuple[int, int]]:
    """Stretches around each month name: the month patterns only need to look there."""
    windows: list[tuple[int, int]] = []
    for m in MONTH_WORD.finditer(text):
        a, b = max(0, m.start() - 16), min(len(text), m.end() + 24)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    return windows


def find_dates(text: str, published: str | None, blocked: list[tuple[int, int]] | None = None) -> list[DateMention]:
    """All dates in `text`, longest match first, skipping spans already taken by designations."""
    anchor = parse_anchor(published)
    taken = Occupied(len(text), blocked or [])
    found: list[DateMention] = []
    windows = _month_windows(text)
    for kind, pattern in PATTERNS:
        matches = (m for a, b in windows for m in pattern.finditer(text, a, b) if m.end() < b or b == len(text)) \
            if kind in NEEDS_MONTH else pattern.finditer(text)
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
            if kind == "month-day" and MONTH_ONLY_LEAD.search(text[max(0, start - 12):start]):
                continue  # "in October 12 tanks": a month and a count, not October 12
            resolved = _resolve(kind, m, anchor)
            if resolved is not None and mention_problem(resolved[0]):
                resolved = None  # "yesterday" of a 1900-01-01 report: before the bounds
            if resolved is None:
                if kind in {"iso", "month-day-year", "day-month-year"}:
                    taken.take(start, end)  # "31 February 2024" is impossible, not February 2024
                continue
            value, precision = resolved
            taken.take(start, end)
            relative = kind in {"relative-day", "weekday", "relative-period", "month-day", "day-month", "in-month",
                                "part-month"}
            found.append(DateMention(value, precision, Span(start, end, text[start:end]), relative))  # type: ignore[arg-type]
    found.sort(key=lambda d: d.span.start)
    return found


COUNT_NOUN = re.compile(r"(?<!\s)\s*+(?:troops|soldiers|men|vehicles|tanks|km|kilomet|people|fighters|units|"
                        r"tonnes|tons)", re.I)  # linear even under finditer (bench/regex_audit.py)


def _count_not_year(text: str, m: re.Match[str]) -> bool:
    """Four digits after a day and month that are not a plausible year but a count."""
    year = int(m.group("year"))
    return not 1900 <= year <= 2099 and bool(COUNT_NOUN.match(text, m.end("year")))


def _is_not_a_year(text: str, start: int, end: int) -> bool:
    """Numbers like "2000 soldiers" or "the 2023 tranche of 1,500" need a year-ish context."""
    before = text[max(0, start - 12):start].lower()
    if COUNT_NOUN.match(text, end):
        return True
    return bool(re.search(r"[$€£]\s*$|\d[,.]\s*$", before))
