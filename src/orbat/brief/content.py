"""What a brief says, as plain dataclasses: built by `orbat.brief.gather`, drawn and rendered later.

Sections are tables of strings because the three output formats (Markdown, HTML, PDF) share one
Jinja2 template that only lays out what is here; every word of a finding is decided in Python,
where it can be tested, and every string that came from a source stays a plain string so each
format escapes it its own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from orbat.brief.certainty import ScaleRow


@dataclass(slots=True)
class TableRow:
    cells: list[str]
    notes: list[int] = field(default_factory=list)  # numbers of the source notes behind the row


@dataclass(slots=True)
class Table:
    headers: list[str]
    rows: list[TableRow]
    caption: str | None = None  # a group heading ("main battle tank")


@dataclass(slots=True)
class Section:
    key: str  # new | equipment | infrastructure | routes | operators | disagreements
    title: str
    intro: str | None = None
    tables: list[Table] = field(default_factory=list)
    empty: str = "Nothing reported."

    @property
    def has_rows(self) -> bool:
        return any(t.rows for t in self.tables)


@dataclass(slots=True)
class SourceNote:
    """One numbered note: where a sentence the brief relies on was published, and the sentence."""

    number: int
    publisher: str | None
    published: str | None
    url: str | None
    title: str | None
    sentence: str
    certainty: str


@dataclass(slots=True)
class MapSystem:
    """One system seen at a place: drawn as one symbol, listed with its count."""

    name: str
    group: str  # its equipment class (or the event, for a sighting with no system)
    count: str = ""  # "at least 5 to 7", "5", "" when no source gave a figure
    certainty: str = "reported"


@dataclass(slots=True)
class MapPoint:
    name: str
    lat: float
    lon: float
    kind: str  # observation | installation | town
    label: str = ""
    weight: int = 1  # independent sources behind an observation point
    systems: list[MapSystem] = field(default_factory=list)


@dataclass(slots=True)
class MapStop:
    name: str
    lat: float | None
    lon: float | None


@dataclass(slots=True)
class MapRoute:
    stops: list[MapStop]  # origin(s) first, then transit, destination last
    label: str
    hedged: bool = False  # its weakest leg is at most "roughly even chance": drawn dashed
    by_sea: list[bool] = field(default_factory=list)  # per leg (stop i to i+1): sources say by sea


@dataclass(slots=True)
class MapData:
    """What the map shows; the frame is worked out from it when it is drawn."""

    focus: list[str]  # ISO codes of the countries the brief is about
    points: list[MapPoint] = field(default_factory=list)
    references: list[MapPoint] = field(default_factory=list)
    routes: list[MapRoute] = field(default_factory=list)
    unplaced: list[MapSystem] = field(default_factory=list)  # seen in the country, no place given


@dataclass(slots=True)
class TimelineItem:
    label: str
    first: date
    last: date
    certainty: str
    sources: int
    kind: str  # the observation's event group
    event: str = ""  # the event heading it is grouped under ("17 January 2025 · Bamako")
    first_written: str = ""  # the first date at the precision sources gave it ("2021", "2024-10")


@dataclass(slots=True)
class Brief:
    title: str
    subject: str
    since: str | None
    generated: str
    headline: str
    headline_notes: list[int]
    scope: str  # one sentence on what the brief read
    sections: list[Section]
    notes: list[SourceNote]
    scale: tuple[ScaleRow, ...]
    map: MapData
    timeline: list[TimelineItem]
    omitted: int = 0  # observations in scope not read in detail (over the brief's limit)
