"""Exact fingerprints ignore cosmetic noise; passage keys find close texts and texts that
hold each other."""

from __future__ import annotations

import random

from newswatch.match.fingerprint import (
    expected_keys,
    fingerprint,
    fingerprints,
    guaranteed_match_words,
    keys_of_texts,
    normalised_text,
    passage_keys,
    word_hashes,
)
from newswatch.read.parse import parse
from tests.articles import OTHER_PARAGRAPHS, PARAGRAPHS, Article


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


def test_a_lightly_edited_text_shares_most_passage_keys_and_an_unrelated_one_none() -> None:
    article = Article.sample()
    edited = article.but(
        paragraphs=[p.replace("25 people", "27 people") for p in article.paragraphs]
    )
    base, close, far = _fp(article), _fp(edited), _fp(Article.other())
    shared = set(base.keys) & set(close.keys)
    assert len(shared) >= 0.7 * len(base.keys)
    assert not set(base.keys) & set(far.keys)


def test_a_partial_copy_and_an_update_that_grew_share_keys_with_the_original() -> None:
    article = Article.sample()
    third = article.but(paragraphs=PARAGRAPHS[2:5], dateline="Reuters, 14 October 2016")
    grown = article.but(paragraphs=[*PARAGRAPHS, *OTHER_PARAGRAPHS, *PARAGRAPHS[:0]])
    base = set(_fp(article).keys)
    copy_keys, grown_keys = set(_fp(third).keys), set(_fp(grown).keys)
    assert len(copy_keys & base) >= 0.6 * len(copy_keys)  # the copy: mostly inside
    assert len(grown_keys & base) >= 0.6 * len(base)  # the original: mostly inside the update


def test_any_shared_passage_of_the_guaranteed_length_shares_a_key() -> None:
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(5000)]
    length = guaranteed_match_words()
    for _ in range(200):
        passage = rng.choices(vocabulary, k=length)
        a = rng.choices(vocabulary, k=rng.randrange(0, 300)) + passage
        b = passage + rng.choices(vocabulary, k=rng.randrange(0, 300))
        keys_a = set(passage_keys(word_hashes(" ".join(a))))
        keys_b = set(passage_keys(word_hashes(" ".join(b))))
        assert keys_a & keys_b


def test_the_number_of_keys_follows_the_length_of_the_text() -> None:
    rng = random.Random(3)
    words = " ".join(f"w{rng.randrange(10**6)}" for _ in range(4000))
    keys = passage_keys(word_hashes(words))
    assert 0.8 * expected_keys(4000) <= len(keys) <= 1.2 * expected_keys(4000)
    assert len(passage_keys(word_hashes("three short words"))) == 1


def test_a_texts_keys_are_the_same_alone_and_among_other_texts() -> None:
    # Texts are hashed and winnowed in groups: no shingle or window may span two texts,
    # whatever their lengths (empty, shorter than a shingle or a window, longer than a group).
    rng = random.Random(11)
    vocabulary = [f"w{n}" for n in range(400)] + ["İSTANBUL", "ışık", "çay", "--", "!"]
    lengths = [0, 1, 2, 3, 4, 5, 26, 27, 28, 40, 300, 30_000]
    texts = [" ".join(rng.choices(vocabulary, k=rng.choice(lengths))) for _ in range(300)]
    alone = [keys_of_texts([text])[0] for text in texts]
    assert keys_of_texts(texts) == alone
    assert alone == [passage_keys(word_hashes(text)) for text in texts]
    assert all(alone[i] for i, text in enumerate(texts) if any(c.isalnum() for c in text))
    articles = [parse(a.text().encode()) for a in (Article.sample(), Article.other())]
    assert fingerprints(articles) == [fingerprint(a) for a in articles]


def test_signatures_are_the_same_in_every_process() -> None:
    import subprocess
    import sys

    code = (
        "from newswatch.read.parse import parse; from newswatch.match.fingerprint import fingerprint;"
        "from tests.articles import Article;"
        "print(fingerprint(parse(Article.sample().text().encode())).keys)"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert runs == {str(_fp(Article.sample()).keys) + "\n"}
