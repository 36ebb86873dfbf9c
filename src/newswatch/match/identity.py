"""An article's identity: its URL first, then its path and its words (``rules``).

A text that carries the URL of its article (a page's canonical URL, a WARC record's
target, a scraper's JSON, a text's ``Kaynak/Source:`` trailer; compared as
``read.urls.article_url`` writes it) belongs to the article that URL names, whatever its
file is called and however much its words changed:

- a text equal to a version of that article is ``unchanged`` when it is the current one,
  and an ``edited`` revert to it otherwise (as for a known path);
- any other text is a new version of it: ``edited``, with ``reason_code`` ``url``, and a
  ``reason`` when its words alone would not have linked them.

A URL newswatch has not stored yet decides nothing: the text is matched by its words, as a
text without one is, so two URLs of one outlet can still be one article (a slug edited, a
page moved), and another outlet's copy is found as a copy. A file whose path held a page of
another URL before is not that page's edit by path: a scraper that saves every page as
``latest.html`` saves different articles under one name. Texts without a URL are decided
exactly as before.
"""

from __future__ import annotations

from datetime import datetime

from newswatch.match import rules
from newswatch.match.fingerprint import Fingerprint
from newswatch.match.rules import Catalog, KnownVersion, Thresholds, Verdict, same_story
from newswatch.match.similarity import compare
from newswatch.models import Outcome
from newswatch.read.parse import ParsedArticle

URL = "url"
"""The reason code of an edit linked by its URL."""
_DEFAULT = Thresholds()


def decide(
    article: ParsedArticle,
    fingerprint: Fingerprint,
    catalog: Catalog,
    *,
    path_article_id: int | None = None,
    thresholds: Thresholds = _DEFAULT,
    seen_at: datetime | None = None,
) -> Verdict:
    """Classify one text: by its URL when the catalog knows it, else by ``rules.decide``."""
    if article.url is not None:
        same_url = catalog.with_url(article.url)
        if same_url:
            return by_url(article, fingerprint, catalog, same_url, thresholds)
        if path_article_id is not None and _holds_other_url(catalog, path_article_id):
            path_article_id = None  # the path held another page: its words decide
    return rules.decide(
        article,
        fingerprint,
        catalog,
        path_article_id=path_article_id,
        thresholds=thresholds,
        seen_at=seen_at,
    )


def by_url(
    article: ParsedArticle,
    fingerprint: Fingerprint,
    catalog: Catalog,
    same_url: list[KnownVersion],
    thresholds: Thresholds,
) -> Verdict:
    """The verdict for a text whose URL names a stored article (see the module)."""
    named = min(same_url, key=lambda v: (not v.is_current, v.article_id)).article_id
    history = catalog.versions_of(named)
    for version in history:
        if version.content_hash == fingerprint.content_hash:
            if version.is_current:
                return Verdict(Outcome.UNCHANGED, named, version.version_id, version, 1.0)
            return Verdict(Outcome.EDITED, named, version.version_id, version, 1.0, reverted=True)
    current = next((v for v in history if v.is_current), history[-1])
    ours = f"{article.headline}\n{article.body}" if article.headline else article.body
    similarity = compare(ours, current.text)
    alone = same_story(similarity, thresholds)
    return Verdict(
        Outcome.EDITED,
        named,
        None,
        current,
        similarity.ratio,
        reason=None if alone else f"same URL; words alone {similarity.ratio:.2f} alike",
        reason_code=URL,
    )


def _holds_other_url(catalog: Catalog, article_id: int) -> bool:
    """Whether the article's current text carries a URL (one the file's is not, since that
    one is not stored)."""
    current = [v for v in catalog.versions_of(article_id) if v.is_current]
    return bool(current and current[0].url)
