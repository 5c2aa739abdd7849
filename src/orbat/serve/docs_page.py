"""`/docs`: the HTTP API described from its own OpenAPI schema, readable offline.

Why not Swagger UI or ReDoc: both load from a CDN, and orbat must work with no network and load
nothing from elsewhere. This page is plain HTML built once from `app.openapi()`: per route its
purpose, a table of parameters (where, type, allowed values, default, description), the body a
write takes, the answers it can give, and, for reads without path parameters, a form that sends
the query (no script: the browser shows the JSON). Every value is escaped.
"""

from __future__ import annotations

import html
from typing import Any

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 64rem; padding: 1rem 1.5rem;
       color: #1d2430; }
h1 { margin: .2rem 0; }
h2 { margin: 2rem 0 .3rem; font-size: 1.15rem; border-top: 1px solid #d6dce4; padding-top: .8rem; }
code { background: #f1f3f6; padding: 0 .25em; border-radius: 3px; }
.method { display: inline-block; min-width: 3.6rem; text-align: center; border-radius: 3px; color: #fff;
          font-size: .8rem;
          padding: 0 .3rem; margin-right: .4rem; background: #2f5d8a; } .method.post { background: #1f6f3a; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: .4rem 0; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #e2e6ec; padding: .2rem .4rem; }
th { background: #e8ecf1; } .required { color: #8a1c14; font-size: .78rem; }
form.try { display: flex; flex-wrap: wrap; gap: .3rem .8rem; align-items: end; background: #f5f7fa; padding: .5rem;
           border-radius: 4px; font-size: .85rem; } form.try label { display: flex; flex-direction: column; }
nav ul { columns: 2; font-size: .9rem; }
"""


REQUIRED = " <span class=required>required</span>"


def _type(schema: dict[str, Any], components: dict[str, Any]) -> str:
    """A parameter's type in words: `string`, `integer (1 … 5000)`, `one of: csv, geojson, kml`."""
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    if "anyOf" in schema:
        kinds = [_type(s, components) for s in schema["anyOf"] if s.get("type") != "null"]
        return " or ".join(kinds) or "any"
    kind = str(schema.get("type", "any"))
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None or high is not None:
        kind += f" ({'' if low is None else low} … {'' if high is None else high})"
    return kind


def _parameters(operation: dict[str, Any], components: dict[str, Any]) -> str:
    rows = []
    for p in operation.get("parameters", []):
        schema = p.get("schema", {})
        default = schema.get("default")
        rows.append(
            "<tr>"
            f"<td><code>{html.escape(p['name'])}</code>"
            f"{REQUIRED if p.get('required') else ''}</td>"
            f"<td>{html.escape(p.get('in', ''))}</td><td>{html.escape(_type(schema, components))}</td>"
            f"<td>{'' if default is None else '<code>' + html.escape(str(default)) + '</code>'}</td>"
            f"<td>{html.escape(p.get('description', ''))}</td></tr>"
        )
    if not rows:
        return ""
    return (
        "<table class=parameters><tr><th>Parameter</th><th>In</th><th>Type</th><th>Default</th>"
        f"<th>Description</th></tr>{''.join(rows)}</table>"
    )


def _body(operation: dict[str, Any], components: dict[str, Any]) -> str:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref")
    if not ref:
        return ""
    schema = components.get(ref.rsplit("/", 1)[-1], {})
    required = set(schema.get("required", []))
    rows = "".join(
        f"<tr><td><code>{html.escape(name)}</code>{REQUIRED if name in required else ''}</td>"
        f"<td>{html.escape(_type(field, components))}</td><td>{html.escape(field.get('description', ''))}</td></tr>"
        for name, field in schema.get("properties", {}).items()
    )
    return (
        f"<p>JSON body{': ' + html.escape(schema['description']) if schema.get('description') else ''}</p>"
        f"<table class=body><tr><th>Field</th><th>Type</th><th>Description</th></tr>{rows}</table>"
    )


def _answers(operation: dict[str, Any]) -> str:
    codes = [
        f"<code>{html.escape(code)}</code> {html.escape(spec.get('description', ''))}"
        for code, spec in operation.get("responses", {}).items()
    ]
    return f"<p>Answers: {'; '.join(codes)}.</p>" if codes else ""


def _default(parameter: dict[str, Any]) -> str:
    """The value a form field starts with: the default, so an untouched number is never sent empty (a 422)."""
    default = parameter.get("schema", {}).get("default")
    return "" if default is None else str(default)


def _form(path: str, operation: dict[str, Any]) -> str:
    """A GET form for a route without path parameters: the browser sends the query and shows the JSON."""
    parameters = operation.get("parameters", [])
    if "{" in path or any(p.get("in") != "query" for p in parameters):
        return ""
    fields = "".join(
        f"<label>{html.escape(p['name'])}<input name='{html.escape(p['name'], quote=True)}' size='10'"
        f" value='{html.escape(_default(p), quote=True)}'></label>"
        for p in parameters
    )
    return (
        f"<form class=try method=get action='{html.escape(path, quote=True)}'>{fields}"
        "<button type=submit>Send</button></form>"
    )


def render(schema: dict[str, Any]) -> str:
    """The whole page, from an OpenAPI document."""
    components = schema.get("components", {}).get("schemas", {})
    toc, sections = [], []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").replace(".", "-")
            summary = operation.get("summary", "")
            toc.append(
                f"<li><a href='#{html.escape(anchor, quote=True)}'>{method.upper()} {html.escape(path)}</a>"
                f" — {html.escape(summary)}</li>"
            )
            description = html.escape(operation.get("description", "")).replace("\n\n", "</p><p>")
            where = f"id='{html.escape(anchor, quote=True)}' data-path='{html.escape(path, quote=True)}'"
            sections.append(
                f"<section class=route {where}>"
                f"<h2><span class='method {method}'>{method.upper()}</span><code>{html.escape(path)}</code></h2>"
                f"<p>{description}</p>{_parameters(operation, components)}{_body(operation, components)}"
                f"{_answers(operation)}{_form(path, operation)}</section>"
            )
    info = schema.get("info", {})
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>orbat HTTP API</title>"
        f"<meta name=viewport content='width=device-width, initial-scale=1'><style>{STYLE}</style></head><body>"
        f"<h1>orbat HTTP API <small>{html.escape(str(info.get('version', '')))}</small></h1>"
        f"<p>{html.escape(info.get('description', ''))}</p>"
        "<p>Reads from this machine need no token; from elsewhere, and for every write, send "
        "<code>Authorization: Bearer &lt;token&gt;</code> (<code>orbat token create</code>), never a token in the "
        "address. Lists take <code>limit</code> (default 500, at most 5000) and <code>offset</code> and answer with "
        "<code>total</code>. A filter value outside its vocabulary answers 422 with the allowed values. "
        "Machine-readable schema: <a href='/openapi.json'>/openapi.json</a>.</p>"
        f"<nav><h2>Routes</h2><ul>{''.join(toc)}</ul></nav>{''.join(sections)}</body></html>"
    )
