"""KML 2.2 for Google Earth: observations with TimeSpans, places and route lines.

Built with lxml, never by string formatting, so `&`, `<` and `]]>` in a scraped name stay text
(RELIABILITY row 17). Two further defences:
- characters XML 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates)
  are removed; lxml would refuse them and no viewer could read them anyway;
- `<description>` is HTML to Google Earth, which decodes the XML text and renders the result,
  so descriptions are built as HTML from HTML-escaped values: a source's `<script>` reaches the
  balloon as the visible text "<script>". Links are written only for http(s) URLs.
Observations without a usable position go to their own folder as placemarks with no geometry
(valid KML), so nothing is silently dropped.
"""

from __future__ import annotations

import html
import re
from typing import Any, BinaryIO

from lxml import etree

from orbat.export.data import DATE, Item, Place, Route, joined, span_text

NS = "http://www.opengis.net/kml/2.2"
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_CLAIMS = 20  # claims quoted per balloon; the rest are counted


def clean(value: Any) -> str:
    """Text XML can hold: None → "", XML-illegal characters removed."""
    return XML_ILLEGAL.sub("", "" if value is None else str(value))


def _sub(parent: etree._Element, tag: str, text: Any = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{NS}}}{tag}", {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        node.text = clean(text)
    return node


def _time_span(parent: etree._Element, first: str | None, last: str | None) -> None:
    """KML accepts YYYY, YYYY-MM and YYYY-MM-DD; anything else is left out rather than guessed."""
    begin, end = (v if v and DATE.match(v) else None for v in (first, last))
    if begin or end:
        span = _sub(parent, "TimeSpan")
        if begin:
            _sub(span, "begin", begin)
        if end:
            _sub(span, "end", end)


def _extended(parent: etree._Element, values: dict[str, Any]) -> None:
    data = _sub(parent, "ExtendedData")
    for name, value in values.items():
        if value not in (None, ""):
            _sub(_sub(data, "Data", name=name), "value", value)


def _link(url: str | None) -> str:
    if url and url.lower().startswith(("http://", "https://")):
        return f' <a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>'
    return ""


def description(item: Item) -> str:
    """The balloon: facts, then each claim's sentence with its source — every value escaped."""
    obs = item.observation
    facts = [("Equipment", obs.equipment_name), ("Class", obs.equipment_class), ("Events", joined(obs.events)),
             ("Place", joined([obs.place_name, obs.country])),
             ("Seen", span_text(obs.first_seen, obs.last_seen, " – ")),
             ("Quantity", span_text(obs.quantity_min, obs.quantity_max)), ("Certainty", obs.certainty_rule),
             ("Operators", joined(item.actors)), ("Suppliers", joined(item.suppliers)),
             ("From", joined(obs.origins)), ("Via", joined(obs.transit)),
             ("Disagreements", joined(f"{d.kind}: {joined(d.values)}" for d in obs.disagreements))]
    lines = [f"<b>{label}</b>: {html.escape(str(value))}" for label, value in facts if value not in (None, "")]
    claims = [f"<li>{html.escape(c.sentence)} — <i>{html.escape(c.publisher or 'unknown source')}</i>"
              f" {html.escape(c.date or c.published or '')} ({html.escape(c.certainty)}){_link(c.url)}</li>"
              for c in item.claims[:MAX_CLAIMS]]
    if len(item.claims) > MAX_CLAIMS:
        claims.append(f"<li>and {len(item.claims) - MAX_CLAIMS} more claims</li>")
    return "<br/>".join(lines) + (f"<ul>{''.join(claims)}</ul>" if claims else "")


def _observation(folder: etree._Element, item: Item) -> None:
    obs = item.observation
    mark = _sub(folder, "Placemark", id=obs.id)
    _sub(mark, "name", joined([obs.equipment_name or obs.equipment_class, obs.place_name or obs.country]))
    _time_span(mark, obs.first_seen, obs.last_seen)
    _sub(mark, "description", description(item))
    _extended(mark, {"observation_id": obs.id, "events": joined(obs.events), "certainty": obs.certainty,
                     "quantity": obs.quantity_headline, "publishers": joined(obs.publishers)})
    if item.point:
        _sub(_sub(mark, "Point"), "coordinates", f"{item.point.lon},{item.point.lat}")


def _place(folder: etree._Element, place: Place) -> None:
    mark = _sub(folder, "Placemark")
    _sub(mark, "name", place.name)
    _time_span(mark, place.first.value if place.first else None, place.last.value if place.last else None)
    _sub(mark, "description", "<br/>".join(html.escape(v) for v in (
        f"{len(place.observation_ids)} observations", joined(place.systems)) if v))
    _sub(_sub(mark, "Point"), "coordinates", f"{place.point.lon},{place.point.lat}")


def _route(folder: etree._Element, route: Route) -> None:
    obs = route.item.observation
    mark = _sub(folder, "Placemark")
    _sub(mark, "name", f"{obs.equipment_name or 'equipment'}: {' → '.join(route.names)}")
    _time_span(mark, obs.first_seen, obs.last_seen)
    rough = joined(p.name for p in route.points if p.precision == "country")
    _sub(mark, "description", html.escape(f"{obs.certainty}; observation {obs.id}"
                                          + (f"; drawn at the country's point for: {rough}" if rough else "")))
    line = _sub(mark, "LineString")
    _sub(line, "tessellate", "1")
    _sub(line, "coordinates", " ".join(f"{p.lon},{p.lat}" for p in route.points))


def document(items: list[Item], places: list[Place], routes: list[Route]) -> etree._Element:
    root = etree.Element(f"{{{NS}}}kml", nsmap={None: NS})
    doc = _sub(root, "Document")
    _sub(doc, "name", "orbat export")
    folders: dict[str, etree._Element] = {}
    for name in ("Observations", "Unlocated observations", "Places", "Routes"):
        folders[name] = _sub(doc, "Folder")
        _sub(folders[name], "name", name)
    for item in items:
        _observation(folders["Observations" if item.point else "Unlocated observations"], item)
    for place in places:
        _place(folders["Places"], place)
    for route in routes:
        if route.points:
            _route(folders["Routes"], route)
    return root


def write(items: list[Item], places: list[Place], routes: list[Route], out: BinaryIO) -> None:
    out.write(etree.tostring(document(items, places, routes), xml_declaration=True, encoding="UTF-8",
                             pretty_print=True))
