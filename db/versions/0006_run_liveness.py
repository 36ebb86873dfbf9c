"""runs: where a run lives and when it last proved it, and whether its report reached the UI

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 15:00:00

A run records its host and process id and renews ``heartbeat_at`` while it works. A run
still ``running`` whose process is gone from this host, or whose heartbeat is older than
its lease, died without finishing: the next run marks it ``crashed`` and says when it
found it (``crash_found_at``). ``published_at`` says when the run's artifacts and events
reached the Prefect server; a run the server went away from has none, and the next run's
report says so.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("host", sa.Text(), nullable=True))
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("crash_found_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("published_at")
        batch.drop_column("crash_found_at")
        batch.drop_column("heartbeat_at")
        batch.drop_column("pid")
        batch.drop_column("host")
