"""Folding keeps offsets: one output character per input character."""

from orbat.normalize import alias_variants, fold, is_case_sensitive


def test_fold_keeps_length_and_matches_lookalikes():
    for text in ["Т-72Б3", "Goïta", "KamAZ–4385", "Côte d’Ivoire", "ﬁ", "İstanbul"]:
        assert len(fold(text)) == len(text)
    assert fold("Т-72Б3") == "t-72b3"
    assert fold("KamAZ–4385") == "kamaz-4385"


def test_separator_variants_but_not_spurious_spaces():
    assert {"kamaz 4385", "kamaz4385", "kamaz-4385"} <= alias_variants("KamAZ-4385")
    assert "btr 80 a" not in alias_variants("BTR-80A")
    assert "capmali" not in alias_variants("Cap Mali")


def test_acronyms_keep_their_case():
    assert is_case_sensitive("US") and is_case_sensitive("FAMa") and is_case_sensitive("CSIS")
    assert not is_case_sensitive("Mali") and not is_case_sensitive("T-72B3")
