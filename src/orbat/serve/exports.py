"""`GET /api/export/{format}`: the web page's current view as a file, through the CLI's exporters.

Why the page's filters rather than `orbat export`'s four: what an analyst downloads must be what
the page shows (actor, class, certainty and text filters included). The observations are chosen
by the same query as `/api/observations` (`query.search_ids`) and written by the same writers
as `orbat export` (`orbat.export.acled`, `.geojson`, `.kml`), so each format keeps its contract.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Response

from orbat import query
from orbat.serve.auth import reader
from orbat.serve.routes import MAX_LIMIT, Filtered, Limit, Offset, StoreDep

router = APIRouter(prefix="/api", dependencies=[Depends(reader)])
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "kml": "application/vnd.google-earth.kml+xml",
}
ExportFormat = Annotated[
    Literal["csv", "geojson", "kml"],
    Path(description=("csv (ACLED columns), geojson (observations, places, routes) or kml.")),
]


@router.get(
    "/export/{fmt}",
    response_class=Response,
    responses={
        200: {
            "content": {m: {} for m in MEDIA_TYPES.values()},
            "description": "The file; `X-Total-Count` says how many observations match.",
        }
    },
)
def export_view(
    store: StoreDep, fmt: ExportFormat, f: Filtered, limit: Limit = MAX_LIMIT, offset: Offset = 0
) -> Response:
    """The observations matching the filters as CSV (ACLED columns), GeoJSON or KML, oldest first.

    Up to `limit` observations (default and most: 5000); `X-Total-Count` and `X-Exported-Count`
    say whether that was all of them.
    """
    from orbat.export import acled, data, geojson, kml

    ids, total = query.search_ids(store, f, limit, offset)
    items = data.items_for(store, ids)
    out = io.BytesIO()
    if fmt == "csv":
        acled.write(items, out)
    else:
        places = data.places(items)
        routed = data.route_paths(store, items, data.ExportFilters(country=f.country))
        (geojson if fmt == "geojson" else kml).write(items, places, routed, out)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    headers = {
        "Content-Disposition": f'attachment; filename="orbat-{stamp}.{fmt}"',
        "X-Total-Count": str(total),
        "X-Exported-Count": str(len(items)),
    }
    return Response(out.getvalue(), media_type=MEDIA_TYPES[fmt], headers=headers)
