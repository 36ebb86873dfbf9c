"""A story with many versions, written by code: every kind of edit, each version distinct."""

from __future__ import annotations

import re

from tests.articles import UPDATE_PARAGRAPHS, Article

_TOLL = re.compile(r"a total of \d+ people dead")
_QUOTE = re.compile(r'"rhetoric[^"]*"')


def story_versions(count: int) -> list[Article]:
    """``count`` versions of the sample: by turns a number, a quote, the headline or a
    paragraph changes, so every kind of mark appears and no two versions are equal."""
    versions = [Article.sample()]
    for number in range(2, count + 1):
        last = versions[-1]
        turn = number % 4
        if turn == 0:
            changed = last.but(
                paragraphs=[
                    _TOLL.sub(f"a total of {25 + number} people dead", p) for p in last.paragraphs
                ]
            )
        elif turn == 1:
            extra = UPDATE_PARAGRAPHS[number % len(UPDATE_PARAGRAPHS)]
            changed = last.but(paragraphs=[*last.paragraphs, f"Update {number}: {extra}"])
        elif turn == 2:
            changed = last.but(headline=f"SYRIA CONFLICT: ALEPPO UPDATE {number}")
        else:
            changed = last.but(
                paragraphs=[_QUOTE.sub(f'"rhetoric, number {number}"', p) for p in last.paragraphs]
            )
        versions.append(changed)
    return versions
