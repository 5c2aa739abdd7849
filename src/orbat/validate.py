"""Value bounds: the one check every value passes before it enters the knowledge base.

Why one module: a date of 9999-12-31 in a feed entry, a corpus row or an API post overflowed
merge's date arithmetic and left every query broken for good, because rows are append-only
and nothing could take it back out. Extraction records, reviews, imports and API posts all
come through here, so one rule decides what is storable, and it is decided before anything
is written.

Two ways to use it:
- `check_record` (extraction records from any source): a value out of bounds is dropped with
  a warning on the document, and the rest of the document is kept. One absurd number in an
  article must not cost its other claims.
- `require_*` (values a person typed: CLI options, API fields, reviews): refused with an
  `InvalidValue` that names the value and the bound, so the API answers 422 and the CLI prints
  one line. Nothing is stored.

Bounds: dates 1900-01-01 … today + 1 year (a report can announce next year's deliveries, not
the next millennium's); quantities 0 … 10^7 (more than every tank ever built, and far below the
64-bit integer columns); latitude -90 … 90, longitude -180 … 180, finite. Events, certainties
and actor roles come from the record contract (`shared/schema/extraction.md`).
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from orbat.errors import InvalidValue
from orbat.model import CERTAINTY_ORDER, Claim, CleanDocument, ExtractionRecord, Quantity

DATE_MIN = date(1900, 1, 1)
#: A date a text mentions may lie in the planned future ("64 more will follow between 2028 and
#: 2030"), so mentions keep the calendar's sane range; a date something happened or was published
#: (claims, `published`, reviews: what merge reads) may not lie more than a year ahead.
MENTION_MAX = date(2100, 12, 31)
QUANTITY_MAX = 10**7
EVENTS = frozenset({"deployment", "delivery", "transfer", "transport", "display", "construction",
                    "withdrawal", "loss", "order", "production", "combat", "exercise"})
CERTAINTIES = frozenset(CERTAINTY_ORDER)
ROLES = frozenset({"operator", "supplier", "recipient", "owner", "builder", "source"})
PRECISIONS = frozenset({"day", "month", "year"})

#: ISO 8601 at year, month or day precision, optionally with a time ("2025-01-17T09:03:00Z").
_ISO = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?"
                  r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def date_max(today: date | None = None) -> date:
    """The latest storable date: one year after today (29 February falls back to the 28th)."""
    today = today or date.today()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def parse_iso(value: object) -> date | None:
    """The first day an ISO date at any precision stands for; None if it is not one."""
    if not isinstance(value, str):
        return None
    m = _ISO.fullmatch(value.strip())
    if m is None:
        return None
    try:
        return date(int(m["y"]), int(m["m"] or 1), int(m["d"] or 1))
    except ValueError:
        return None


def date_problem(value: object, today: date | None = None) -> str | None:
    """Why `value` is not a storable date, or None when it is."""
    day = parse_iso(value)
    if day is None:
        return f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
    latest = date_max(today)
    if not DATE_MIN <= day <= latest:
        return f"{value!r} is outside {DATE_MIN.isoformat()} … {latest.isoformat()}"
    return None


def in_bounds(day: date, today: date | None = None) -> bool:
    return DATE_MIN <= day <= date_max(today)


def mention_problem(value: object) -> str | None:
    """Why a date mentioned in a text is no date we keep (see `MENTION_MAX`), or None."""
    day = parse_iso(value)
    if day is None:
        return f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
    if not DATE_MIN <= day <= MENTION_MAX:
        return f"{value!r} is outside {DATE_MIN.isoformat()} … {MENTION_MAX.isoformat()}"
    return None


def quantity_problem(value: object) -> str | None:
    """Why `value` is not a storable count, or None when it is (None itself is fine)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{value!r} is not a whole number"
    if not 0 <= value <= QUANTITY_MAX:
        return f"{value} is outside 0 … {QUANTITY_MAX:,}"
    return None


def coordinates_problem(lat: object, lon: object) -> str | None:
    """Why a point cannot be stored, or None; a point with either part missing has no position."""
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        return "only one of latitude and longitude is given"
    if isinstance(lat, bool) or isinstance(lon, bool) or not isinstance(lat, int | float) \
            or not isinstance(lon, int | float):
        return f"({lat!r}, {lon!r}) are not numbers"
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return f"({lat}, {lon}) is not a finite point"
    if abs(lat) > 90 and abs(lon) <= 90:
        return f"({lat}, {lon}): latitude out of range; latitude and longitude look swapped"
    if abs(lat) > 90 or abs(lon) > 180:
        return f"({lat}, {lon}) is outside latitude -90 … 90, longitude -180 … 180"
    return None


def vocabulary_problem(value: object, allowed: frozenset[str], what: str) -> str | None:
    if value in allowed:
        return None
    shown = value if isinstance(value, str) and len(value) <= 40 else f"{str(value)[:40]}…"
    return f"{what} {shown!r} is not one of {', '.join(sorted(allowed))}"


# --- values typed by a person: refuse ---------------------------------------------------------


def require_date(value: str | None, what: str, today: date | None = None) -> str | None:
    """`value` unchanged when storable (or None), else an `InvalidValue` naming `what`."""
    if value is None:
        return None
    problem = date_problem(value, today)
    if problem:
        raise InvalidValue(f"{what}: {problem}")
    return value


def require_quantity(value: object, what: str) -> object:
    problem = quantity_problem(value)
    if problem:
        raise InvalidValue(f"{what}: {problem}")
    return value


def require_vocabulary(value: object, allowed: frozenset[str], what: str) -> object:
    problem = vocabulary_problem(value, allowed, what)
    if problem:
        raise InvalidValue(problem)
    return value


# --- extraction records: drop the value, keep the document ------------------------------------


def check_record(record: ExtractionRecord, today: date | None = None) -> list[str]:
    """Drop every out-of-bounds value from `record` in place; returns the warnings added.

    The warnings are also appended to the document's own, so they are stored with it and
    printed with the record. Running it twice changes nothing the second time.
    """
    doc = record.document
    found = drop_bad_published(doc, today)
    kept_dates = []
    for mention in record.dates:  # one pass: a dense report has tens of thousands of dates
        if problem := mention_problem(mention.value):
            found.append(f"date {mention.span.text!r} dropped: {problem}")
        else:
            kept_dates.append(mention)
    record.dates[:] = kept_dates
    found += _check_entities(record)
    kept_claims = []
    for number, claim in enumerate(record.claims, start=1):
        problems = _claim_refusals(claim)
        if problems:
            found.append(f"claim {number} dropped: {'; '.join(problems)}")
            continue
        found += [f"claim {number}: {w}" for w in _trim_claim(claim, today)]
        kept_claims.append(claim)
    record.claims[:] = kept_claims
    known = set(doc.warnings)
    for warning in found:
        if warning not in known:
            known.add(warning)
            doc.warnings.append(warning)
    return found


def drop_bad_published(doc: CleanDocument, today: date | None = None) -> list[str]:
    """Drop a publication date that is no date or out of bounds, with a warning on `doc`."""
    if doc.published is None or not (problem := date_problem(doc.published, today)):
        return []
    warning = f"date_unknown: published date dropped: {problem}"
    doc.published = None
    if doc.source.published is not None and date_problem(doc.source.published, today):
        doc.source.published = None
    if warning not in doc.warnings:
        doc.warnings.append(warning)
    return [warning]


def _check_entities(record: ExtractionRecord) -> list[str]:
    found = []
    for entity in record.entities:
        problem = coordinates_problem(entity.lat, entity.lon)
        if problem:
            found.append(f"coordinates of {entity.name!r} dropped: {problem}")
            entity.lat = entity.lon = None
    return found


def _claim_refusals(claim: Claim) -> list[str]:
    """Values without which a claim means nothing: the claim goes, with the reason."""
    problems = [vocabulary_problem(claim.event, EVENTS, "event"),
                vocabulary_problem(claim.certainty, CERTAINTIES, "certainty")]
    problems += [vocabulary_problem(a.role, ROLES, "role") for a in claim.actors]
    return [p for p in problems if p]


def _trim_claim(claim: Claim, today: date | None) -> list[str]:
    """Values a claim can do without: the value goes, the claim stays."""
    found = []
    if claim.date is not None and (problem := date_problem(claim.date, today)):
        found.append(f"date dropped: {problem}")
        claim.date = claim.date_precision = None
    elif claim.date is not None and claim.date_precision not in PRECISIONS:
        claim.date_precision = {4: "year", 7: "month"}.get(len(claim.date), "day")
    for ref in [*claim.equipment, *claim.classes]:
        if ref.quantity is not None and (problem := _quantity_of(ref.quantity)):
            found.append(f"quantity {ref.quantity.text or ''!r} dropped: {problem}")
            ref.quantity = None
    return found


def _quantity_of(quantity: Quantity) -> str | None:
    return quantity_problem(quantity.min) or quantity_problem(quantity.max)


# --- stored rows read back: ignore what an older orbat let in ----------------------------------


class FactBounds:
    """The bounds computed once for a whole read, with a quick test for one fact's values."""

    def __init__(self, today: date | None = None):
        self.today = today
        self.low, self.high = DATE_MIN.isoformat(), date_max(today).isoformat()
        self.dates: dict[str, bool] = {}  # each distinct date text checked once per read

    def fine(self, day: object, published: object, low: object, high: object, lat: object, lon: object) -> bool:
        """True when nothing needs a closer look (the common case, and cheap)."""
        return ((day is None or self._date_fine(day))
                and (published is None or self._date_fine(published))
                and (low is None or (type(low) is int and 0 <= low <= QUANTITY_MAX))
                and (high is None or (type(high) is int and 0 <= high <= QUANTITY_MAX))
                and (lat is None and lon is None or type(lat) is float and type(lon) is float
                     and -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0))  # NaN fails every comparison


    def _date_fine(self, value: object) -> bool:
        """`_date_ok`, remembered per text: a read's facts repeat a few thousand dates at most."""
        if type(value) is not str:
            return _date_ok(value, self.low, self.high, self.today)
        known = self.dates.get(value)
        if known is None:
            known = self.dates[value] = _date_ok(value, self.low, self.high, self.today)
        return known


def storable_fact_values(values: dict[str, Any], today: date | None = None) -> list[str]:
    """Blank out-of-bounds values of one stored fact (a dict of `ClaimFact` fields) in place.

    Databases written before these bounds existed may hold such values; merge and every query
    read around them (with a warning) instead of failing, and nothing stored is rewritten.
    Called once per fact on every read, so the common case (plain ISO dates) takes a fast path.
    """
    low, high = DATE_MIN.isoformat(), date_max(today).isoformat()
    found = []
    for key in ("date", "published"):
        value = values.get(key)
        if value is not None and not _date_ok(value, low, high, today):
            found.append(f"{key} {str(value)[:40]!r}")
            values[key] = None
            if key == "date":
                values["date_precision"] = None
    for key in ("quantity_min", "quantity_max"):
        value = values.get(key)
        if value is not None and quantity_problem(value):
            found.append(f"{key} {value!r}")
            values[key] = None
    lat, lon = values.get("place_lat"), values.get("place_lon")
    if (lat is not None or lon is not None) and coordinates_problem(lat, lon):
        found.append(f"coordinates ({lat!r}, {lon!r})")
        values["place_lat"] = values["place_lon"] = None
    return found


_PADDING = {4: "-01-01", 7: "-01", 10: ""}


def _date_ok(value: object, low: str, high: str, today: date | None) -> bool:
    """`date_problem(value) is None`, without a regex for `YYYY`, `YYYY-MM` and `YYYY-MM-DD`."""
    padding = _PADDING.get(len(value)) if isinstance(value, str) else None
    if padding is None:
        return date_problem(value, today) is None
    day = value + padding
    if not (low <= day <= high and day[4] == "-" and day[7] == "-"):
        return False
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return "W" not in day  # fromisoformat also reads ISO weeks ("2025-W01-1"); we never write them
