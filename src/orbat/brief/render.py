"""Markdown, HTML and PDF from one Jinja2 template, with source text escaped in every format.

`templates/brief.j2` lays out a brief once; each format supplies a layout and a macro file
(`layout.html.j2`/`macros.html.j2`, `layout.md.j2`/`macros.md.j2`). Both environments have
autoescape on, so macro output is `Markup` and never escaped twice; what differs is how a plain
value is escaped before output (RELIABILITY rows 13, 14, 17):

- both: direction overrides and isolates (U+202A–202E, U+2066–2069, marks) are removed, so a
  U+202E in a title cannot reverse the text around it;
- HTML: Jinja's autoescape (`<`, `>`, `&`, quotes), plus a Content-Security-Policy that allows
  no script, no remote image and no remote style even if something slipped through;
- Markdown: `markdown_escape` through the environment's `finalize` — Markdown punctuation gets a
  backslash, `<`, `>`, `&` become entities (so raw HTML is text), control characters and line
  breaks go, and web addresses in source text are defanged (`hxxps://`, `www[.]`) so no renderer
  turns them into links. The only links are source-note URLs that `safe_url` accepts (http or
  https, nothing that could leave the link).

The PDF is the HTML page rendered by WeasyPrint with a fetcher that refuses every non-local URL
(`orbat.brief.pdf`, row 38).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from orbat.atomic import write_file
from orbat.brief.content import Brief

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("md", "html", "pdf")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
#: Direction marks, embeddings, overrides and isolates: a U+202E in a title would display the
#: rest of the line (and, in HTML, neighbouring text) reversed, so source text loses them.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WEB = re.compile(r"(?i)\b(?:(ht)tp(s?)|(f)tp)://")
_WWW = re.compile(r"(?i)\bwww\.")
_AT = re.compile(r"(?<=\w)@(?=\w)")
_MD_PUNCT = re.compile(r"([\\`*_\[\]#|~$])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=>])")


@dataclass(slots=True)
class Figures:
    """The brief's pictures as PNG bytes (None when there is nothing to draw)."""

    map_png: bytes | None
    timeline_png: bytes | None


def draw(brief: Brief) -> Figures:
    """Draw the map and the timeline (matplotlib, Agg) for a brief."""
    from orbat.brief.figures import map_png, timeline_png
    from orbat.merge import parse_day

    return Figures(map_png(brief.map, brief.title), timeline_png(brief.timeline, parse_day(brief.since)))


def _defang(text: str) -> str:
    text = _WEB.sub(lambda m: ("fxp" if m.group(3) else "hxxp" + m.group(2)) + "://", text)
    return _AT.sub("[@]", _WWW.sub("www[.]", text))


def markdown_escape(value: Any) -> Markup:
    """A value as inert Markdown text: one line, no markup, no HTML, no link.

    Markup (a macro's output, a vetted URL) passes unchanged; everything else is escaped.
    """
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    text = " ".join(_CONTROL.sub(" ", _BIDI.sub("", str(value))).split())
    text = _MD_PUNCT.sub(r"\\\1", _defang(text))
    text = _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text)
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def html_finalize(value: Any) -> Any:
    """Plain values in HTML lose bidi controls (autoescape then escapes them); Markup passes."""
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _BIDI.sub("", value)
    return value


def safe_url(value: Any) -> str | None:
    """An http(s) URL with a host and nothing that could end an attribute or a Markdown link."""
    if not value:
        return None
    url = str(value).strip()
    if any(c.isspace() or ord(c) < 32 or c in "<>\"'`\\" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def _markdown_url(value: Any) -> Markup | None:
    url = safe_url(value)
    return Markup(url) if url else None


def environment(fmt: str) -> Environment:
    """The Jinja2 environment of one format; autoescape is on for both."""
    markdown = fmt == "md"
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=markdown_escape if markdown else html_finalize)
    env.filters["safe_url"] = _markdown_url if markdown else safe_url
    return env


def _render(brief: Brief, fmt: str, images: dict[str, Any]) -> str:
    kind = "md" if fmt == "md" else "html"
    template = environment(kind).get_template("brief.j2")
    return template.render(brief=brief, images=images, layout=f"layout.{kind}.j2", macros=f"macros.{kind}.j2")


def data_uri(png: bytes | None) -> str | None:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else None


def render_html(brief: Brief, figures: Figures) -> str:
    """A self-contained HTML page: pictures as data URIs, CSS inline, no script."""
    return _render(brief, "html", {"map": data_uri(figures.map_png), "timeline": data_uri(figures.timeline_png)})


def render_markdown(brief: Brief, image_names: dict[str, str] | None = None) -> str:
    """Markdown; pictures are referenced by the file names given (written beside the output)."""
    names = image_names or {}
    return _render(brief, "md", {k: Markup(_plain_file_name(names[k])) if names.get(k) else None
                                 for k in ("map", "timeline")})


def _plain_file_name(name: str) -> str:
    """Our own picture names, reduced to characters that need no escaping in a Markdown link."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def render_pdf(brief: Brief, figures: Figures, fetcher: Any = None) -> bytes:
    """The HTML page as PDF through WeasyPrint, fetching nothing that is not local."""
    from orbat.brief.pdf import html_to_pdf

    return html_to_pdf(render_html(brief, figures), fetcher)


def write(brief: Brief, fmt: str, output: Path) -> list[Path]:
    """Render and write a brief; Markdown's pictures go beside it. Returns the files written.

    Each file is written whole or not at all (`orbat.atomic`): a full disk leaves no truncated PDF.
    """
    figures = draw(brief)
    if fmt == "pdf":
        write_file(output, render_pdf(brief, figures))
        return [output]
    if fmt == "html":
        write_file(output, render_html(brief, figures))
        return [output]
    written: dict[str, str] = {}
    for key, png in (("map", figures.map_png), ("timeline", figures.timeline_png)):
        if png:
            path = output.with_name(_plain_file_name(f"{output.stem}-{key}.png"))
            write_file(path, png)
            written[key] = path.name
    write_file(output, render_markdown(brief, written))
    return [output, *(output.with_name(n) for n in written.values())]
