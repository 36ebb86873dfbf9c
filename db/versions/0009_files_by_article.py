"""files: an index on article_id, for the files that hold an article

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 16:30:00

A run's report names a file of each original its copies spread from, and of each copy
(``store.reports.a_file_of``). It reads them a chunk of the run at a time; without an
index each chunk read the whole ``files`` table, so a million-file run's report cost grew
with the square of the folder.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("files") as batch:
        batch.create_index(batch.f("ix_files_article_id"), ["article_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("files") as batch:
        batch.drop_index(batch.f("ix_files_article_id"))
