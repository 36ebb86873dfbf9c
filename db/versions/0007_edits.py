"""edits: what each version after the first changed, as the run report's diff found it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 16:00:00

Outlet figures (the share of edits that changed numbers, quotes or the headline) and story
pictures need, for every edit, what its diff found; diffing 10,000 edits again on every run
cost 6 s. Each run's report writes the rows of the edits it has just diffed; versions
already stored get theirs the first time a report's figures need them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "edits",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("numbers_changed", sa.Integer(), nullable=False),
        sa.Column("quotes_changed", sa.Integer(), nullable=False),
        sa.Column("headline_changed", sa.Boolean(), nullable=False),
        sa.Column("sentences_added", sa.Integer(), nullable=False),
        sa.Column("sentences_deleted", sa.Integer(), nullable=False),
        sa.Column("sentences_updated", sa.Integer(), nullable=False),
        sa.Column("sentences_moved", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_edits_article_id_articles")
        ),
        sa.PrimaryKeyConstraint("article_id", "version", name=op.f("pk_edits")),
    )


def downgrade() -> None:
    op.drop_table("edits")
