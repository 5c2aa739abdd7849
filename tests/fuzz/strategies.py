"""Hypothesis strategies for hostile reports, shared by the property tests and bench/fuzz.py.

Texts are built from pieces a report is made of (systems, counts, places, dates, names,
acronyms) mixed with what breaks parsers (huge numbers, impossible or extreme dates, markup,
invisible, confusable and direction characters, lone surrogates, long words), so the fuzzer
reaches the extractor's real paths instead of spending its budget on noise it rejects early.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

SYSTEMS = ["T-72B3", "Т-72Б3", "\u03a4-72B3", "T-72B3\ufe0f", "T-7\u180e2B3", "Su-24", "MiG-29", "Bayraktar TB2",
           "BM-21 Grad", "Pantsir-S1", "M1A1 Abrams", "HIMARS", "Leopard 2A6", "Mi-24", "Akinci", "Zorg-9", "XQ-58A"]
PLACES = ["Gao", "Mali", "Bamako", "Kidal", "Niamey", "Jufra", "al-Watiya", "Tripoli", "Kherson", "Paris",
          "Alexandria", "Base 101", "Hmeimim", "Chad", "Sudan", "Port Sudan"]
ACTORS = ["Russia", "Turkey", "Wagner Group", "Africa Corps", "the Malian army", "FAMa", "Ukraine", "the US",
          "the Ministry of Defence (MoD)", "General Ahmed Diallo", "Tasnim news agency"]
VERBS = ["delivered", "deployed", "was spotted with", "lost", "ordered", "withdrew", "may have sent", "denied sending",
         "received", "displayed", "moved", "transferred"]
COUNTS = ["12", "a dozen", "dozens of", "99999999999999999999999", "9223372036854775808", "-5", "0", "1,500",
          "two", "at least 30", "between 4 and 6", "1e30", "NaN", "10000001", "three hundred"]
DATES = ["on 3 January 2025", "in early March", "last Tuesday", "yesterday", "on 31 Feb 2024", "on 1 January 9999",
         "on 0001-01-01", "in 1899", "on 02-03-2024", "on 2025-02-30", "in 2031", "on 17 January", "in 1066",
         "on 29 February 2023", "next year", "on 9999-12-31"]
NOISE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "]]>", "&amp;", "\u202e", "\u202c", "\u200b",
         "\u3164", "\ufeff", "\x00", "\x07", "\r\n", "\n\n", "...", "?!", "(", ")", "\"", "'", "«", "»", "—",
         "A" * 300, "Ab" * 150, "A-" * 150, "." * 200, " " * 200, "1" * 60, "'s", "/", "\\", "%s", "{}"]
PUBLISHED = [None, "2025-01-21", "9999-12-31", "0001-01-01", "2025-02-30", "yesterday", "2025", "2025-13",
             "1900-01-01", "2100-01-01", "", "banana"]


def _sentence(parts: tuple) -> str:
    actor, verb, count, system, place, date = parts
    return f"{actor} {verb} {count} {system} to {place} {date}."


sentences = st.tuples(st.sampled_from(ACTORS), st.sampled_from(VERBS), st.sampled_from(COUNTS),
                      st.sampled_from(SYSTEMS), st.sampled_from(PLACES), st.sampled_from(DATES)).map(_sentence)
pieces = st.one_of(sentences, st.sampled_from(SYSTEMS + PLACES + ACTORS + COUNTS + DATES + NOISE),
                   st.text(max_size=30), st.integers(-(10**30), 10**30).map(str))
texts = st.lists(pieces, min_size=0, max_size=12).flatmap(
    lambda items: st.sampled_from([" ", "\n", "", ". ", "\n\n"]).map(lambda sep: sep.join(items)))
published = st.sampled_from(PUBLISHED)


def _html(body: str, wrap: str) -> str:
    return wrap.replace("BODY", body)


html_pages = st.tuples(texts, st.sampled_from([
    "BODY", "<p>BODY</p>", "<html><body><article><p>BODY</p></article></body></html>",
    "<html><head><title>BODY</title><script>var x='T-90';</script></head><body><div>BODY</div></body></html>",
    "<div><div><span>BODY</span></div></div><style>p{}</style>", "<table><tr><td>BODY</td></tr></table>",
    "<!-- BODY --><p>BODY", "<p onclick='alert(1)'>BODY<iframe src='http://x'>BODY</iframe></p>",
])).map(lambda pair: _html(*pair))


@st.composite
def jsonl_lines(draw) -> bytes:
    """One corpus line: a JSON object (sometimes broken, or with a lone surrogate escaped in it)."""
    item: dict = {}
    if draw(st.booleans()):
        item["text"] = draw(texts)
    else:
        item["html"] = draw(html_pages)
    for key in ("id", "title", "publisher", "url", "published", "language"):
        if draw(st.booleans()):
            item[key] = draw(st.one_of(st.sampled_from([p for p in PUBLISHED if p]), texts,
                                       st.integers(-(10**20), 10**20), st.none()))
    line = json.dumps(item)
    mutation = draw(st.sampled_from(["none", "none", "none", "surrogate", "truncate", "array", "nul"]))
    if mutation == "surrogate":
        line = line.replace('"}', '\\ud800"}', 1) if '"}' in line else line
    elif mutation == "truncate":
        line = line[: max(1, len(line) // 2)]
    elif mutation == "array":
        line = f"[{line}]"
    elif mutation == "nul":
        line = line.replace('"text": "', '"text": "\\u0000', 1)
    return line.encode("utf-8", "surrogatepass")
