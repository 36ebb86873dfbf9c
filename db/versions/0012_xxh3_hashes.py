"""versions and files: content and raw hashes are XXH3-128 instead of BLAKE2b

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 22:00:00

A version's content hash is how a text that comes again is recognised (a duplicate, an
unchanged file), so every stored version gets its hash recomputed from its stored text,
normalised as the ingest normalises it (``fingerprint.content_hash``). A file's raw hash
cannot be recomputed without the file: the recorded files' raw hashes are cleared, and a
file whose size or mtime changed is read and matched by its content, as any changed file
is (it gets its new raw hash then). Sightings keep the raw hashes they recorded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_CHUNK = 2000


def upgrade() -> None:
    from newswatch.match.fingerprint import content_hash

    _rehash(content_hash)


def downgrade() -> None:
    _rehash(
        lambda text: hashlib.blake2b(
            text.encode("utf-8", "surrogatepass"), digest_size=16
        ).hexdigest()
    )


def _rehash(hash_text: Callable[[str], str]) -> None:
    """Every version's content hash recomputed with ``hash_text``; the files' raw hashes
    cleared."""
    from newswatch.match.fingerprint import normalise

    bind = op.get_bind()
    versions = sa.table(
        "versions",
        sa.column("id", sa.Integer),
        sa.column("headline", sa.Text),
        sa.column("body", sa.Text),
        sa.column("content_hash", sa.String(32)),
    )
    last = 0
    while True:
        chunk = bind.execute(
            sa.select(versions.c.id, versions.c.headline, versions.c.body)
            .where(versions.c.id > last)
            .order_by(versions.c.id)
            .limit(_CHUNK)
        ).all()
        if not chunk:
            break
        bind.execute(
            versions.update()
            .where(versions.c.id == sa.bindparam("vid"))
            .values(content_hash=sa.bindparam("hash")),
            [
                # The body is the paragraphs joined by blank lines; normalising folds all
                # white space, so the body split back gives the text the ingest hashed.
                {"vid": version_id, "hash": hash_text(normalise(headline, body.split("\n\n")))}
                for version_id, headline, body in chunk
            ],
        )
        last = chunk[-1][0]
    op.execute("UPDATE files SET raw_hash = NULL")
