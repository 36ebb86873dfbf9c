"""articles and versions: outlet_key, the outlet as compared

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 21:00:00

An outlet is written 'Reuters', 'REUTERS' or ' reuters ' by different files of one
newspaper. Matching compared the names as written, so an edit under another spelling of
the outlet became a syndicated copy, while the outlet figures counted one outlet. Each
article and version now keeps, beside the name as written (``outlet``, for display), its
key (``read.text.outlet_key``), which every comparison uses.

Line keys were salted with the outlet as written; they are salted with its key now. The
salt already folded case, so only names written with other spaces move: their versions'
line keys are salted again, and ``line_counts`` counted again from the merged versions
(every line two merged articles print, as one merge would count them).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_CHUNK = 2000


def upgrade() -> None:
    from newswatch.match.fingerprint import outlet_salt
    from newswatch.read.text import outlet_key

    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("outlet_key", sa.Text(), nullable=True))
        batch.create_index(batch.f("ix_articles_outlet_key"), ["outlet_key"], unique=False)
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("outlet_key", sa.Text(), nullable=True))
    bind = op.get_bind()
    outlets: set[str] = set()
    for table in ("articles", "versions"):
        names = [
            name
            for (name,) in bind.execute(
                sa.text(f"SELECT DISTINCT outlet FROM {table} WHERE outlet IS NOT NULL")
            )
        ]
        outlets.update(names)
        if names:
            bind.execute(
                sa.text(f"UPDATE {table} SET outlet_key = :key WHERE outlet = :outlet"),
                [{"key": outlet_key(name), "outlet": name} for name in names],
            )
    moved = {
        name: np.int64(outlet_salt(name) ^ outlet_salt(outlet_key(name)))
        for name in outlets
        if outlet_salt(name) != outlet_salt(outlet_key(name))
    }
    if moved:
        _salt_again(moved)
        _count_lines_again()


def _salt_again(moved: dict[str, np.int64]) -> None:
    """``key ^ old salt ^ new salt`` for each line key of the outlets whose salt moved
    (kept sorted, as ``fingerprint.line_keys`` gives them)."""
    bind = op.get_bind()
    for name, change in moved.items():
        last = 0
        while True:
            chunk = bind.execute(
                sa.text(
                    "SELECT id, line_keys FROM versions WHERE outlet = :outlet AND id > :last "
                    f"AND line_keys IS NOT NULL ORDER BY id LIMIT {_CHUNK}"
                ),
                {"outlet": name, "last": last},
            ).all()
            if not chunk:
                break
            bind.execute(
                sa.text("UPDATE versions SET line_keys = :keys WHERE id = :vid"),
                [
                    {
                        "vid": version_id,
                        "keys": np.sort(np.frombuffer(bytes(packed), dtype="<i8") ^ change)
                        .astype("<i8")
                        .tobytes(),
                    }
                    for version_id, packed in chunk
                ],
            )
            last = chunk[-1][0]


def _count_lines_again() -> None:
    """``line_counts`` from the first versions the passage index is merged through."""
    bind = op.get_bind()
    merged = bind.execute(
        sa.text("SELECT value FROM store_state WHERE name = 'passages_merged_through'")
    ).scalar_one()
    counts: Counter[int] = Counter()
    for (packed,) in bind.execute(
        sa.text(
            "SELECT line_keys FROM versions WHERE number = 1 AND id <= :merged "
            "AND line_keys IS NOT NULL"
        ),
        {"merged": merged},
    ):
        counts.update(np.frombuffer(bytes(packed), dtype="<i8").tolist())
    bind.execute(sa.text("DELETE FROM line_counts"))
    rows = [{"line_key": k, "articles": n} for k, n in sorted(counts.items()) if n >= 2]
    table = sa.table("line_counts", sa.column("line_key", sa.BigInteger), sa.column("articles"))
    for start in range(0, len(rows), 50_000):
        bind.execute(table.insert(), rows[start : start + 50_000])


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("outlet_key")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index(batch.f("ix_articles_outlet_key"))
        batch.drop_column("outlet_key")
