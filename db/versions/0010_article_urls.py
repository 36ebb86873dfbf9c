"""versions: the article's URL (indexed) and publication time; runs: files skipped

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 10:00:00

A text that carries its article's URL (a page's canonical URL, a WARC record's target, a
scraper's JSON, a ``Kaynak/Source:`` trailer) is matched first by that URL
(``match/identity.py``): ``versions.url`` holds it as URLs are compared
(``read/urls.article_url``), indexed, beside ``source_url`` as the file gave it. Versions
stored before this migration get theirs from their ``source_url``. ``published_at`` is the
publication time a page or a scraper's JSON gives (``published`` keeps the day);
``runs.skipped`` counts the files of types newswatch does not read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newswatch.read.urls import article_url

    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("url", sa.Text(), nullable=True))
        batch.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_versions_url"), ["url"], unique=False)
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("skipped", sa.Integer(), server_default="0", nullable=False))
    bind = op.get_bind()
    versions = sa.table(
        "versions",
        sa.column("id", sa.Integer),
        sa.column("source_url", sa.Text),
        sa.column("url", sa.Text),
    )
    found = bind.execute(
        sa.select(versions.c.id, versions.c.source_url).where(versions.c.source_url.is_not(None))
    ).all()
    rows = [{"key": id_, "value": url} for id_, source in found if (url := article_url(source))]
    if rows:
        bind.execute(
            versions.update()
            .where(versions.c.id == sa.bindparam("key"))
            .values(url=sa.bindparam("value")),
            rows,
        )


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("skipped")
    with op.batch_alter_table("versions") as batch:
        batch.drop_index(batch.f("ix_versions_url"))
        batch.drop_column("published_at")
        batch.drop_column("url")
