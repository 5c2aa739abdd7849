"""Quantities attach to the system they count, with ACLED's values for vague words."""

import pytest

from orbat.extract.quantities import quantity_before


@pytest.mark.parametrize(("text", "expected"), [
    ("seven ", (7, 7, False)),
    ("at least five ", (5, None, False)),
    ("over 50 ", (51, None, True)),
    ("a dozen ", (12, 12, True)),
    ("several ", (3, 3, True)),
    ("dozens of ", (12, None, True)),
    ("hundreds of ", (100, None, True)),
    ("10 to 12 ", (10, 12, False)),
    ("about 20 new ", (20, 20, True)),
    ("up to 30 ", (None, 30, True)),
    ("1,200 ", (1200, 1200, False)),
    ("sept ", (7, 7, False)),
    ("au moins cinq ", (5, None, False)),
])
def test_quantity_words(text, expected):
    q = quantity_before(text + "T-72B3", len(text))
    assert q is not None
    assert (q.min, q.max, q.approximate) == expected


def test_no_quantity_from_designations_or_dates():
    for text in ("BTR-80/", "in 2023 ", "the ", "T-"):
        assert quantity_before(text + "BMP-3", len(text)) is None
