"""HTML to PDF with WeasyPrint, fetching only what is inside the document (RELIABILITY row 38).

WeasyPrint's default fetcher follows any URL a page names: `http://` images and stylesheets, and
`file://` paths. A brief's HTML escapes source text, so no source can name one today; this
fetcher is the second wall. It answers `data:` URLs (the brief's own pictures) and refuses
everything else, recording each request, so a test can prove nothing remote was fetched and the
PDF still renders (a refused image is left out, a refused stylesheet ignored).
"""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

LOCAL_SCHEMES = ("data:",)


class RefusedURL(ValueError):
    """A URL the brief's PDF will not fetch."""


class LocalOnlyFetcher(URLFetcher):
    """Serves `data:` URLs and refuses all others; keeps a log of both."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if not url.lower().startswith(LOCAL_SCHEMES):
            self.refused.append(url)
            raise RefusedURL(f"refused non-local URL in a brief: {url[:80]}")
        self.served.append(url[:40])
        return super().fetch(url, headers)


def html_to_pdf(html: str, fetcher: LocalOnlyFetcher | None = None) -> bytes:
    """Render HTML (no base URL: relative links resolve to nothing) with a local-only fetcher."""
    document = HTML(string=html, base_url=None, url_fetcher=fetcher or LocalOnlyFetcher())
    return document.write_pdf()
