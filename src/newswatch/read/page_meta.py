"""A news page's own account of itself: its headline, outlet, publication time and URL.

Sites describe their articles for search engines and social networks, in two vocabularies
that nearly every news site writes: Open Graph ``<meta property="og:...">`` tags and
schema.org JSON-LD (``<script type="application/ld+json">`` holding a ``NewsArticle``).
Each field is taken from the first of these that gives it:

- headline: ``og:title``, the JSON-LD ``headline``, ``twitter:title``, ``<title>``, the
  first ``<h1>``; without the site name a title often ends in (``"Story | Site"``);
- outlet: ``og:site_name``, the JSON-LD ``publisher``, else the URL's host without ``www.``;
- publication time: the JSON-LD ``datePublished``, ``article:published_time`` and the other
  meta names sites use for it (a time without an offset is taken as UTC);
- URL: ``<link rel="canonical">``, then ``og:url``, then the JSON-LD ``url`` (or
  ``mainEntityOfPage``), then the URL the page was fetched from
  (a WARC record's target, a saved page's mark). A canonical URL on another site than the
  page's own is a syndicated copy naming its original (MSN's copy of an NBC story names
  NBC's page): the page's own URL is kept, so a copy is never taken for its original.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urljoin

from lxml import html

from newswatch.read.text import fold
from newswatch.read.urls import article_url, host_of, same_site
from newswatch.times import as_utc

_PUBLISHED_NAMES = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
    "date",
)
_TITLE_SEPARATORS = re.compile(r"\s+[|–—·:»-]\s+|\s+::\s+")
_SPACES = re.compile(r"\s+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FIRST_YEAR, _LAST_YEAR = 1800, 9999
"""A time outside these years is a template's placeholder, not a time (and the year 1 or
9999 in another time zone than UTC would be out of Python's range once in UTC)."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PageMeta:
    headline: str
    outlet: str | None
    published_at: datetime | None
    published: date | None
    url: str | None
    """The page's URL as it gives it (see the module docstring for which one)."""
    says_article: bool = False
    """The page calls itself an article: ``og:type`` article, an article's JSON-LD, or a
    publication time."""


def page_meta(tree: html.HtmlElement, fetched_url: str | None = None) -> PageMeta:
    """What the page says of itself; ``fetched_url`` is where it was fetched from, when
    known (a WARC record's target, a saved page's mark)."""
    metas = _metas(tree)
    article = next(_articles(tree), None) or {}
    url = _url(tree, metas, article, fetched_url)
    outlet = metas.get("og:site_name") or _name(article.get("publisher")) or host_of(url)
    outlet = _clean(outlet) or None
    published_at, published = _time(article, metas, tree)
    return PageMeta(
        headline=_headline(tree, metas, article, outlet, url),
        outlet=outlet,
        published_at=published_at,
        published=published,
        url=url,
        says_article=bool(article)
        or metas.get("og:type", "").lower() == "article"
        or (published_at, published) != (None, None),
    )


def _clean(text: object) -> str:
    return _SPACES.sub(" ", text).strip() if isinstance(text, str) else ""


def _metas(tree: html.HtmlElement) -> dict[str, str]:
    """``<meta>`` values by property, name or itemprop (lower case), the first of each."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().lower()
            if key and key not in found and content.strip():
                found[key] = content.strip()
    return found


def _articles(tree: html.HtmlElement) -> Iterator[dict[str, Any]]:
    """The JSON-LD objects that describe an article (``NewsArticle``, ``BlogPosting``...),
    in the page's order."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = (script.text or "").strip()
        text = text.removeprefix("<!--").removesuffix("-->").strip()
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        for thing in _things(data):
            kinds = thing.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and _is_article_type(k) for k in kinds):
                yield thing


def _is_article_type(kind: str) -> bool:
    return kind.endswith("Article") or kind.endswith("Posting") or kind == "Report"


def _things(data: object) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _things(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _things(data["@graph"])


def _name(value: object) -> str | None:
    """A schema.org Organization's name, however the site wrote it."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _clean(value) or None


def _url(
    tree: html.HtmlElement, metas: dict[str, str], article: dict[str, Any], fetched: str | None
) -> str | None:
    base = fetched or metas.get("og:url")
    canonical = next(
        (
            link.get("href", "").strip()
            for link in tree.iter("link")
            if "canonical" in (link.get("rel") or "").lower().split() and link.get("href")
        ),
        None,
    )
    declared = [
        urljoin(base, u) if base else u
        for u in (canonical, metas.get("og:url"), _entity_url(article))
        if u and article_url(urljoin(base, u) if base else u)
    ]
    own = fetched if article_url(fetched) else (declared[-1] if declared else None)
    for candidate in declared:
        if own is None or same_site(candidate, own):
            return candidate
    return own


def _entity_url(article: dict[str, Any]) -> str | None:
    """The URL an article's JSON-LD gives it: ``url``, else ``mainEntityOfPage``."""
    for value in (article.get("url"), article.get("mainEntityOfPage")):
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _time(
    article: dict[str, Any], metas: dict[str, str], tree: html.HtmlElement
) -> tuple[datetime | None, date | None]:
    candidates = [article.get("datePublished"), *(metas.get(n) for n in _PUBLISHED_NAMES)]
    candidates += [t.get("datetime") for t in tree.iter("time") if t.get("itemprop")]
    for value in candidates:
        if isinstance(value, str) and (found := parse_time(value)) != (None, None):
            return found
    return None, None


def parse_time(value: str) -> tuple[datetime | None, date | None]:
    """An ISO 8601 time as sites and scrapers write it -> (the time in UTC, or None when
    only a day is given; the day as written). A placeholder is no time: templates print an
    empty date as the year 1 (.NET's and Go's zero time), the Unix epoch or the year 9999."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text[:11] else text)
    except ValueError:
        match = _ISO_DATE.match(text)
        if not match:
            return None, None
        try:
            day = date(*(int(g) for g in match.groups()))
        except ValueError:
            return None, None
        return (None, day) if _FIRST_YEAR <= day.year < _LAST_YEAR else (None, None)
    day = moment.date()
    if not _FIRST_YEAR <= day.year < _LAST_YEAR:
        return None, None
    if len(text) <= 10:
        return None, day
    moment = as_utc(moment)
    return (None, None) if moment == _EPOCH else (moment, day)


def _headline(
    tree: html.HtmlElement,
    metas: dict[str, str],
    article: dict[str, Any],
    outlet: str | None,
    url: str | None,
) -> str:
    title_tag = next(tree.iter("title"), None)
    h1 = next(tree.iter("h1"), None)
    for value in (
        metas.get("og:title"),
        article.get("headline"),
        metas.get("twitter:title"),
        title_tag.text_content() if title_tag is not None else None,
        h1.text_content() if h1 is not None else None,
    ):
        text = _clean(value)
        if text:
            return without_site_name(text, outlet, host_of(url))
    return ""


def without_site_name(title: str, outlet: str | None, host: str | None) -> str:
    """A title without the site's name before or after a separator: ``"Story | Site"``,
    ``"Site - Story"``. Only a part that names the site goes: a headline with a dash in it
    keeps it."""
    names = {
        n
        for n in (_site_name(outlet), _site_name(host), _site_name((host or "").split(".")[0]))
        if n
    }
    if not names:
        return title
    parts = _TITLE_SEPARATORS.split(title)
    while len(parts) > 1 and _site_name(parts[-1]) in names:
        parts.pop()
    while len(parts) > 1 and _site_name(parts[0]) in names:
        parts.pop(0)
    if len(parts) == len(_TITLE_SEPARATORS.split(title)):
        return title
    # Re-cut the title at the kept parts, so separators inside the headline stay as written.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if start >= 0 and end > start else title


def _site_name(text: str | None) -> str:
    """A site's name as names are compared: folded (``text.fold``), without ``www.`` and
    anything but letters and digits."""
    return re.sub(r"[\W_]+", "", fold(text or "").removeprefix("www."))
