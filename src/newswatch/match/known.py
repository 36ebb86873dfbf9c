"""What matching knows of a stored version, and what it reads of the store: the two types
every matching rule (``rules``, ``evidence``, ``window``) works on."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class KnownVersion:
    """What matching needs to know of a stored version."""

    version_id: int
    article_id: int
    number: int
    outlet_key: str | None
    """The outlet as compared (``read.text.outlet_key``)."""
    headline: str
    body: str
    content_hash: str
    key_count: int
    """How many passage keys the version has (see ``fingerprint``)."""
    is_current: bool
    published: date | None = None
    first_seen_at: datetime | None = None
    url: str | None = None
    """The article's URL, as compared (``read.urls.article_url``)."""
    outlet: str | None = None
    """The outlet's name as the text wrote it."""

    @property
    def text(self) -> str:
        """Headline and body: what is compared when a headline is missing or uncertain."""
        return f"{self.headline}\n{self.body}" if self.headline else self.body


class Catalog(Protocol):
    """What matching reads of what is already stored: implemented by
    ``match.catalog.MemoryCatalog``, which the store fills for each batch."""

    def versions_of(self, article_id: int) -> list[KnownVersion]: ...

    def with_content(self, content_hash: str) -> list[KnownVersion]: ...

    def candidates(self, keys: tuple[int, ...]) -> list[tuple[KnownVersion, int]]:
        """Versions sharing passage keys with a text, each with how many keys it shares."""
        ...

    def furniture(self, outlet_key: str | None, lines: Collection[str]) -> set[str]:
        """Those of these lines that are furniture of the outlet."""
        ...

    def with_url(self, url: str) -> list[KnownVersion]:
        """Versions that carry this URL (see ``identity``)."""
        ...

    def printed_by(self, outlet_key: str, lines: Collection[str]) -> dict[str, int]:
        """How many of the outlet's articles print each of these lines."""
        ...

    def open_keys(self, keys: tuple[int, ...]) -> int:
        """How many of a text's passage keys list fewer versions than the index's cap."""
        ...
