"""Briefs: a written analysis drafted from the knowledge base, in Markdown, HTML or PDF.

    scope     → what the brief is about (query answers for a country or a system since a date)
    sections  → the words and tables, citing numbered source notes
    draft     → a `Brief` (content.py) with the map's and timeline's data
    figures   → the map and timeline PNGs (matplotlib, Agg; Natural Earth outlines)
    render    → Markdown / HTML from one Jinja2 template; PDF through `pdf` (WeasyPrint)

`certainty` maps our certainty levels to ICD 203 words and Admiralty credibility. Nothing here
is imported at CLI start-up: matplotlib, Jinja2 and WeasyPrint load only when a brief is drawn.
"""
