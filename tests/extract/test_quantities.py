"""Quantities attach to the system they count, with ACLED's values for vague words."""

import pytest

from orbat.extract.quantities import quantity_before, single_before, whole_of


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
    ("jusqu'à 30 ", (None, 30, True)),
    ("Jusqu'à 30 ", (None, 30, True)),
])
def test_quantity_words(text, expected):
    q = quantity_before(text + "T-72B3", len(text))
    assert q is not None
    assert (q.min, q.max, q.approximate) == expected


def test_no_quantity_from_designations_or_dates():
    for text in ("BTR-80/", "in 2023 ", "the ", "T-"):
        assert quantity_before(text + "BMP-3", len(text)) is None


def before_system(words: str):
    text = f"{words}T-72B3 tanks arrived."
    return quantity_before(text, text.index("T-72B3"))


@pytest.mark.parametrize(("words", "expected"), [
    ("a dozen ", (12, 12)), ("several ", (3, 3)), ("a few ", (3, 3)), ("a handful of ", (3, 3)),
    ("a number of ", (3, 3)), ("numerous ", (3, 3)), ("dozens of ", (12, None)), ("scores of ", (20, None)),
    ("hundreds of ", (100, None)), ("plusieurs ", (3, 3)), ("quelques ", (3, 3)), ("une douzaine de ", (12, 12)),
    ("des dizaines de ", (12, None)), ("des centaines de ", (100, None)),
])
def test_every_vague_word_takes_its_acled_value(words, expected):
    """Plural tens and hundreds ("des dizaines de") are open-ended; "several" or "a dozen" are not."""
    q = before_system(words)
    assert q is not None and (q.min, q.max, q.approximate) == (*expected, True)


def test_zero_is_not_a_count():
    assert before_system("0 ") is None and before_system("0 dozen ") is None


def test_a_count_never_crosses_a_line_break():
    assert before_system("Officials counted twelve\n") is None
    text = "Officials counted\nseven\n\nT-72B3 tanks arrived."
    assert quantity_before(text, text.index("T-72B3")) is None
    assert before_system("The first line.\nSeven ").min == 7  # a count on the system's own line still counts


def test_a_french_article_is_not_a_count():
    text = "Les images montrent un T-72B3 à Bamako."
    assert quantity_before(text, text.index("T-72B3")) is None


def test_a_long_run_of_fillers_keeps_the_whole_count():
    q = before_system("Reports said at least five newly modernised upgraded additional ")
    assert q is not None and (q.min, q.max, q.text) == (5, None, "at least five")


def test_one_of_the_fourteen_counts_one():
    """"one of the 14 Challenger 2 tanks" was lost: the fact is about one tank, not fourteen."""
    text = "confirmed that one of the 14 Challenger 2 tanks"
    q = quantity_before(text, text.index("Challenger"))
    assert (q.min, q.max) == (1, 1)
    text = "Deux des huit Rafale"
    q = quantity_before(text, text.index("Rafale"))
    assert (q.min, q.max) == (2, 2)
    text = "Britain sent 14 Challenger 2 tanks"
    q = quantity_before(text, text.index("Challenger"))
    assert (q.min, q.max) == (14, 14)


def test_the_first_few_of_a_larger_total_count_the_few():
    text = "The first 14 of 116 used M1A1 Abrams tanks arrived at the port."
    quantity = quantity_before(text, text.index("M1A1"))
    assert quantity is not None and (quantity.min, quantity.max) == (14, 14)
    text = "a batch of 12 Rafale fighters"
    quantity = quantity_before(text, text.index("Rafale"))
    assert quantity is not None and (quantity.min, quantity.max) == (12, 12)


def test_an_english_article_before_a_named_system_counts_one():
    def one(text: str, name: str):
        start = text.index(name)
        return single_before(text, start, start + len(name))

    for text, name, article in (
        ("An Air Force C-17 Globemaster III and a C-130 Hercules prepare for takeoff.", "C-17 Globemaster III", "An"),
        ("An Air Force C-17 Globemaster III and a C-130 Hercules prepare for takeoff.", "C-130 Hercules", "a"),
        ("the delivery of this C-130 aircraft", "C-130", "this"),
    ):
        quantity = one(text, name)
        assert quantity is not None and (quantity.min, quantity.max, quantity.approximate) == (1, 1, False)
        assert quantity.text == article  # the words quoted as the count
    assert one("Poland signed a Patriot battery contract.", "Patriot") is None
    assert one("Israel placed an F-35 order.", "F-35") is None
    assert one("which is a HIMARS Rapid Infiltration drill", "HIMARS") is None
    assert one("the C-130 landed", "C-130") is None


def test_an_article_on_an_earlier_line_counts_nothing():
    """A heading's last letter ("Annex A") is no article of the system named on the next line."""
    text = "Deliveries to Niger, 2024\nAnnex A\nC-130 Hercules transport aircraft"
    start = text.index("C-130")
    assert single_before(text, start, start + len("C-130 Hercules")) is None
    assert single_before("Annex A C-130 Hercules", 8, 22) is not None  # on one line, the same letter counts


def test_a_french_article_before_a_category_noun_counts_exactly_one():
    """"un char Leclerc", "une frégate Aquitaine": the article counts one of the category the noun names."""
    text = "Du côté français, un char Leclerc et une frégate Aquitaine ont participé."
    for noun, article in (("char", "un"), ("frégate", "une")):
        q = quantity_before(text, text.index(noun))
        assert q is not None and (q.min, q.max, q.approximate, q.text) == (1, 1, False, article)
    text = "Une frégate Aquitaine est arrivée."
    assert quantity_before(text, text.index("Aquitaine")) is None  # the count sits on the noun, not the name


def test_a_part_of_a_total_counts_the_part_and_an_order_can_read_the_total():
    """"the first 14 of 116 tanks": a delivery counts 14, an order (`whole_of`) the 116 bought."""
    for text, name, part, total in (
        ("The first 14 of 116 used M1A1 Abrams tanks arrived.", "M1A1", (14, "14 of 116"), (116, "116")),
        ("Two of its twelve Rafale jets landed.", "Rafale", (2, "Two of its twelve"), (12, "twelve")),
        ("L'un des huit Rafale a atterri.", "Rafale", (1, "L'un des huit"), None),
        ("Deux des huit Rafale ont atterri.", "Rafale", (2, "Deux des huit"), None),
    ):
        q = quantity_before(text, text.index(name))
        assert q is not None and (q.min, q.max, q.approximate, q.text) == (part[0], part[0], False, part[1]), text
        whole = whole_of(q)
        if total is None:
            assert whole is None, text  # "des": the total is not read
        else:
            assert whole is not None and (whole.min, whole.max, whole.approximate, whole.text) == (
                total[0], total[0], False, total[1]), text
    text = "Poland ordered 116 M1A1 Abrams tanks."
    assert whole_of(quantity_before(text, text.index("M1A1"))) is None  # no part, no separate total
