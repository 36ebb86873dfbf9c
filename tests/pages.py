"""Small web pages, scraper JSON and WARC archives, written by code as sites and crawlers
write them: navigation, a cookie banner, related links and a footer around the article,
Open Graph and JSON-LD in the head."""

from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from tests.articles import OTHER_PARAGRAPHS, PARAGRAPHS

NAVIGATION = ["Home", "World", "Business", "Politics", "Sport", "Weather", "Contact us"]
RELATED = [
    "Markets rally as central bank holds interest rates steady again",
    "Ten things we learned from the transfer window this summer",
    "Floods cut off villages in the north after a week of heavy rain",
]
COOKIE_BANNER = (
    "We use cookies to give you the best experience on our site. By continuing you accept "
    "our cookie policy and the terms of service."
)
FOOTER = "Copyright 2024 Example News Group. All rights reserved."


@dataclass(frozen=True)
class Page:
    """One article's page at a site."""

    headline: str
    paragraphs: list[str]
    url: str | None = "https://www.example-news.com/world/2024/03/putin-rhetoric"
    site: str | None = "Example News"
    published: str | None = "2024-03-01T10:00:00+01:00"
    og_type: str = "article"
    charset: str | None = "utf-8"
    extra_body: list[str] = field(default_factory=list)
    """Paragraphs inside the article's text block, after its own."""

    @classmethod
    def sample(cls) -> Page:
        return cls("Putin rejects war crimes claim over Aleppo", list(PARAGRAPHS))

    @classmethod
    def other(cls) -> Page:
        return cls(
            "Mobile gaming set to explode",
            list(OTHER_PARAGRAPHS),
            url="https://www.example-news.com/technology/2024/03/mobile-gaming",
        )

    def but(self, **changes: object) -> Page:
        return replace(self, **changes)  # type: ignore[arg-type]

    def html(self) -> str:
        meta = [f'<meta charset="{self.charset}">'] if self.charset else []
        meta.append(f'<meta property="og:type" content="{self.og_type}">')
        title = self.headline + (f" | {self.site}" if self.site else "")
        meta.append(f'<meta property="og:title" content="{html.escape(title)}">')
        if self.site:
            meta.append(f'<meta property="og:site_name" content="{html.escape(self.site)}">')
        if self.url:
            meta.append(f'<link rel="canonical" href="{html.escape(self.url)}">')
            meta.append(f'<meta property="og:url" content="{html.escape(self.url)}">')
        if self.published:
            meta.append(f'<meta property="article:published_time" content="{self.published}">')
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": self.headline}
        if self.published:
            ld["datePublished"] = self.published
        nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAVIGATION)
        related = "".join(
            f'<li><a href="/news/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(RELATED)
        )
        body = "".join(f"<p>{html.escape(p)}</p>" for p in [*self.paragraphs, *self.extra_body])
        return (
            "<!DOCTYPE html>\n<html lang=en><head>"
            + "".join(meta)
            + f"<title>{html.escape(title)}</title>"
            + f'<script type="application/ld+json">{json.dumps(ld)}</script>'
            + "</head><body>"
            + f'<div class="cookie-banner"><p>{COOKIE_BANNER}</p><button>Accept</button></div>'
            + f"<header><nav><ul>{nav}</ul></nav></header>"
            + f"<main><article><h1>{html.escape(self.headline)}</h1>"
            + '<p class="byline">By Staff Reporter</p>'
            + f'<div class="article-body">{body}</div></article>'
            + f'<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside></main>'
            + f"<footer><p>{FOOTER}</p></footer></body></html>"
        )

    def bytes(self, encoding: str = "utf-8") -> bytes:
        return self.html().encode(encoding)

    def write(self, folder: Path, name: str, encoding: str = "utf-8") -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.bytes(encoding))
        return path


def index_page() -> str:
    """A section front: headlines of other pages, each a link with a line of teaser."""
    items = "".join(
        f'<article><h3><a href="/news/{i}">Headline number {i} of a story elsewhere on the '
        f"site today</a></h3><p>Teaser.</p></article>"
        for i in range(12)
    )
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>World news | Example News'
        '</title><meta property="og:type" content="website"></head><body><main><h1>World</h1>'
        f"{items}</main></body></html>"
    )


def error_page() -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 Not Found</title></head>'
        "<body><h1>Page not found</h1><p>Sorry, the page you asked for does not exist or "
        'has moved. Try the search, or go back to the <a href="/">home page</a>.</p>'
        "</body></html>"
    )


def news_please_json(page: Page) -> dict[str, object]:
    """What news-please writes for an article."""
    return {
        "authors": ["Staff Reporter"],
        "date_download": "2024-03-01 12:30:00",
        "date_modify": None,
        "date_publish": "2024-03-01 09:00:00",
        "description": page.paragraphs[0],
        "filename": "https%3A%2F%2Fwww.example-news.com%2Fworld.json",
        "image_url": None,
        "language": "en",
        "localpath": None,
        "maintext": "\n".join(page.paragraphs),
        "source_domain": "www.example-news.com",
        "title": page.headline,
        "title_page": None,
        "title_rss": None,
        "url": page.url,
    }


def trafilatura_json(page: Page) -> dict[str, object]:
    """What ``trafilatura --json`` writes for an article."""
    return {
        "title": f"{page.headline} | {page.site}",
        "author": "Staff Reporter",
        "hostname": "example-news.com",
        "date": "2024-03-01",
        "fingerprint": "f1d2d2f924e986ac",
        "id": None,
        "license": None,
        "comments": "",
        "raw_text": None,
        "text": "\n".join(page.paragraphs),
        "language": "en",
        "image": None,
        "pagetype": "article",
        "source": page.url,
        "source-hostname": page.site,
        "excerpt": page.paragraphs[0],
        "categories": "",
        "tags": "",
        "url": page.url,
        "sitename": page.site,
    }


@dataclass(frozen=True)
class Capture:
    """One record of a WARC: a page as a crawler fetched it."""

    url: str
    body: bytes
    at: datetime = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"


def write_warc(
    path: Path, captures: list[Capture], *, gzip: bool = True, append: bool = False
) -> Path:
    """A WARC of these captures (each a request and a response record, as crawlers write
    them), each record gzipped on its own when ``gzip``; ``append`` adds to the file."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("ab" if append else "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for capture in captures:
            date = capture.at.strftime("%Y-%m-%dT%H:%M:%SZ")
            request = writer.create_warc_record(
                capture.url,
                "request",
                payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: example-news.com\r\n\r\n"),
                warc_headers_dict={"WARC-Date": date},
            )
            headers = StatusAndHeaders(
                capture.status,
                [("Content-Type", capture.content_type)],
                protocol="HTTP/1.1",
            )
            response = writer.create_warc_record(
                capture.url,
                "response",
                payload=io.BytesIO(capture.body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(request)
            writer.write_record(response)
    return path


def story_page(n: int) -> Page:
    """The ``n``-th of many distinct stories of one site, each at its own URL."""
    from tests.articles import distinct_story

    return Page(
        f"Council story number {n} takes a new turn",
        distinct_story(n, 160),
        url=f"https://www.example-news.com/local/2024/03/story-{n}",
    )
