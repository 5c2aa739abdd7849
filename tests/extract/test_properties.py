"""Property tests: every quantity wording orbat documents, with any number, and dates that keep
the precision the text gives. Hypothesis runs with a fixed seed (derandomize) so CI is repeatable.

The wordings and their readings are the table in `orbat.extract.quantities`' docstring and
patterns, written out here on their own so the test does not read its expectations from the code:
exact counts are (n, n); "at least n" (n, open); "more than n" (n + 1, open); "about n" (n, n,
approximate); "up to n" (open, n); ranges (smaller, larger) in whichever order they are written;
"n or more" (n, open); "n dozen" 12n; vague words take ACLED's values.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.extract.helpers import extract_text

from orbat.extract.dates import find_dates
from orbat.extract.quantities import quantity_before

FAST = settings(max_examples=200, derandomize=True, deadline=None)
PIPELINE = settings(max_examples=120, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

EN_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
EN_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
           90: "ninety"}
FR_WORDS = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 7: "sept", 8: "huit", 9: "neuf", 10: "dix", 11: "onze",
            12: "douze", 15: "quinze", 20: "vingt", 30: "trente", 50: "cinquante", 100: "cent"}

AT_LEAST = ["at least", "no fewer than", "not less than", "a minimum of"]
MORE_THAN = ["over", "more than", "upwards of", "in excess of"]
ABOUT = ["about", "around", "approximately", "roughly", "some", "nearly", "almost", "close to", "an estimated"]
UP_TO = ["up to"]
RANGES = ["{a} to {b}", "{a}-{b}", "{a} – {b}", "{a}–{b}", "{a} or {b}", "between {a} and {b}"]
FR = {"au moins": "at least", "plus de": "more than", "environ": "about", "près de": "about", "jusqu'à": "up to"}
FR_RANGES = ["{a} à {b}", "{a} ou {b}"]
VAGUE = {"a dozen": (12, 12), "several": (3, 3), "a few": (3, 3), "a handful of": (3, 3), "a number of": (3, 3),
         "numerous": (3, 3), "dozens of": (12, None), "scores of": (20, None), "hundreds of": (100, None),
         "plusieurs": (3, 3), "quelques": (3, 3), "des dizaines de": (12, None), "des centaines de": (100, None)}
FILLERS = ["", "new ", "modernised ", "Russian-made ", "additional ", "upgraded "]
LEADS = ["Reports said", "Officials counted", "Footage showed", "On Monday", "Satellite images revealed",
         "The ministry confirmed that"]


def english(n: int) -> str:
    if n < 20:
        return EN_UNITS[n - 1]
    tens, unit = divmod(n, 10)
    return EN_TENS[tens * 10] + (f"-{EN_UNITS[unit - 1]}" if unit else "")


@st.composite
def numbers(draw: st.DrawFn, low: int = 1, french: bool = False, years: bool = True) -> tuple[int, str]:
    """A count and one way to write it: digits (with thousands commas), or words."""
    how = draw(st.sampled_from(["digits", "words"]))
    if how == "words" and french:
        n = draw(st.sampled_from(sorted(k for k in FR_WORDS if k >= low)))
        return n, FR_WORDS[n]
    if how == "words":
        n = draw(st.integers(max(low, 1), 99))
        return n, english(n)
    n = draw(st.integers(low, 250_000).filter(lambda v: years or not 1900 <= v <= 2099))
    return n, f"{n:,}"


@st.composite
def wordings(draw: st.DrawFn) -> tuple[str, tuple[int | None, int | None, bool]]:
    """One wording of the table, filled with numbers, and the (min, max, approximate) it means."""
    kind = draw(st.sampled_from(["exact", "at least", "more than", "about", "up to", "range", "or more",
                                 "dozen", "vague", "french", "french range"]))
    if kind == "exact":
        n, written = draw(numbers(years=False))
        return written, (n, n, False)
    if kind in {"at least", "more than", "about", "up to"}:
        word = draw(st.sampled_from({"at least": AT_LEAST, "more than": MORE_THAN, "about": ABOUT,
                                     "up to": UP_TO}[kind]))
        n, written = draw(numbers())
        return f"{word} {written}", reading(kind, n)
    if kind == "french":
        word = draw(st.sampled_from(sorted(FR)))
        n, written = draw(numbers(french=True))
        return f"{word} {written}", reading(FR[word], n)
    if kind in {"range", "french range"}:
        shape = draw(st.sampled_from(RANGES if kind == "range" else FR_RANGES))
        if "}-{" in shape or "}–{" in shape:  # a dash between words reads as one number ("twenty-one")
            a, b = draw(st.integers(1, 9999)), draw(st.integers(1, 9999))
            first, second = str(a), str(b)
        else:
            (a, first), (b, second) = draw(numbers(french=kind != "range")), draw(numbers(french=kind != "range"))
        return shape.format(a=first, b=second), (min(a, b), max(a, b), False)
    if kind == "or more":
        n, written = draw(numbers(years=False))
        return f"{written} or more", (n, None, False)
    if kind == "dozen":
        n = draw(st.integers(2, 9))
        return f"{english(n)} dozen", (12 * n, 12 * n, True)
    word = draw(st.sampled_from(sorted(VAGUE)))
    return word, (*VAGUE[word], True)


def reading(kind: str, n: int) -> tuple[int | None, int | None, bool]:
    return {"at least": (n, None, False), "more than": (n + 1, None, True), "about": (n, n, True),
            "up to": (None, n, True)}[kind]


@FAST
@given(wordings(), st.sampled_from(LEADS), st.sampled_from(FILLERS))
def test_every_wording_in_the_table_reads_as_documented(wording, lead, filler):
    words, expected = wording
    text = f"{lead} {words} {filler}T-72B3 tanks arrived in Bamako."
    q = quantity_before(text, text.index("T-72B3"))
    assert q is not None, text
    assert (q.min, q.max, q.approximate) == expected, text
    assert q.text and q.text in text and q.text.startswith(words.split()[0]), text


@FAST
@given(wordings(), st.sampled_from(LEADS))
def test_a_range_never_has_its_minimum_above_its_maximum(wording, lead):
    text = f"{lead} {wording[0]} BMP-3 vehicles were seen."
    q = quantity_before(text, text.index("BMP-3"))
    assert q is not None and (q.min is None or q.max is None or q.min <= q.max), text


def test_the_wordings_the_issue_named():
    for words, expected in [("five or more", (5, None)), ("between 10 and 20", (10, 20)),
                            ("between 20 and 10", (10, 20)), ("12 to 10", (10, 12)), ("at least five", (5, None)),
                            ("over 50", (51, None)), ("twenty-five", (25, 25))]:
        text = f"Officials counted {words} T-72B3 tanks."
        q = quantity_before(text, text.index("T-72B3"))
        assert q is not None and (q.min, q.max) == expected, words


@PIPELINE
@given(wordings(), st.sampled_from(LEADS),
       st.sampled_from(["", "The convoy was filmed on Friday. ", "Officials counted twelve\n",
                        "Ukraine lost 40.\n\n", "Mali received two dozen\n", "They have 300\n"]))
def test_the_quantity_of_a_claim_lies_inside_its_sentence(wording, lead, before):
    """Whatever the text around it, a claim's count comes from the claim's own sentence."""
    text = f"{before}{lead} {wording[0]} T-72B3 tanks arrived in Bamako."
    record = extract_text(text)
    counted = [(item["quantity"], c["sentence"]) for c in record["claims"] for item in c["equipment"]
               if item["quantity"]]
    assert counted, text
    for quantity, sentence in counted:
        start, end = sentence["start"], sentence["end"]
        assert quantity["text"] in text[start:end], (text, quantity, sentence)
        assert quantity["min"] is None or quantity["max"] is None or quantity["min"] <= quantity["max"]


MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
PARTS = ["early", "mid-", "late", "début", "fin", "mi-"]
PERIODS = {"last month": "month", "this month": "month", "earlier this month": "month", "last year": "year",
           "this year": "year", "earlier this year": "year", "le mois dernier": "month", "l'an dernier": "year"}


@st.composite
def partial_dates(draw: st.DrawFn) -> tuple[str, str]:
    """A date the text gives only to the month or the year, and that precision."""
    month = draw(st.integers(1, 12))
    name = draw(st.sampled_from([MONTHS_EN[month - 1], MONTHS_FR[month - 1]]))
    year = draw(st.integers(1995, date.today().year))  # later years are past the value bounds
    part = draw(st.sampled_from(PARTS))
    sep = "" if part.endswith("-") else " "
    shape = draw(st.sampled_from(["month year", "of month year", "part month year", "in month", "part month",
                                  "year", "period"]))
    if shape == "period":
        words = draw(st.sampled_from(sorted(PERIODS)))
        return words, PERIODS[words]
    return {"month year": (f"in {name} {year}", "month"), "of month year": (f"of {name} {year}", "month"),
            "part month year": (f"{part}{sep}{name} {year}", "month"), "in month": (f"in {name}", "month"),
            "part month": (f"{part}{sep}{name}", "month"), "year": (f"in {year}", "year")}[shape]


@FAST
@given(partial_dates(), st.integers(1, 31), st.sampled_from(["tanks", "BMP-3 vehicles", "new drones", "T-72B3s"]),
       st.sampled_from(["{d} {n} {things} arrived.", "{d}, {n} {things} arrived.", "Seen {d}: {n} {things}.",
                        "The {n} {things} seen {d} left.", "{d} {n}"]),
       st.dates(date(2000, 1, 1), date(2026, 11, 30)))  # publication dates the value bounds accept
def test_a_partial_date_never_gains_a_day(phrase, n, things, shape, published):
    """A number next to "in October 2024" or "late March" is a count, never the day of the month."""
    words, precision = phrase
    text = shape.format(d=words, n=n, things=things)
    text = text[0].upper() + text[1:]
    at = text.lower().index(words.lower())
    found = [d for d in find_dates(text, published.isoformat()) if d.span.start < at + len(words) and d.span.end > at]
    assert found, text
    assert all(d.precision == precision and len(d.value) == (7 if precision == "month" else 4) for d in found), \
        (text, [(d.value, d.precision, d.span.text) for d in found])
