"""The first page of observations, sent inside index.html so the map can draw without asking.

Why: the page's symbols waited for its own `/api/observations` request, which could leave only
once a script had arrived and then queued at the server behind a dozen script and style files.
Sending the answer with the page removes that request and its wait; on localhost that wait was
longer than the query itself. The answer is exactly what `GET /api/observations` gives for the
filters in the page's address (the same route function, the same page size), in a
`<script type="application/json">` block, which the browser never runs (the Content-Security-Policy
still allows no inline script). app.js takes it only when the address it would ask for is the
same; otherwise it asks, as before.

Nothing is embedded when the request could not read the API (a server that needs a token: the
page then asks with the analyst's token), when the filters are refused (app.js asks and shows
the 422 like any other answer), or when the query fails (logged; the page still loads, asks, and
shows the error with its Retry button).
"""

from __future__ import annotations

import json
import logging

from fastapi import HTTPException, Request

from orbat.errors import UserError
from orbat.serve import routes
from orbat.serve.auth import reader

#: The filters the page keeps in its address, in the order app.js puts them in its requests.
FILTERS = ("country", "actor", "equipment", "class", "certainty", "since", "until", "q")
ELEMENT_ID = "orbat-first-page"
log = logging.getLogger("orbat.serve")
#: `<`, `>` and `&` written as JSON escapes: a source text holding `</script>` cannot end the block.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def first_page_block(request: Request) -> str | None:
    """`<script type="application/json" id="orbat-first-page">{"params": …, "answer": …}</script>`,
    or None when the page should ask for itself."""
    try:
        reader(request)
    except HTTPException:
        return None
    params = [(name, request.query_params.get(name, "").strip()) for name in FILTERS]
    params = [(name, value) for name, value in params if value]
    given = dict(params)
    try:
        chosen = routes.filters(
            country=given.get("country"),
            place=None,
            actor=given.get("actor"),
            equipment=given.get("equipment"),
            equipment_class=given.get("class"),
            event=None,
            certainty=given.get("certainty"),
            since=given.get("since"),
            until=given.get("until"),
            q=given.get("q"),
        )
        answer = routes.list_observations(request.app.state.store, chosen, routes.DEFAULT_LIMIT, 0)
    except (HTTPException, UserError):
        return None
    except Exception:  # the page must load whatever the query does; its own request reports the error
        log.exception("the first page of observations was not sent with the page")
        return None
    params += [("limit", str(routes.DEFAULT_LIMIT)), ("offset", "0")]
    body = bytes(answer.body).decode("utf-8")
    text = '{"params":' + json.dumps(params) + ',"answer":' + body + "}"
    return f'<script type="application/json" id="{ELEMENT_ID}">{text.translate(_SCRIPT_SAFE)}</script>'
