"""The FastAPI application: API routes, security headers, a local /docs page, static files.

Why these choices:
- Every response carries a Content-Security-Policy that allows only this origin's scripts and
  `X-Content-Type-Options: nosniff`, so source text that slipped through escaping cannot run.
- /docs is plain HTML built from the OpenAPI schema (`orbat.serve.docs_page`): Swagger UI would
  load from a CDN, and the tool must work offline and load nothing from elsewhere.
- Static files go through Starlette's `StaticFiles`, which refuses paths leaving its folder
  (`../` → 404, RELIABILITY row 35). The page's libraries come from the repository's npm
  `node_modules` (or ORBAT_VENDOR_DIR) at /vendor/.
- Only the host names the server was bound to are answered (`Host` check, 421 otherwise), so a
  page whose name was rebound to 127.0.0.1 (DNS rebinding) cannot talk to it.
- Errors a user can act on (`UserError`) become JSON 400s (404 for unknown ids, 422 for values
  out of bounds), never 500s.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.staticfiles import StaticFiles

from orbat import __version__
from orbat.errors import InvalidValue, UserError
from orbat.reviews import NotFound
from orbat.serve import exports, routes, writes
from orbat.serve.auth import host_allowed, host_names, token_in_query

PACKAGE = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE / "static"
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: zlib's default, not Starlette's 9: on a 480 kB map answer level 9 cost 11 ms of CPU for 7 %
#: fewer bytes than level 6 (3.5 ms); page and vendor files are compressed once, ahead (assets).
GZIP_LEVEL = 6
log = logging.getLogger("orbat.serve")


def vendor_dir() -> Path:
    """The npm packages the page loads: ORBAT_VENDOR_DIR, else the repository's node_modules."""
    configured = os.environ.get("ORBAT_VENDOR_DIR")
    return Path(configured) if configured else PACKAGE.parents[2] / "node_modules"


def create_app(
    db: str, *, static_dir: Path | None = None, allow_anonymous_read: bool = True, hosts: Iterable[str] = ()
):
    """The app over the database `db` (path or URL), opened once and closed at shutdown.

    `hosts` are the names (besides 127.0.0.1, localhost and ::1) that clients may put in `Host`.
    """
    from orbat.store import open_store

    store = open_store(db, threaded=True)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        store.close()

    app = FastAPI(
        title="orbat",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        description="Evidence-linked order-of-battle records. Writes need `Authorization: Bearer`.",
    )
    app.state.store = store
    app.state.allow_anonymous_read = allow_anonymous_read
    app.state.host_names = host_names(hosts)
    app.include_router(routes.router)
    app.include_router(exports.router)
    app.include_router(writes.router)
    _add_guards(app)
    _add_caching(app)
    _add_errors(app)
    _add_validation_errors(app)
    app.add_api_route("/docs", _docs_page(app), methods=["GET"], include_in_schema=False)
    _add_assets(app, static_dir or STATIC_DIR, vendor_dir())
    _mount(app, "/vendor", vendor_dir(), html=False)
    _mount(app, "/", static_dir or STATIC_DIR, html=True)
    return app


def _add_assets(app: FastAPI, static: Path, vendor: Path) -> None:
    """index.html with content-hashed addresses, and the files under them (`orbat.serve.assets`)."""
    from orbat.serve.assets import Assets
    from orbat.serve.first_page import first_page_block

    assets = app.state.assets = Assets(static, vendor)

    def page(request: Request):
        return assets.index(request, first_page_block(request))

    def page_file(request: Request, digest: str, path: str):
        return assets.response(request, "static", digest, path)

    def vendor_file(request: Request, digest: str, path: str):
        return assets.response(request, "vendor", digest, path)

    for address in ("/", "/index.html"):
        app.add_api_route(address, page, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/static/{digest}/{path:path}", page_file, methods=["GET", "HEAD"], include_in_schema=False)
    app.add_api_route("/vendor/{digest}/{path:path}", vendor_file, methods=["GET", "HEAD"], include_in_schema=False)


def _mount(app: FastAPI, prefix: str, folder: Path, *, html: bool) -> None:
    """Serve a folder if it exists; a missing one (page not built, npm not run) is a 404, not a 500."""
    if folder.is_dir():
        app.mount(prefix, StaticFiles(directory=folder, html=html), name=prefix.strip("/") or "page")
    else:
        log.warning("%s not served: %s is not a folder", prefix, folder)


def _add_guards(app: FastAPI) -> None:
    """Refuse unknown Host names and tokens in URLs before anything else runs; log requests without
    their query string."""

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if not host_allowed(request):
            response = JSONResponse({"detail": "this server does not answer to that host name"}, status_code=421)
        elif token_in_query(request):
            response = JSONResponse(
                {"detail": "tokens go in the Authorization header, never in the URL"}, status_code=400
            )
        elif request.method not in SAFE_METHODS and "authorization" not in request.headers:
            # before the body is read: a cross-site form post learns nothing, not even a 422
            response = JSONResponse(
                {"detail": "writes need `Authorization: Bearer <token>`"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        else:
            response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        log.info("%s %s %s", request.method, request.url.path, response.status_code)  # no query: no secrets
        return response


def _add_caching(app: FastAPI) -> None:
    """Compress text over 1 kB and say how long browsers may keep files.

    Content-hashed addresses (`orbat.serve.assets`) set their own `Cache-Control` (a year,
    immutable). The unhashed ones that remain for other clients (/vendor/x, /app.js) are
    revalidated each load (ETag), so an upgrade shows at once.
    """
    from starlette.middleware.gzip import GZipMiddleware

    @app.middleware("http")
    async def cache_headers(request: Request, call_next):
        response = await call_next(request)
        path = request.url.path
        if (
            response.status_code == 200
            and "cache-control" not in response.headers
            and not path.startswith(("/api/", "/docs", "/openapi"))
        ):
            response.headers["Cache-Control"] = "no-cache"
        return response

    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=GZIP_LEVEL)


def _add_errors(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(InvalidValue)
    async def invalid_value(_request: Request, exc: InvalidValue) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(UserError)
    async def user_error(_request: Request, exc: UserError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)


def _add_validation_errors(app: FastAPI) -> None:
    """422 bodies name the field and the rule but never echo the input: a NaN posted as a comment
    made FastAPI's default answer unencodable (a 500), and echoing is how markup gets reflected."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "loc": [str(part) for part in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)


def _docs_page(app: FastAPI):
    """The API's reference page (`orbat.serve.docs_page`), built once from the OpenAPI schema."""
    from orbat.serve.docs_page import render

    built: list[str] = []

    def docs() -> HTMLResponse:
        if not built:
            built.append(render(app.openapi()))
        return HTMLResponse(built[0])

    return docs
