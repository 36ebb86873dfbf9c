"""Exact fingerprints ignore cosmetic noise; near-duplicate signatures find close texts."""

from __future__ import annotations

from newswatch.fingerprint import (
    BANDS,
    estimated_jaccard,
    fingerprint,
    normalised_text,
)
from newswatch.parse import parse
from tests.articles import Article


def _fp(article: Article, newline: str = "\n"):  # type: ignore[no-untyped-def]
    return fingerprint(parse(article.text(newline).encode()))


def test_whitespace_line_endings_debris_and_paragraph_splits_do_not_change_the_content_hash() -> (
    None
):
    article = Article.sample()
    base = _fp(article).content_hash
    assert _fp(article, "\r\n").content_hash == base
    spaced = article.but(paragraphs=[p.replace(" ", "  ") + "  " for p in article.paragraphs])
    assert _fp(spaced).content_hash == base
    debris = article.but(
        paragraphs=[*article.paragraphs[:2], "Media captionA picture", *article.paragraphs[2:]]
    )
    assert _fp(debris).content_hash == base
    merged = article.but(
        paragraphs=[article.paragraphs[0] + " " + article.paragraphs[1], *article.paragraphs[2:]]
    )
    assert _fp(merged).content_hash == base
    curly = article.but(paragraphs=[p.replace('"', "“", 1) for p in article.paragraphs])
    assert _fp(curly).content_hash == base


def test_a_changed_word_or_headline_changes_the_content_hash() -> None:
    article = Article.sample()
    base = _fp(article).content_hash
    assert _fp(article.but(headline="Putin dismisses claims")).content_hash != base
    changed = [p.replace("25 people", "27 people") for p in article.paragraphs]
    assert _fp(article.but(paragraphs=changed)).content_hash != base


def test_headline_and_body_boundary_matters() -> None:
    a = parse(b"Alpha beta\n\nGamma delta.\n")
    b = parse(b"Alpha\n\nbeta Gamma delta.\n")
    assert normalised_text(a) != normalised_text(b)


def test_a_lightly_edited_text_shares_lsh_bands_and_an_unrelated_one_does_not() -> None:
    article = Article.sample()
    edited = article.but(
        paragraphs=[p.replace("25 people", "27 people") for p in article.paragraphs]
    )
    base, close, far = _fp(article), _fp(edited), _fp(Article.other())
    assert len(base.band_keys) == BANDS
    assert set(base.band_keys) & set(close.band_keys)
    assert not set(base.band_keys) & set(far.band_keys)
    assert estimated_jaccard(base.signature, close.signature) > 0.7
    assert estimated_jaccard(base.signature, far.signature) < 0.1


def test_signatures_are_the_same_in_every_process() -> None:
    import subprocess
    import sys

    code = (
        "from newswatch.parse import parse; from newswatch.fingerprint import fingerprint;"
        "from tests.articles import Article;"
        "print(fingerprint(parse(Article.sample().text().encode())).band_keys)"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert runs == {str(_fp(Article.sample()).band_keys) + "\n"}
