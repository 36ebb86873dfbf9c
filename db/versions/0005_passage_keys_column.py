"""versions.signature is named for what it holds: versions.passage_keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 14:00:00

The column holds each version's winnowed passage keys (little-endian int64s), not a
MinHash signature. A plain RENAME COLUMN (SQLite 3.25+, PostgreSQL): no table is copied.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE versions RENAME COLUMN signature TO passage_keys")


def downgrade() -> None:
    op.execute("ALTER TABLE versions RENAME COLUMN passage_keys TO signature")
