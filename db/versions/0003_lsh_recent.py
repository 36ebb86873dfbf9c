"""lsh_recent: new band keys, merged into lsh_buckets in bulk

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 12:20:00

See schema.py: inserting each batch's band keys straight into the big LSH index rewrote
most of its pages at every commit, so the cost per article grew with the database.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lsh_recent",
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_lsh_recent_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("band_key", "version_id", name=op.f("pk_lsh_recent")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.execute("INSERT INTO lsh_buckets SELECT band_key, version_id FROM lsh_recent")
    op.drop_table("lsh_recent")
