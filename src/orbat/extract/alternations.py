"""Word lists as regex alternations grouped by first letter: "A(?:fghan|lgerian)|B(?:ritish)|…".

`re` tries a plain alternation's words one by one at every position of the text; grouped, it
tests one letter per group and enters only the group that can match. Matches are the same: words
with different first letters never match at one place, and each group keeps its words' order
(callers sort longest first). With `ignore_case`, letters that differ only in case share a group,
as they match the same text under `re.I`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def first_letter_alternation(words: Iterable[str], ignore_case: bool = False, flexible_blanks: bool = False) -> str:
    """The grouped alternation of `words`, in their order; `flexible_blanks` lets a space match any run of blanks."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0].lower() if ignore_case else word[0], []).append(word)

    def tail(word: str) -> str:
        escaped = re.escape(word[1:])
        return escaped.replace(r"\ ", r"\s+") if flexible_blanks else escaped

    return "|".join(re.escape(group[0][0]) + "(?:" + "|".join(map(tail, group)) + ")" for group in groups.values())
